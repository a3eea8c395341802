#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The guest matrix (tests/integration/lib-guests.sh) in Bochs: legacy BIOS,
# GRUB booting build/bulkhead.elf with multiboot2, `corei7_skylake_x` (Intel
# VMX + EPT), 4 CPUs, 512 MiB. Each configuration is the module
# `bulkhead.cfg` and each guest image a module named by its path.
#
#   tests/integration/guests-bochs.sh [--efi] [RUN...]
#                                       default runs: trio smp policy spin apic
#
# The hypervisor command line holds `test_exit`: once every guest has ended,
# Bochs stops at the magic breakpoint with status 0. The spin run never gets
# there and is stopped (SIGINT) once its other guests have ended.
# --efi: the UEFI path instead: OVMF.fd boots build/bulkhead.efi from a FAT
# ESP (tools/mkesp.sh) that holds the configuration and the guest images; no
# command line, so each boot is stopped once its guests have ended (slow:
# about 25 s of OVMF per boot with 4 CPUs).
# Logs: $TEST_LOGDIR/guests-bochs[-efi]/RUN/ (default build/test-logs).
# Exit: 0 pass, 1 fail (each failure prints its log's path and last 40 lines),
# 77 when Bochs or GRUB is missing. Each boot is bounded (90 s); no Bochs
# outlives the script.
set -u
cd "$(dirname "$0")/../.." || exit 1

for tool in bochs grub-mkrescue xorriso python3; do
	command -v "$tool" >/dev/null || {
		echo "skip: $tool missing"
		exit 77
	}
done
ELF=${ELF:-build/bulkhead.elf}
EFI=${EFI:-build/bulkhead.efi}
OVMF_FD=/usr/share/ovmf/OVMF.fd
efi=""
if [ "${1:-}" = "--efi" ]; then
	efi=yes
	shift
	[ -f "$OVMF_FD" ] || { echo "skip: $OVMF_FD missing"; exit 77; }
fi
for f in "$ELF" "$EFI" build/guests/hello.elf build/guests/cpuid.bin; do
	[ -f "$f" ] || { echo "fail: $f missing (run make)"; exit 1; }
done

BED=bochs
SL_FAULT=ept-violation
VENDOR=vmx
LG_LIMIT=90
LG_TEST_EXIT=1
LG_EXIT_STATUS=0 # magic breakpoint, then the debugger's quit
if [ -n "$efi" ]; then
	BED=bochs-efi
	LG_LIMIT=120
	LG_TEST_EXIT=0
fi
bed_rc=""

bed_start() { # CFG WORK LOG FILE=PATH...
	cfg=$1 bwork=$2 blog=$3
	shift 3
	bed_rc=""
	if [ -n "$efi" ]; then
		img=$bwork/esp.img
		tools/mkesp.sh -o "$img" -e "$EFI" -c "$cfg" "$@" >"$bwork/mkesp.out" 2>&1 || return 1
	else
		img=$bwork/bulkhead.iso
		tools/mkiso.sh -o "$img" -e "$ELF" -c "test_exit" "$cfg" "$@" \
			>"$bwork/mkiso.out" 2>&1 || return 1
	fi
	# run-bochs.sh bounds Bochs itself (-t) and stops it with SIGINT on SIGTERM.
	timeout -k 15 "$((LG_LIMIT + 20))" tools/run-bochs.sh ${efi:+-u} -m corei7_skylake_x -n 4 \
		-M 512 -t "$LG_LIMIT" -w "$bwork" -s "$blog" "$img" \
		</dev/null >"$bwork/run-bochs.out" 2>&1 &
	bed_pid=$!
}

bed_stop() {
	[ -n "$bed_pid" ] || return 0
	if kill -0 "$bed_pid" 2>/dev/null; then
		kill -TERM "$bed_pid" 2>/dev/null
		i=0
		while kill -0 "$bed_pid" 2>/dev/null && [ $i -lt 75 ]; do
			sleep 0.2
			i=$((i + 1))
		done
		kill -KILL "-$bed_pid" 2>/dev/null
	fi
	wait "$bed_pid" 2>/dev/null
	bed_rc=$?
	bed_pid=""
	# A Bochs that ended by SIGINT removed its lock; one killed harder did not.
	locks=$(find "$LG_LOGDIR" -name '*.lock' 2>/dev/null)
	if [ -n "$locks" ]; then
		lg_fail "lock files left behind: $locks"
		# shellcheck disable=SC2086
		rm -f $locks
	fi
}

bed_status() {
	echo "${bed_rc:-?}"
}

trap 'bed_stop' EXIT
trap 'exit 130' INT TERM

. tests/integration/lib-guests.sh
guests_matrix "$@"
