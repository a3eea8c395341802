# SPDX-License-Identifier: Apache-2.0
#
# Shared part of the guest integration tests (sourced by guests-qemu.sh and
# guests-bochs.sh): boot one configuration of guests/configs/tests/ on a test
# bed, wait until its guests have ended, check the console log, and print
# each guest's exit counters. guests_matrix runs the same matrix on each bed.
#
# The bed script sets, before sourcing this file:
#   BED         short name (qemu, bochs): log directory and messages
#   SL_FAULT    the stop reason of a second-level fault (npt-fault, ept-violation)
#   VENDOR      what `bulkhead: virtualization: ...` must name (svm, vmx; any case)
#   LG_LIMIT    seconds one boot may take, all told
#   LG_TEST_EXIT  1: the hypervisor command line has `test_exit`, so a run whose
#               guests all end must end the emulator by itself; 0: the test stops
#               the emulator once every guest has ended and printed its counters
#   LG_EXIT_STATUS  the emulator's status after `bulkhead: test_exit`
# and defines:
#   bed_start CFG WORK LOG FILE=PATH...   boot in the background, set bed_pid;
#                                         serial output goes to LOG
#   bed_stop                              end the emulator (idempotent; nothing
#                                         may outlive it)
#   bed_status                            print the emulator's exit status
#
# Log lines are compared after removing CRs and the hypervisor's time stamp
# "[   12.345678] ", so a guest line reads "[NAME] text".
# Results: each run prints "pass: BED/RUN" or "fail: BED/RUN" with every failed
# check, the log's path and its last 40 lines.

LG_LOGDIR=${TEST_LOGDIR:-build/test-logs}/guests-$BED
LG_FAILED=0
LG_HV_TEXT="" # the hypervisor's text start, from the latest boot that printed it
LG_RUN=""
LG_STATUS=""
LG_NORM=""
LG_ERRS=""
LG_FOREVER="" # guests that never end (spin)
bed_pid=""

# Host crashes, whatever else the log says.
LG_CRASH_RE='^bulkhead: (exception |nested exception|panic:|fatal exception|halted)'

lg_fail() {
	LG_ERRS="$LG_ERRS
  - $*"
}

lg_normalize() { # RAW NORM
	tr -d '\r' <"$1" | sed 's/^\[[^]]*\] //' >"$2"
}

# ---- checks on the normalized log of the current run ------------------------

lg_expect() { # LINE: present as a whole line
	grep -qxF -- "$1" "$LG_NORM" || lg_fail "missing line: $1"
}

lg_expect_re() { # ERE: some whole line matches
	grep -qxE -- "$1" "$LG_NORM" || lg_fail "no line matches: $1"
}

lg_expect_none() { # ERE: no line matches
	if grep -qE -- "$1" "$LG_NORM"; then
		lg_fail "unexpected line: $(grep -E -- "$1" "$LG_NORM" | head -n 1)"
	fi
}

lg_count() { # ERE: how many lines match
	grep -cE -- "$1" "$LG_NORM"
}

# ---- checks per guest ---------------------------------------------------------

lg_started() { # GUEST CPUS
	lg_expect "bulkhead: guest $1 started on cpus $2"
}

# GUEST KIND [LINE...]: the guest printed each LINE, then exactly one verdict,
# PASS, then exited with code 0 and was not stopped.
lg_pass() {
	g=$1 kind=$2
	shift 2
	for line in "$@"; do
		lg_expect "[$g] $line"
	done
	lg_expect "[$g] VERDICT $kind PASS"
	n=$(lg_count "^\[$g\] VERDICT ")
	[ "$n" = 1 ] || lg_fail "$g printed $n verdict lines, want 1"
	lg_expect "bulkhead: guest $g exited code=0"
	lg_expect_none "^bulkhead: guest $g stopped"
}

# GUEST N WHAT [ADDR]: escape's attempt N (reading WHAT, at ADDR when given)
# was its last: the guest was stopped by a second-level fault at that very
# address, never read anything, printed no verdict and did not exit.
lg_escape() {
	g=$1 n=$2 what=$3 want=${4:-}
	at=$(sed -n "s/^\[$g\] escape: attempt $n at \(0x[0-9a-f]*\) ($what)\$/\1/p" "$LG_NORM" | head -n 1)
	if [ -z "$at" ]; then
		lg_fail "$g: no line '[$g] escape: attempt $n at 0x... ($what)'"
		return
	fi
	[ -z "$want" ] || [ "$at" = "$want" ] || lg_fail "$g attempt $n read $at, want $want"
	lg_expect_re "bulkhead: guest $g stopped: $SL_FAULT gpa=$at rip=0x[0-9a-f]+"
	lg_expect_none "^\[$g\] escape: read succeeded"
	lg_expect_none "^\[$g\] escape: attempt $((n + 1)) "
	lg_expect_none "^\[$g\] VERDICT "
	lg_expect_none "^bulkhead: guest $g exited"
}

