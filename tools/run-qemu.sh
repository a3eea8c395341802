#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Boots build/bulkhead.efi in QEMU (TCG, q35, OVMF) with the console on this
# terminal. What `make run` calls.
#
#   tools/run-qemu.sh [FILE[=PATH]]...     extra files for the ESP (see mkesp.sh)
#
# Environment:
#   SMP              CPUs (default 4: the demo runs guests on CPUs 1-3)
#   MEM              RAM (default 1G)
#   CFG              configuration copied beside the image as bulkhead.cfg
#                    (default guests/configs/demo.cfg when it exists; empty: none)
#   EFI              the image (default build/bulkhead.efi)
#   SERIAL           QEMU -serial backend (default stdio)
#   EXTRA_QEMU_ARGS  appended to the QEMU command line (word-split)
#
# Exits with QEMU's status; a guest or hypervisor write of V to port 0xf4
# (isa-debug-exit) ends QEMU with status V*2+1.
set -eu
cd "$(dirname "$0")/.."

SMP=${SMP:-4}
MEM=${MEM:-1G}
EFI=${EFI:-build/bulkhead.efi}
SERIAL=${SERIAL:-stdio}
if [ -z "${CFG+set}" ] && [ -f guests/configs/demo.cfg ]; then
	CFG=guests/configs/demo.cfg
fi
CFG=${CFG:-}
OVMF_DIR=/usr/share/OVMF

[ -f "$EFI" ] || { echo "run-qemu: $EFI not found (run make)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bulkhead-qemu.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# A fresh VARS copy each run: a reused one can drop OVMF into its shell.
cp "$OVMF_DIR/OVMF_VARS_4M.fd" "$tmp/vars.fd"
if [ -n "$CFG" ]; then
	tools/mkesp.sh -o "$tmp/esp.img" -e "$EFI" -c "$CFG" "$@"
else
	tools/mkesp.sh -o "$tmp/esp.img" -e "$EFI" "$@"
fi

set +e
# shellcheck disable=SC2086
qemu-system-x86_64 -M q35 -accel tcg -cpu max -smp "$SMP" -m "$MEM" \
	-drive if=pflash,format=raw,unit=0,readonly=on,file="$OVMF_DIR/OVMF_CODE_4M.fd" \
	-drive if=pflash,format=raw,unit=1,file="$tmp/vars.fd" \
	-drive format=raw,file="$tmp/esp.img" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-net none -display none -serial "$SERIAL" -no-reboot \
	${EXTRA_QEMU_ARGS:-}
rc=$?
exit $rc
