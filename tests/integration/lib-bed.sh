# SPDX-License-Identifier: Apache-2.0
#
# The test-bed choice shared by tests/integration/devices.sh and mbinfo.sh
# (sourced): bed_select BED sets LIMIT (seconds a boot may take) and TOOLS
# for qemu (OVMF, UEFI, SVM) or bochs (GRUB multiboot2, VMX), and exits 77
# when a tool (or QEMU's OVMF) is missing, 2 for another BED after printing
# the usage lines LINES of the calling script ("13,14").

bed_select() { # BED LINES
	case "$1" in
	qemu)
		LIMIT=60
		TOOLS="qemu-system-x86_64 mformat mcopy"
		;;
	bochs)
		LIMIT=120
		TOOLS="bochs grub-mkrescue xorriso"
		;;
	*)
		sed -n "${2}s/^# \{0,1\}//p" "$0" >&2
		exit 2
		;;
	esac
	for tool in $TOOLS; do
		command -v "$tool" >/dev/null || { echo "skip: $tool missing"; exit 77; }
	done
	[ "$1" != qemu ] || [ -f /usr/share/OVMF/OVMF_CODE_4M.fd ] ||
		{ echo "skip: OVMF missing"; exit 77; }
}
