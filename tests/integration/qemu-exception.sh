#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Provokes a CPU exception inside the hypervisor (the debug-only boot option
# debug_fault=ud|pf) and checks that the serial log holds the register dump
# and the final line `bulkhead: fatal exception`, and that boot went no
# further. Boots build/bulkhead.elf from a GRUB ISO in QEMU TCG (legacy BIOS:
# GRUB passes the command line; 2 CPUs, so the stop-the-others NMI runs too).
#
#   tests/integration/qemu-exception.sh [KIND...]     default: ud pf
#
# Exit: 0 pass, 1 fail (prints the log), 77 when QEMU or GRUB tools are
# missing. Each boot has a hard limit of 60 s; no QEMU outlives the script.
set -u
cd "$(dirname "$0")/../.."

LIMIT=60
ELF=${ELF:-build/bulkhead.elf}
KINDS=${*:-ud pf}

for tool in qemu-system-x86_64 grub-mkrescue xorriso; do
	command -v "$tool" >/dev/null || {
		echo "skip: $tool missing"
		exit 77
	}
done
[ -f "$ELF" ] || { echo "fail: $ELF missing (run make)"; exit 1; }

work=${TEST_LOGDIR:-build/test-logs}/qemu-exception
rm -rf "$work"
mkdir -p "$work"
echo "# empty configuration" >"$work/empty.cfg"
pid=""

# timeout(1) leads its own process group: killing the group reaches QEMU
# (dash's kill takes "-PID" but no "--").
stop_qemu() {
	[ -n "$pid" ] || return 0
	kill -TERM "-$pid" 2>/dev/null
	sleep 0.5
	kill -KILL "-$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=""
}
trap 'stop_qemu' EXIT
trap 'exit 130' INT TERM

# boot KIND LOG: runs until the fatal line appears, QEMU ends, or the limit.
boot() {
	tools/mkiso.sh -o "$work/$1.iso" -e "$ELF" -c "debug_fault=$1" "$work/empty.cfg" \
		>"$work/$1.mkiso.log" 2>&1 || return 1
	: >"$2"
	timeout -k 5 "$LIMIT" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 256M \
		-cdrom "$work/$1.iso" -boot d -serial "file:$2" -display none -net none \
		-no-reboot </dev/null >"$work/$1.qemu.out" 2>&1 &
	pid=$!
	ticks=0
	while [ "$ticks" -lt $((LIMIT * 2)) ]; do
		grep -q "bulkhead: fatal exception" "$2" && sleep 1 && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
		ticks=$((ticks + 1))
	done
	stop_qemu
}

# expect LOG PATTERN...: every extended regular expression must match a line.
expect() {
	log=$1
	shift
	for re in "$@"; do
		grep -Eq -- "$re" "$log" || { echo "missing: $re"; return 1; }
	done
}

check() { # KIND LOG
	hex='[0-9a-f]{16}'
	expect "$2" "RIP $hex +CS 0008 +RFLAGS $hex" "RSP $hex +SS 0010" \
		"RAX $hex +RBX $hex +RCX $hex" "RDX $hex +RSI $hex +RDI $hex" \
		"RBP $hex +R8 +$hex +R9 +$hex" "R10 $hex +R11 $hex +R12 $hex" \
		"R13 $hex +R14 $hex +R15 $hex" "CR0 $hex +CR2 $hex +CR3 $hex +CR4 $hex" \
		"backtrace:" "bulkhead: fatal exception" || return 1
	case "$1" in
	ud) expect "$2" "bulkhead: exception #UD invalid opcode \(vector 6\) on CPU 0" ;;
	pf) expect "$2" "bulkhead: exception #PF page fault \(vector 14\) on CPU 0, error code 0" \
		"page fault address \(CR2\) 00007ffffffff000, not present on read" ;;
	gp) expect "$2" "bulkhead: exception #GP general protection \(vector 13\)" ;;
	esac || return 1
	if grep -q "bulkhead: ready" "$2"; then
		echo "boot went on after the exception"
		return 1
	fi
}

failed=0
for kind in $KINDS; do
	log=$work/$kind.serial.log
	if boot "$kind" "$log" && check "$kind" "$log"; then
		echo "pass: debug_fault=$kind: register dump and 'bulkhead: fatal exception'"
	else
		echo "fail: debug_fault=$kind (serial log: $log)"
		tail -n 30 "$log"
		failed=1
	fi
done
exit "$failed"
