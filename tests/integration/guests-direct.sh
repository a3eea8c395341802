#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Validates the test guests themselves, without the hypervisor: each one runs
# directly under QEMU TCG as a multiboot kernel (-kernel, -append, -initrd)
# with isa-debug-exit, and its serial output and exit status are checked.
# QEMU ends with status (v << 1) | 1 for a guest exit code v: 1 = PASS, 3 = FAIL.
# Without a hypervisor some verdicts are known in advance:
#   cpuid  FAIL "not under Bulkhead" (TCG's signature is not ours)
#   msr    PASS, or FAIL "without #GP" (TCG answers unknown MSRs with 0)
#   escape FAIL "no attempt was stopped" (nothing stops it here)
#   apic   PASS; QEMU 7.2's TCG APIC has no x2APIC or TSC-deadline mode and
#          cannot be re-enabled once disabled: those parts say "skipped"
# Exit: 0 all good, 1 a check failed, 77 no QEMU.
set -u
cd "$(dirname "$0")/../.."

command -v qemu-system-x86_64 >/dev/null 2>&1 || { echo "SKIP: qemu-system-x86_64 missing"; exit 77; }
make -s guests || exit 1

G=build/guests
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
failed=0

# run NAME TAG SECONDS QEMU-ARGS...: output in $T/TAG.out, QEMU's status in $T/TAG.rc
run() {
	name=$1 tag=$2 secs=$3
	shift 3
	timeout -k 5 "$secs" qemu-system-x86_64 -accel tcg -cpu max -m 64 -display none \
		-no-reboot -monitor none -net none -serial "file:$T/$tag.out" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$G/$name.elf" "$@" \
		</dev/null >"$T/$tag.qemu" 2>&1
	echo $? >"$T/$tag.rc"
	tr -d '\r' <"$T/$tag.out" >"$T/$tag.txt"
}

fail() {
	echo "FAIL  $1: $2"
	sed 's/^/      | /' "$T/$1.txt" "$T/$1.qemu" | head -40
	failed=1
}

# expect TAG RC LINE...: QEMU's status is RC and each LINE (a fixed string) was printed
expect() {
	tag=$1 rc=$2
	shift 2
	[ "$(cat "$T/$tag.rc")" = "$rc" ] || { fail "$tag" "status $(cat "$T/$tag.rc"), want $rc"; return; }
	for line in "$@"; do
		grep -qxF -- "$line" "$T/$tag.txt" || { fail "$tag" "missing line: $line"; return; }
	done
	[ "$(grep -c '^VERDICT ' "$T/$tag.txt")" = 1 ] || { fail "$tag" "not exactly one verdict"; return; }
	echo "ok    $tag"
}

# expect_re TAG REGEX...: each basic regular expression matches a whole line
expect_re() {
	tag=$1
	shift
	for re in "$@"; do
		grep -qx -- "$re" "$T/$tag.txt" || { fail "$tag" "no line matches: $re"; return; }
	done
	echo "ok    $tag (lines)"
}

run hello hello 30
expect hello 1 "hello: hello from a Bulkhead test guest" "VERDICT hello PASS"

run io io-pc 30 -M pc
expect io-pc 1 "io: port 0xe0 reads 0xff 0xffff 0xffffffff" "io: rep outsb reached the UART" \
	"io: rep OUTSB backwards" "io: rep insb read 4 bytes, each 0x80 as in reads" "VERDICT io PASS"
run io io-q35 30 -M q35
expect io-q35 1 "VERDICT io PASS"

run smp smp-2 30 -smp 2
expect smp-2 1 "smp: cpu online, apic id 1" "smp: 2 CPUs online" "VERDICT smp PASS"
run smp smp-4 30 -smp 4 -append "cpus=4"
expect smp-4 1 "smp: cpu online, apic id 3" "smp: 4 CPUs online" "VERDICT smp PASS"

run cpuid cpuid 30
expect cpuid 3 'VERDICT cpuid FAIL not under Bulkhead: signature "TCGTCGTCGTCG"'

run msr msr 30
if grep -q '^VERDICT msr PASS$' "$T/msr.txt"; then
	expect msr 1 "msr: self-check: #UD caught and resumed" "msr: rdmsr 0xdeadbeef raised #GP"
else
	expect msr 3 "msr: self-check: #UD caught and resumed" \
		"VERDICT msr FAIL rdmsr 0xdeadbeef gave 0x0000000000000000 without #GP"
fi

printf 'MODULE-ONE-DATA-0123456789' >"$T/m1"
printf 'm2' >"$T/m2"
run mbinfo mbinfo 30 -append "a=1 b=two" -initrd "$T/m1 first args,$T/m2"
expect mbinfo 1 "mbinfo: cmdline=\"$G/mbinfo.elf a=1 b=two\"" \
	"mbinfo: mem_lower=639 KiB mem_upper=64384 KiB" \
	"mbinfo: mmap base=0x100000 length=0x3ee0000 type=1" \
	'mbinfo: loader="qemu"' "mbinfo: modules=2" "VERDICT mbinfo PASS"
expect_re mbinfo \
	"mbinfo: module 0 string=\"$T/m1 first args\" start=0x[0-9a-f]*000 size=26 bytes=4d4f44554c452d4f4e452d444154412d" \
	"mbinfo: module 1 string=\"$T/m2\" start=0x[0-9a-f]*000 size=2 bytes=6d32"

# The local APIC on QEMU's own model: xAPIC, timer modes, EOI/TPR; on 2 CPUs IPIs to CPU 1.
run apic apic 30
expect apic 1 "apic: xAPIC id 0 version 0x14 max LVT 5, MMIO loads and stores agree" \
	"apic: xAPIC one-shot timer: 1 interrupt, current count 0 after it" \
	"apic: EOI: a second timer interrupt waits in IRR until EOI, self IPI 0x50 nests" \
	"apic: TPR 0x60 holds a self IPI 0x50 back until lowered" \
	"apic: PIT IRQ 0 at 1 kHz through IOAPIC pin 2: 5 interrupts halted, none masked" "VERDICT apic PASS"
run apic apic-2 30 -smp 2 -append "cpus=2"
expect apic-2 1 "apic: cpu 1 (APIC ID 1) received 3 fixed IPIs 0x50" \
	"apic: cpu 0 sent fixed IPIs 0x50 to cpu 1: physical, logical flat, all-but-self" \
	"VERDICT apic PASS"

# Unstopped, escape must notice that its reads succeeded (the above-4 GiB one via PAE).
run escape escape 30 -append "other=0x123456789 hv=0x2000"
expect escape 3 "escape: attempt 2 at 0x123456789 (other=)" "escape: attempt 3 at 0x2000 (hv=)" \
	"VERDICT escape FAIL no attempt was stopped"
expect_re escape "escape: attempt 1 at 0x[0-9a-f]* (the end of its RAM)" \
	"escape: read succeeded at 0x123456789 value=0x[0-9a-f]*"

# spin never ends: it must print its line and still be running when killed.
run spin spin 3
if [ "$(cat "$T/spin.rc")" = 124 ] && grep -qx 'spin: spinning forever with interrupts off' "$T/spin.txt"; then
	echo "ok    spin"
else
	fail spin "status $(cat "$T/spin.rc"), want 124 (killed while spinning)"
fi

exit $failed