lg_spinning() { # GUEST: still spinning when the machine was stopped
	lg_expect "[$1] spin: spinning forever with interrupts off"
	lg_expect_none "^bulkhead: guest $1 (exited|stopped)"
	lg_expect_none "^\[$1\] VERDICT "
}

# What every run needs: the hypervisor came up with the bed's vendor backend,
# started every guest, crashed nowhere and restarted nothing.
lg_common() {
	lg_expect "bulkhead: ready"
	lg_expect_re "bulkhead: virtualization: .*"
	if ! grep -i "^bulkhead: virtualization: " "$LG_NORM" | grep -qi "$VENDOR"; then
		lg_fail "the virtualization line does not name $VENDOR"
	fi
	lg_expect_none "^bulkhead: cannot run guests"
	lg_expect_none "^bulkhead: configuration invalid"
	lg_expect_none "^bulkhead: guest [^ ]* (not started|cannot|restarted)"
	lg_expect_none "$LG_CRASH_RE"
}

# ---- exit counters ------------------------------------------------------------

# GUEST: its "  GUEST cpu N REASON COUNT exits CYCLES cycles" lines, printed
# after "bulkhead: guest GUEST ran ... exits per reason:", as "  cpu N ...".
lg_counter_lines() {
	awk -v g="$1" '$1 == g && $2 == "cpu" && /^  / { sub("^  " g " ", "  "); print }' "$LG_NORM"
}

lg_counters() { # GUEST...: print them into the test log; an ended guest must have them
	for g in "$@"; do
		hdr=$(grep -m 1 "^bulkhead: guest $g ran " "$LG_NORM")
		lines=$(lg_counter_lines "$g")
		if [ -z "$hdr" ] || [ -z "$lines" ]; then
			lg_fail "$g: no exit counters"
			continue
		fi
		echo "  counters $BED/$LG_RUN $g: ${hdr#bulkhead: guest "$g" }"
		echo "$lines" | sed "s/^  /    $g /"
	done
}

# ---- one boot -----------------------------------------------------------------

# The guest names of a configuration, in order.
lg_guests() {
	sed -n 's/^[[:space:]]*\[guest[[:space:]]\{1,\}\([^]]*\)\].*/\1/p' "$1"
}

# FILE=PATH for each `kernel`/`initrd` file the configuration names, found as
# PATH or build/PATH.
lg_files() {
	for path in $(sed -n 's/^[[:space:]]*\(kernel\|initrd\)[[:space:]]*=[[:space:]]*"\{0,1\}\([^"[:space:]]*\)"\{0,1\}.*/\2/p' "$1" | sort -u); do
		for src in "$path" "build/$path"; do
			if [ -f "$src" ]; then
				echo "$src=$path"
				break
			fi
		done
	done
}

# Done waiting: the emulator ended, the hypervisor cannot go on, or every guest
# that can end has printed its counters (and each forever guest its line).
lg_done() {
	grep -qE "^bulkhead: (test_exit|cannot run guests|configuration invalid)|$LG_CRASH_RE" \
		"$LG_NORM" && return 0
	[ "$LG_TEST_EXIT" = 1 ] && [ -z "$LG_FOREVER" ] && return 1
	grep -qxF "bulkhead: ready" "$LG_NORM" || return 1
	for g in $(lg_guests "$LG_CFG"); do
		case " $LG_FOREVER " in
		*" $g "*) grep -q "^\[$g\] " "$LG_NORM" || return 1 ;;
		*) grep -q "^bulkhead: guest $g ran " "$LG_NORM" || return 1 ;;
		esac
	done
	return 0
}

