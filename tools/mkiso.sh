#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Builds a GRUB rescue ISO (legacy BIOS) that boots build/bulkhead.elf with
# multiboot2, the configuration as the module named `bulkhead.cfg` and each
# guest file as a module named by its path.
#
# usage: tools/mkiso.sh [-o ISO] [-e ELF] [-c CMDLINE] CONFIG [FILE[=NAME]...]
#   -o ISO      output image (default build/bulkhead.iso)
#   -e ELF      hypervisor image (default build/bulkhead.elf)
#   -c CMDLINE  hypervisor command line (default empty), e.g. "test_exit"
#   CONFIG      the configuration file; becomes `module2 ... bulkhead.cfg`
#   FILE[=NAME] a guest file; its module command line is NAME, by default
#               FILE as written (the path the configuration uses for it)
#
# grub.cfg gets: multiboot2 /boot/bulkhead.elf CMDLINE
#                module2 /boot/bulkhead.cfg bulkhead.cfg
#                module2 /boot/mod/N-BASENAME NAME   (for each FILE)
set -eu

iso=build/bulkhead.iso
elf=build/bulkhead.elf
cmdline=""
while getopts "o:e:c:h" opt; do
	case "$opt" in
	o) iso=$OPTARG ;;
	e) elf=$OPTARG ;;
	c) cmdline=$OPTARG ;;
	*) sed -n '4,19s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -lt 1 ]; then
	sed -n '4,19s/^# \{0,1\}//p' "$0" >&2
	exit 2
fi
cfg=$1
shift

for f in "$elf" "$cfg"; do
	[ -f "$f" ] || { echo "mkiso: $f: no such file" >&2; exit 1; }
done
command -v grub-mkrescue >/dev/null || { echo "mkiso: grub-mkrescue missing (tools/setup.sh)" >&2; exit 1; }

root=$(mktemp -d "${TMPDIR:-/tmp}/bulkhead-iso.XXXXXX")
trap 'rm -rf "$root"' EXIT INT TERM
mkdir -p "$root/boot/grub" "$root/boot/mod"
cp "$elf" "$root/boot/bulkhead.elf"
cp "$cfg" "$root/boot/bulkhead.cfg"

g=$root/boot/grub/grub.cfg
{
	echo "set timeout=0"
	echo "set default=0"
	echo "menuentry \"Bulkhead\" {"
	echo "	multiboot2 /boot/bulkhead.elf $cmdline"
	echo "	module2 /boot/bulkhead.cfg bulkhead.cfg"
} >"$g"

n=0
for arg in "$@"; do
	file=${arg%%=*}
	name=$file
	case "$arg" in *=*) name=${arg#*=} ;; esac
	[ -f "$file" ] || { echo "mkiso: $file: no such file" >&2; exit 1; }
	case "$name" in *[\ \	\"\']*) echo "mkiso: module name '$name' has blanks or quotes" >&2; exit 1 ;; esac
	n=$((n + 1))
	dst=/boot/mod/$n-$(basename "$file")
	cp "$file" "$root$dst"
	echo "	module2 $dst $name" >>"$g"
done
{
	echo "	boot"
	echo "}"
} >>"$g"

mkdir -p "$(dirname "$iso")"
# Only the BIOS platform is wanted (Bochs has no UEFI): skip EFI even if installed.
if ! out=$(grub-mkrescue -o "$iso" --locales= --fonts= --themes= \
	-d /usr/lib/grub/i386-pc "$root" 2>&1); then
	echo "$out" >&2
	echo "mkiso: grub-mkrescue failed" >&2
	exit 1
fi
echo "mkiso: $iso ($n guest files)"
