#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Installs every Debian package that building, running and testing Bulkhead
# needs. Idempotent: does nothing when all of them are present.
set -eu

PACKAGES="build-essential gnu-efi libcmocka-dev clang libclang-rt-14-dev clang-format \
qemu-system-x86 ovmf bochs bochsbios vgabios bochs-term \
grub-pc-bin grub-common xorriso mtools dosfstools busybox-static cpio python3 python3-pexpect"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "setup: installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "setup: done"