# RUN CFG [SED-EXPRESSION]: boots CFG (edited by SED-EXPRESSION), waits for
# lg_done or the time limit, stops the emulator, normalizes the log.
lg_boot() {
	LG_RUN=$1
	LG_ERRS=""
	work=$LG_LOGDIR/$LG_RUN
	rm -rf "$work"
	mkdir -p "$work"
	LG_CFG=$work/bulkhead.cfg
	sed "${3:-}" "$2" >"$LG_CFG"
	LG_RAW=$work/serial.log
	LG_NORM=$work/serial.txt
	: >"$LG_RAW"
	: >"$LG_NORM"
	if [ -x build/bulkhead-check ] && ! build/bulkhead-check --quiet --images build "$LG_CFG" \
		>"$work/check.out" 2>&1; then
		lg_fail "bulkhead-check rejects $2: $(head -n 3 "$work/check.out")"
		return 1
	fi
	# shellcheck disable=SC2046
	bed_start "$LG_CFG" "$work" "$LG_RAW" $(lg_files "$LG_CFG") || {
		lg_fail "the $BED bed did not start"
		return 1
	}
	start=$(date +%s)
	ended=""
	while :; do
		lg_normalize "$LG_RAW" "$LG_NORM"
		if lg_done; then
			break
		fi
		if ! kill -0 "$bed_pid" 2>/dev/null; then
			ended=yes
			break
		fi
		if [ $(($(date +%s) - start)) -ge "$LG_LIMIT" ]; then
			lg_fail "time limit: ${LG_LIMIT} s"
			break
		fi
		sleep 0.5
	done
	# Let the last counters and the emulator's own exit (test_exit) come through.
	if [ -z "$ended" ]; then
		i=0
		while grep -qx "bulkhead: test_exit" "$LG_NORM" && kill -0 "$bed_pid" 2>/dev/null &&
			[ $i -lt 20 ]; do
			sleep 0.5
			i=$((i + 1))
		done
		sleep 1
	fi
	bed_stop
	LG_STATUS=$(bed_status)
	lg_normalize "$LG_RAW" "$LG_NORM"
	echo "  $BED/$LG_RUN: $(($(date +%s) - start)) s, emulator status $LG_STATUS"
	return 0
}

# After `bulkhead: test_exit` the emulator must have ended by itself with the
# bed's status for it; with LG_TEST_EXIT=1 every run whose guests all end
# must get there.
lg_test_exit() {
	if [ "$LG_TEST_EXIT" = 1 ]; then
		lg_expect "bulkhead: test_exit"
	fi
	if grep -qx "bulkhead: test_exit" "$LG_NORM" && [ "$LG_STATUS" != "$LG_EXIT_STATUS" ]; then
		lg_fail "emulator status $LG_STATUS after test_exit, want $LG_EXIT_STATUS"
	fi
}

# Remembers where this boot put the hypervisor's text.
lg_learn_hv() {
	t=$(sed -n 's/^paging: .* text \(0x[0-9a-f]*\)-0x[0-9a-f]* r-x.*/\1/p' "$LG_NORM" | head -n 1)
	[ -z "$t" ] || LG_HV_TEXT=$t
}

lg_finish() {
	if [ -z "$LG_ERRS" ]; then
		echo "pass: $BED/$LG_RUN"
		return 0
	fi
	LG_FAILED=1
	echo "fail: $BED/$LG_RUN$LG_ERRS"
	echo "  serial log: $LG_RAW (normalized: $LG_NORM); last 40 lines:"
	tail -n 40 "$LG_NORM" | sed 's/^/  | /'
	return 1
}

# ---- the matrix: the same on every bed ------------------------------------------

# Three guests at once: hello (pinned at 128 MiB), cpuid as a raw image, and
# escape reading hello's host-physical address.
lg_run_trio() {
	lg_boot trio guests/configs/tests/trio.cfg || { lg_finish; return; }
	lg_common
	lg_started hello 1
	lg_started cpuid 2
	lg_started esc-other 3
	lg_pass hello hello "hello: hello from a Bulkhead test guest"
	lg_pass cpuid cpuid 'cpuid: leaf 0x40000000: max 0x40000001 signature "Bulkhead...."'
	lg_escape esc-other 2 "other=" 0x8000000
	# The address esc-other read is really where hello's memory is.
	lg_expect_re "  hello +1 +4 MiB +0x000008000000-0x0000083fffff .*"
	lg_test_exit
	lg_counters hello cpuid esc-other
	lg_learn_hv
	lg_finish
}

# A two-vCPU guest that starts its second CPU itself, and escape past its RAM.
lg_run_smp() {
	lg_boot smp guests/configs/tests/smp.cfg || { lg_finish; return; }
	lg_common
	lg_started smp 1-2
	lg_started esc-ram 3
	lg_pass smp smp "smp: boot cpu online, apic id 0, x2APIC mode, starting 1 more" \
		"smp: cpu online, apic id 1" "smp: 2 CPUs online"
	lg_escape esc-ram 1 "the end of its RAM" 0x200000
	lg_test_exit
	lg_counters smp esc-ram
	lg_learn_hv
	lg_finish
}

