#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The guest matrix (tests/integration/lib-guests.sh) in QEMU TCG: q35,
# `-cpu max` (AMD SVM + NPT), 4 CPUs, 1 GiB, OVMF booting build/bulkhead.efi
# from a FAT ESP that holds each configuration as \EFI\BOOT\bulkhead.cfg and
# the guest images it names at their paths.
#
#   tests/integration/guests-qemu.sh [RUN...]     default: trio smp policy spin apic
#
# The UEFI boot passes no hypervisor command line, so there is no test_exit
# here: each boot is stopped once every guest has ended and printed its exit
# counters (or, with `bulkhead: test_exit`, QEMU ends by itself with status 1).
# Logs: $TEST_LOGDIR/guests-qemu/RUN/ (default build/test-logs).
# Exit: 0 pass, 1 fail (each failure prints its log's path and last 40 lines),
# 77 when QEMU or OVMF is missing. Each boot is bounded (40 s); no QEMU
# outlives the script.
set -u
cd "$(dirname "$0")/../.." || exit 1

command -v qemu-system-x86_64 >/dev/null && [ -f /usr/share/OVMF/OVMF_CODE_4M.fd ] || {
	echo "skip: qemu-system-x86_64 or OVMF missing"
	exit 77
}
EFI=${EFI:-build/bulkhead.efi}
for f in "$EFI" build/guests/hello.elf build/guests/cpuid.bin; do
	[ -f "$f" ] || { echo "fail: $f missing (run make)"; exit 1; }
done
export EFI

BED=qemu
SL_FAULT=npt-fault
VENDOR=svm
LG_LIMIT=40
LG_TEST_EXIT=0
LG_EXIT_STATUS=1 # isa-debug-exit: (0 << 1) | 1
bed_rc=""

bed_start() { # CFG WORK LOG FILE=PATH...
	cfg=$1 bwork=$2 blog=$3
	shift 3
	bed_rc=""
	SMP=4 MEM=1G CFG=$cfg SERIAL="file:$blog" EXTRA_QEMU_ARGS="" \
		timeout -k 5 "$((LG_LIMIT + 5))" tools/run-qemu.sh "$@" \
		</dev/null >"$bwork/qemu.out" 2>&1 &
	bed_pid=$!
}

# timeout(1) leads its own process group: signalling the group reaches QEMU.
bed_stop() {
	[ -n "$bed_pid" ] || return 0
	if kill -0 "$bed_pid" 2>/dev/null; then
		kill -TERM "-$bed_pid" 2>/dev/null
		i=0
		while kill -0 "$bed_pid" 2>/dev/null && [ $i -lt 10 ]; do
			sleep 0.2
			i=$((i + 1))
		done
		kill -KILL "-$bed_pid" 2>/dev/null
	fi
	wait "$bed_pid" 2>/dev/null
	bed_rc=$?
	bed_pid=""
}

bed_status() {
	echo "${bed_rc:-?}"
}

trap 'bed_stop' EXIT
trap 'exit 130' INT TERM

. tests/integration/lib-guests.sh
guests_matrix "$@"
