#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The emulated PC platform devices as a guest sees them. Two boots of the
# devices test guest (guests/tests/devices.c) on a test bed:
#   devices.cfg        probes PCI, reads the RTC, calibrates the TSC against
#                      PIT channel 2 and the PM timer, passes, and powers off
#                      through PM1a_CNT: `bulkhead: guest devices powered off`
#   devices-reset.cfg  the same, then resets through 0xCF9: `... reset`,
#                      `... restarted`, and after the restart powers off
#
#   tests/integration/devices.sh BED        BED: qemu (OVMF, UEFI, SVM) or
#                                                bochs (GRUB multiboot2, VMX)
#
# Logs: $TEST_LOGDIR/devices-BED/ (default build/test-logs).
# Exit: 0 pass, 1 fail, 2 usage, 77 when the bed's tools are missing.
set -u
cd "$(dirname "$0")/../.." || exit 2

BED=${1:-}
. tests/integration/lib-bed.sh
bed_select "$BED" 12,13
make -s guests >/dev/null || exit 1
for f in build/bulkhead.efi build/bulkhead.elf build/guests/devices.elf; do
	[ -f "$f" ] || { echo "fail: $f missing (run make)"; exit 1; }
done

LOGDIR=${TEST_LOGDIR:-build/test-logs}/devices-$BED
rm -rf "$LOGDIR"
mkdir -p "$LOGDIR"
LOGDIR=$(realpath "$LOGDIR")
FAILED=0
crash_re='^bulkhead: (exception |nested exception|panic:|fatal exception|halted)'
end_re='^bulkhead: (guest devices (powered off|stopped|exited)|configuration invalid|cannot run guests)'

# boot RUN CFG: boots CFG, leaves the normalized log in $LOGDIR/RUN/serial.txt.
boot() {
	work=$LOGDIR/$1
	mkdir -p "$work/files/guests"
	cp build/guests/devices.elf "$work/files/guests/devices.elf"
	raw=$work/serial.log
	norm=$work/serial.txt
	: >"$raw"
	if [ "$BED" = qemu ]; then
		SMP=2 MEM=512M CFG=$2 SERIAL="file:$raw" EXTRA_QEMU_ARGS="" \
			timeout -k 5 "$LIMIT" tools/run-qemu.sh \
			"$work/files/guests/devices.elf=guests/devices.elf" \
			</dev/null >"$work/qemu.out" 2>&1 &
		pid=$!
		while kill -0 "$pid" 2>/dev/null; do
			tr -d '\r' <"$raw" | sed 's/^\[[^]]*\] //' >"$norm"
			if grep -qE "$end_re|$crash_re" "$norm"; then
				sleep 1 # the exit counters that follow
				break
			fi
			sleep 0.5
		done
		kill -TERM "-$pid" 2>/dev/null
		wait "$pid"
	else
		tools/mkiso.sh -o "$work/bulkhead.iso" -c test_exit "$2" \
			"$work/files/guests/devices.elf=guests/devices.elf" >"$work/mkiso.out" 2>&1 ||
			{ echo "fail: mkiso"; cat "$work/mkiso.out"; exit 1; }
		tools/run-bochs.sh -n 2 -M 512 -t "$LIMIT" -w "$work" -s "$raw" "$work/bulkhead.iso" \
			>"$work/bochs-run.out" 2>&1
		find "$work" -name '*.lock' -delete
	fi
	tr -d '\r' <"$raw" | sed 's/^\[[^]]*\] //' >"$norm"
}

# check RUN LINE...: each LINE is a whole line of the run's log, in this order.
check() {
	run=$1
	shift
	norm=$LOGDIR/$run/serial.txt
	errs=""
	at=0
	for want in "$@"; do
		n=$(grep -nxF -- "$want" "$norm" | head -n 1 | cut -d: -f1)
		if [ -z "$n" ]; then
			errs="$errs
  - missing line: $want"
		elif [ "$n" -lt "$at" ]; then
			errs="$errs
  - out of order: $want"
		else
			at=$n
		fi
	done
	if grep -qE "$crash_re|^bulkhead: guest devices stopped|^\[devices\] VERDICT devices FAIL" "$norm"; then
		errs="$errs
  - $(grep -E "$crash_re|^bulkhead: guest devices stopped|VERDICT devices FAIL" "$norm" | head -n 1)"
	fi
	grep '^\[devices\] devices:' "$norm" | sed 's/^/  | /'
	if [ -z "$errs" ]; then
		echo "pass: $BED/$run"
		return
	fi
	FAILED=1
	echo "fail: $BED/$run$errs"
	echo "  serial log: $norm; last 30 lines:"
	tail -n 30 "$norm" | sed 's/^/  | /'
}

boot poweroff guests/configs/tests/devices.cfg
check poweroff "bulkhead: guest devices started on cpus 1" "[devices] VERDICT devices PASS" \
	"bulkhead: guest devices powered off"

boot reset guests/configs/tests/devices-reset.cfg
check reset "bulkhead: guest devices started on cpus 1" "[devices] VERDICT devices PASS" \
	"bulkhead: guest devices reset" "bulkhead: guest devices restarted" \
	"[devices] devices: back after the reset" "bulkhead: guest devices powered off"
exit $FAILED