# MSR and I/O policy, and escape reading the hypervisor's text (where the
# previous boot on this bed put it; checked against this boot's own line).
lg_run_policy() {
	hv=$LG_HV_TEXT
	expr=""
	[ -z "$hv" ] || expr="s/hv=0x[0-9a-f]*/hv=$hv/"
	lg_boot policy guests/configs/tests/policy.cfg "$expr" || { lg_finish; return; }
	hv=$(sed -n 's/.*hv=\(0x[0-9a-f]*\).*/\1/p' "$LG_CFG")
	lg_common
	lg_started msr 1
	lg_started io 2
	lg_started esc-hv 3
	lg_pass msr msr "msr: self-check: #UD caught and resumed" "msr: rdmsr 0xdeadbeef raised #GP" \
		"msr: wrmsr 0xdeadbeef raised #GP"
	lg_pass io io "io: port 0xe0 reads 0xff 0xffff 0xffffffff" "io: rep outsb reached the UART" \
		"io: rep OUTSB backwards" "io: rep insb read 4 bytes, each 0x80 as in reads"
	lg_escape esc-hv 3 "hv=" "$hv"
	LG_HV_PREV=$hv
	lg_learn_hv
	[ "$LG_HV_TEXT" = "$LG_HV_PREV" ] ||
		lg_fail "esc-hv read $LG_HV_PREV but this boot's hypervisor text starts at $LG_HV_TEXT"
	lg_test_exit
	lg_counters msr io esc-hv
	lg_finish
}

# spin never ends (no test_exit): the others still print, check their
# multiboot information and exit; then the test stops the machine.
lg_run_spin() {
	LG_FOREVER=spin
	lg_boot spin guests/configs/tests/spin.cfg || { LG_FOREVER=""; lg_finish; return; }
	LG_FOREVER=""
	lg_common
	lg_started spin 1
	lg_started hello 2
	lg_started mbinfo 3
	lg_spinning spin
	lg_pass hello hello "hello: hello from a Bulkhead test guest"
	lg_pass mbinfo mbinfo 'mbinfo: cmdline="guests/mbinfo.elf a=1 b=two"' \
		'mbinfo: loader="Bulkhead"' "mbinfo: modules=0"
	lg_expect_none "^bulkhead: test_exit"
	lg_counters hello mbinfo
	lg_finish
}

# The virtual local APIC as Linux uses it (the apic guest), on one CPU and on
# two (CPU 0 sends fixed IPIs to CPU 1: physical, logical, all-but-self). Every part runs under Bulkhead:
# x2APIC, TSC-deadline and EN 1->0->1 too, with the timing checked.
lg_run_apic() {
	lg_boot apic guests/configs/tests/apic.cfg || { lg_finish; return; }
	lg_common
	lg_started apic 1
	lg_started apic2 2-3
	for g in apic apic2; do
		lg_expect_re "\[$g\] apic: under Bulkhead, timer period 1 ms = [0-9]+ TSC cycles"
		lg_pass "$g" apic "apic: xAPIC id 0 version 0x14 max LVT 6, MMIO loads and stores agree" \
			"apic: software-enabled through SVR, spurious vector 0xff" \
			"apic: xAPIC one-shot timer: 1 interrupt, current count 0 after it" \
			"apic: periodic timer (divide 16): 5 interrupts halted, 3 running, stopped by a zero count" \
			"apic: TSC-deadline timer: fired at its deadline, MSR 0 after, a past deadline fires at once, a 0 write disarms" \
			"apic: EOI: a second timer interrupt waits in IRR until EOI, self IPI 0x50 nests" \
			"apic: TPR 0x60 holds a self IPI 0x50 back until lowered" \
			"apic: PIT IRQ 0 at 1 kHz through IOAPIC pin 2: 5 interrupts halted, none masked" \
			"apic: x2APIC one-shot timer: 1 interrupt, current count 0 after it" \
			"apic: x2APIC id 0: one-shot timer and self IPIs through MSRs, no direct way back to xAPIC" \
			"apic: re-enabled xAPIC one-shot timer: 1 interrupt, current count 0 after it" \
			"apic: IA32_APIC_BASE EN 1->0->1: back software-disabled and masked, works again"
		lg_expect_none "^\[$g\] apic: [0-9]+ spurious interrupts"
	done
	lg_expect "[apic2] apic: cpu 1 (APIC ID 1) received 3 fixed IPIs 0x50"
	lg_expect "[apic2] apic: cpu 0 sent fixed IPIs 0x50 to cpu 1: physical, logical flat, all-but-self"
	lg_test_exit
	lg_counters apic apic2
	lg_finish
}

# One guest on the boot CPU (no test_exit): for a bed with one CPU.
lg_run_uefi1() {
	lg_boot uefi1 guests/configs/tests/uefi1.cfg || { lg_finish; return; }
	lg_common
	lg_started hello 0
	lg_pass hello hello "hello: hello from a Bulkhead test guest"
	lg_counters hello
	lg_finish
}

# guests_matrix [RUN...]: trio smp policy spin apic by default (uefi1 on request).
# Exit status 0 or 1.
guests_matrix() {
	runs=${*:-trio smp policy spin apic}
	for r in $runs; do
		case "$r" in
		trio | smp | policy | spin | apic | uefi1) "lg_run_$r" ;;
		*)
			echo "unknown run '$r' (trio smp policy spin apic uefi1)"
			return 2
			;;
		esac
	done
	return "$LG_FAILED"
}
