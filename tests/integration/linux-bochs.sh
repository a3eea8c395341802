#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Debian's stock kernel under Bulkhead in Bochs (Intel VMX + EPT, multiboot2
# through GRUB, 4 CPUs, 512 MiB) beside a bare-metal guest: the runs of
# tests/integration/linux-lib.sh, power-off (verdict, console echo, idle
# counters, clean power-off) and reboot (`reboot -f`: the guest restarts with
# both CPUs and boots to its verdict again).
#
#   tests/integration/linux-bochs.sh [RUN...]     default: poweroff reboot
#
# Bochs is slow (XZ decompression alone takes over a minute of emulated time),
# so the runs are separate boots side by side, one Bochs per host core; each
# is bounded by LL_START (default 240 s) until the guest starts and LL_LIMIT
# (default 420 s) from there to each verdict. Their reports are printed in
# order once all have ended.
#
# Logs: $TEST_LOGDIR/linux-bochs/RUN/. Exit: 0 pass, 1 fail, 77 when Bochs,
# GRUB or the Debian kernel (no network, no cache) is missing.
set -u
cd "$(dirname "$0")/../.." || exit 1

for t in bochs grub-mkrescue xorriso; do
	command -v "$t" >/dev/null || { echo "skip: no $t"; exit 77; }
done
BED=bochs
LL_START=${LL_START:-240}
LL_LIMIT=${LL_LIMIT:-420}
. tests/integration/linux-lib.sh
ll_prepare build/bulkhead.elf

ll_boot() { # NAME CFG PORT
	w=$LL_LOGDIR/$1
	tools/mkiso.sh -o "$w/linux.iso" -e build/bulkhead.elf "$2" \
		build/linux/vmlinuz=linux/vmlinuz build/linux/initramfs.cpio.gz=linux/initramfs.cpio.gz \
		build/guests/hello.elf=guests/hello.elf >"$w/mkiso.out" 2>&1 ||
		ll_fail "mkiso failed (see $w/mkiso.out)"
	# A safety net only (the driver's waits bound each step): two boots for the reboot run.
	BOCHS_COM1_PORT=$3 timeout -k 15 "$((LL_START + 2 * LL_LIMIT + 90))" tools/run-bochs.sh \
		-m corei7_skylake_x -n 4 -M 512 -t "$((LL_START + 2 * LL_LIMIT + 60))" -w "$w/work" \
		"$w/linux.iso" </dev/null \
		>"$w/run-bochs.out" 2>&1 &
	ll_pid=$!
}

# run-bochs.sh ends Bochs with SIGINT on its own limit; TERM to timeout(1) does too.
ll_stop() {
	[ -n "$ll_pid" ] || return 0
	kill -TERM "$ll_pid" 2>/dev/null
	wait "$ll_pid" 2>/dev/null
	ll_pid=""
}
runs=${*:-poweroff reboot}
for r in $runs; do
	command -v "ll_run_$r" >/dev/null || { echo "fail: unknown run '$r'"; exit 1; }
done
pids=""
trap 'kill -TERM $pids 2>/dev/null; exit 130' INT TERM
for r in $runs; do
	(
		trap 'll_stop' EXIT
		trap 'exit 130' INT TERM
		"ll_run_$r"
		exit "$LL_FAILED"
	) >"$LL_LOGDIR/$r.report" 2>&1 &
	pids="$pids $!"
done
failed=0
for p in $pids; do
	wait "$p" || failed=1
done
for r in $runs; do
	cat "$LL_LOGDIR/$r.report"
done
exit "$failed"
