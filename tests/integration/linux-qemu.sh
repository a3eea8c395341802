#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Debian's stock kernel under Bulkhead in QEMU TCG (q35, `-cpu max`: AMD SVM
# + NPT, 4 CPUs, 1 GiB, OVMF), beside a bare-metal guest: the runs of
# tests/integration/linux-lib.sh (power-off with console echo and idle
# counters, then reboot -f restarting the guest), and the same kernel,
# initramfs and command line booted directly by QEMU for the time to the
# verdict without the hypervisor.
#
#   tests/integration/linux-qemu.sh [RUN...]     default: poweroff reboot direct
#
# Logs: $TEST_LOGDIR/linux-qemu/RUN/. Exit: 0 pass, 1 fail, 77 when QEMU,
# OVMF or the Debian kernel (no network, no cache) is missing.
set -u
cd "$(dirname "$0")/../.." || exit 1

command -v qemu-system-x86_64 >/dev/null && [ -f /usr/share/OVMF/OVMF_CODE_4M.fd ] || {
	echo "skip: qemu-system-x86_64 or OVMF missing"
	exit 77
}
BED=qemu
LL_START=${LL_START:-60}
LL_LIMIT=${LL_LIMIT:-150}
. tests/integration/linux-lib.sh
ll_prepare build/bulkhead.efi

ll_boot() { # NAME CFG PORT
	SMP=4 MEM=1G CFG=$2 SERIAL="tcp:127.0.0.1:$3,server=on,wait=on" EXTRA_QEMU_ARGS="" \
		timeout -k 5 "$((LL_LIMIT * 2 + 60))" tools/run-qemu.sh \
		build/linux/vmlinuz=linux/vmlinuz build/linux/initramfs.cpio.gz=linux/initramfs.cpio.gz \
		build/guests/hello.elf=guests/hello.elf </dev/null >"$LL_LOGDIR/$1/qemu.out" 2>&1 &
	ll_pid=$!
}

# timeout(1) leads its own process group: signalling the group reaches QEMU.
ll_stop() {
	[ -n "$ll_pid" ] || return 0
	kill -TERM "-$ll_pid" 2>/dev/null
	sleep 0.5
	kill -KILL "-$ll_pid" 2>/dev/null
	wait "$ll_pid" 2>/dev/null
	ll_pid=""
}
trap 'll_stop' EXIT
trap 'exit 130' INT TERM

# The same kernel, initrd and command line, straight under QEMU (SeaBIOS,
# -kernel): seconds from QEMU's start to the verdict line, and the guest's uptime.
ll_run_direct() {
	d=$LL_LOGDIR/direct
	mkdir -p "$d"
	cmdline=$(sed -n 's/^cmdline *= *"\(.*\)"/\1/p' guests/configs/tests/linux.cfg |
		sed 's/ check.echo=1//')
	: >"$d/serial.txt"
	t0=$(date +%s%N)
	timeout -k 5 60 qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 256 \
		-kernel build/linux/vmlinuz -initrd build/linux/initramfs.cpio.gz -append "$cmdline" \
		-display none -serial "file:$d/serial.txt" -net none -no-reboot </dev/null \
		>"$d/qemu.out" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null && ! grep -q '^VERDICT linux' "$d/serial.txt"; do
		sleep 0.05
	done
	t1=$(date +%s%N)
	wait "$pid"
	up=$(sed -n 's/^VERDICT linux PASS (up \([0-9.]*\) s).*/\1/p' "$d/serial.txt" | tr -d '\r')
	if [ -n "$up" ]; then
		echo "  timing qemu/direct: verdict $(((t1 - t0) / 1000000)) ms after QEMU started (guest uptime $up s)"
		echo "pass: qemu/direct"
	else
		echo "fail: qemu/direct: no passing verdict (log: $d/serial.txt)"
		tail -n 20 "$d/serial.txt"
		LL_FAILED=1
	fi
}

for r in ${*:-poweroff reboot direct}; do
	"ll_run_$r"
done
exit "$LL_FAILED"
