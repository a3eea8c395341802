#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Builds a FAT EFI system partition image (no root needed: mtools).
#
#   tools/mkesp.sh -o ESP.img [-e bulkhead.efi] [-c bulkhead.cfg] [-m MiB] [FILE[=PATH]]...
#
#   -o  output image (required; overwritten)
#   -e  the hypervisor image, installed as \EFI\BOOT\BOOTX64.EFI
#       (default build/bulkhead.efi)
#   -c  configuration, installed as \EFI\BOOT\bulkhead.cfg beside the image
#       (default: none)
#   -m  image size in MiB (default: contents plus 4 MiB, at least 16 MiB)
#   FILE[=PATH]  extra files (guest images, initrds): copied to PATH on the
#       volume, '/'-separated, relative to the root; default: FILE's base
#       name at the root. Configurations name them by that PATH.
#
# The image is an unpartitioned FAT volume (a "superfloppy"), which OVMF
# boots as removable media. Its size is a whole number of 16-head,
# 63-sector cylinders so that Bochs accepts it as a flat disk.
set -eu

usage() {
	sed -n '4,18s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

out=""
efi=build/bulkhead.efi
cfg=""
mib=""
while getopts "o:e:c:m:h" opt; do
	case "$opt" in
	o) out=$OPTARG ;;
	e) efi=$OPTARG ;;
	c) cfg=$OPTARG ;;
	m) mib=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ -n "$out" ] || usage
[ -f "$efi" ] || { echo "mkesp: $efi not found" >&2; exit 1; }
[ -z "$cfg" ] || [ -f "$cfg" ] || { echo "mkesp: $cfg not found" >&2; exit 1; }

# Size: everything we copy, plus room for FAT metadata.
bytes=$(wc -c <"$efi")
[ -z "$cfg" ] || bytes=$((bytes + $(wc -c <"$cfg")))
for arg in "$@"; do
	src=${arg%%=*}
	[ -f "$src" ] || { echo "mkesp: $src not found" >&2; exit 1; }
	bytes=$((bytes + $(wc -c <"$src")))
done
if [ -z "$mib" ]; then
	mib=$((bytes / 1048576 + 4))
	[ "$mib" -ge 16 ] || mib=16
fi
cyl_bytes=$((16 * 63 * 512))
cyls=$(((mib * 1048576 + cyl_bytes - 1) / cyl_bytes))

export MTOOLS_SKIP_CHECK=1
rm -f "$out"
truncate -s $((cyls * cyl_bytes)) "$out"
mformat -i "$out" -t "$cyls" -h 16 -s 63 -v BULKHEAD ::
mmd -i "$out" ::/EFI ::/EFI/BOOT
mcopy -i "$out" "$efi" ::/EFI/BOOT/BOOTX64.EFI
[ -z "$cfg" ] || mcopy -i "$out" "$cfg" ::/EFI/BOOT/bulkhead.cfg

# Creates the parent directories of a volume path, one level at a time.
mkdirs() {
	dir=""
	rest=$(dirname "$1")
	[ "$rest" != "." ] || return 0
	old_ifs=$IFS
	IFS=/
	for part in $rest; do
		[ -n "$part" ] || continue
		dir="$dir/$part"
		mmd -i "$out" "::$dir" 2>/dev/null || true
	done
	IFS=$old_ifs
}

for arg in "$@"; do
	src=${arg%%=*}
	dst=$(basename "$src")
	case "$arg" in *=*) dst=${arg#*=} ;; esac
	dst=${dst#/}
	mkdirs "$dst"
	mcopy -o -i "$out" "$src" "::/$dst"
done
