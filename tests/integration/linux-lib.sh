# SPDX-License-Identifier: Apache-2.0
#
# Shared part of tests/integration/linux-qemu.sh and linux-bochs.sh: Debian's
# stock kernel (guests/linux/build.sh) as guest "linux" on 2 CPUs with 256 MiB
# beside the bare-metal guest "hello" (guests/configs/tests/linux.cfg),
# driven over a TCP serial port by tests/integration/console_driver.py.
#
# The bed script sets BED, LL_START (seconds until the guest starts: the
# hypervisor zeroes and loads 256 MiB first) and LL_LIMIT (seconds from
# there to the verdict), defines
#   ll_boot NAME CFG PORT   boot CFG in the background with COM1 on PORT, set ll_pid
#   ll_stop                 end the emulator (idempotent)
# and sources this file. Runs:
#   ll_run_poweroff  nproc and memory checks, a line typed into the guest's
#                    console (Ctrl-A x3 gives it focus) echoed back, 10 idle
#                    seconds bracketed by `stats reset` / `stats linux`, the
#                    verdict, a clean power-off; hello passes meanwhile
#   ll_run_reboot    `reboot -f` restarts the guest from its image, which
#                    boots to its verdict again
# Each prints "pass: BED/RUN" or "fail: BED/RUN" with the reasons, the time
# to the verdict and the exit counters.

LL_LOGDIR=${TEST_LOGDIR:-build/test-logs}/linux-$BED
LL_FAILED=0
LL_CRASH_RE='bulkhead: (exception |nested exception|panic:|fatal exception|halted)'
ll_pid=""
mkdir -p "$LL_LOGDIR"

ll_prepare() { # exit 77 when the kernel cannot be had, 1 when the hypervisor is not built
	guests/linux/build.sh build/linux >"$LL_LOGDIR/recipe.out" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "skip: the Debian kernel is not available (guests/linux/build.sh: $rc)"
		exit 77
	fi
	for f in build/guests/hello.elf build/linux/vmlinuz build/linux/initramfs.cpio.gz "$@"; do
		[ -f "$f" ] || { echo "fail: $f missing (run make)"; exit 1; }
	done
}

ll_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# NAME SED-EXPRESSION: the configuration of one run, under the run's directory.
ll_config() {
	mkdir -p "$LL_LOGDIR/$1"
	sed "$2" guests/configs/tests/linux.cfg >"$LL_LOGDIR/$1/bulkhead.cfg"
	echo "$LL_LOGDIR/$1/bulkhead.cfg"
}

# NAME CFG SCRIPT: boot, run the driver script, stop; the normalized log
# (CR and time stamps kept: the timing needs them) is LOG.
ll_drive() {
	name=$1 cfg=$2 script=$3
	LL_LOG=$LL_LOGDIR/$name/serial.log
	LL_ERRS=""
	: >"$LL_LOG"
	port=$(ll_free_port)
	start=$(date +%s)
	ll_boot "$name" "$cfg" "$port"
	python3 tests/integration/console_driver.py -p "$port" -l "$LL_LOG" -s "$script" \
		-c 60 2>"$LL_LOGDIR/$name/driver.err" || ll_fail "driver: $(cat "$LL_LOGDIR/$name/driver.err")"
	ll_stop
	# The shell redraws its prompt ("bulkhead> " ESC [K) before a line it interrupts.
	tr -d '\r' <"$LL_LOG" | sed 's/bulkhead> \x1b\[K//g; s/\x1b\[K//g' >"$LL_LOGDIR/$name/serial.txt"
	LL_TXT=$LL_LOGDIR/$name/serial.txt
	echo "  $BED/$name: $(($(date +%s) - start)) s"
}

ll_fail() {
	LL_ERRS="$LL_ERRS
  - $*"
}

ll_expect() { # ERE: some line matches
	grep -qE -- "$1" "$LL_TXT" || ll_fail "no line matches: $1"
}

ll_expect_none() {
	if grep -qE -- "$1" "$LL_TXT"; then
		ll_fail "unexpected line: $(grep -E -- "$1" "$LL_TXT" | head -n 1)"
	fi
}

# The hypervisor's time stamp (seconds) of the first line matching ERE after line FROM.
ll_stamp() { # ERE [FROM]
	tail -n +"${2:-1}" "$LL_TXT" | grep -E -m 1 -- "$1" | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p'
}

ll_line_no() { # ERE: number of the first matching line
	grep -nE -m 1 -- "$1" "$LL_TXT" | cut -d: -f1
}

# Time from "guest linux started" to its verdict, and the guest's own uptime then.
ll_timing() { # RUN
	t0=$(ll_stamp 'bulkhead: guest linux started')
	t1=$(ll_stamp '\[linux\] VERDICT linux')
	up=$(sed -n 's/.*\[linux\] VERDICT linux PASS (up \([0-9.]*\) s).*/\1/p' "$LL_TXT" | head -n 1)
	if [ -n "$t0" ] && [ -n "$t1" ]; then
		echo "  timing $BED/$1: verdict $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }') s after the guest started (guest uptime ${up:-?} s)"
	fi
}

# The counters the guest layer prints when a guest stops ("ran ... exits per reason:").
ll_counters() { # RUN
	awk '/bulkhead: guest linux ran /{on=1; print; next}
		on && /^\[ *[0-9.]*\]   linux cpu [0-9]+ /{print; next}
		on && /^\[ *[0-9.]*\] (bulkhead|\[)/{on=0}' "$LL_TXT" | sed "s/^/  counters $BED\/$1: /"
}

# Both sections of `stats linux` (since boot and since `stats reset`), as printed.
ll_idle_stats() { # RUN
	sed -n '/^guest linux:$/,/^bulkhead> /p' "$LL_TXT" | sed "s/^/  stats $BED\/$1: /"
}

ll_finish() { # RUN
	grep -qE "$LL_CRASH_RE" "$LL_TXT" && ll_fail "hypervisor crash: $(grep -E -m 1 "$LL_CRASH_RE" "$LL_TXT")"
	if [ -z "$LL_ERRS" ]; then
		echo "pass: $BED/$1"
		return 0
	fi
	LL_FAILED=1
	echo "fail: $BED/$1$LL_ERRS"
	echo "  serial log: $LL_TXT; last 40 lines:"
	tail -n 40 "$LL_TXT" | sed 's/^/  | /'
	return 1
}

ll_run_poweroff() {
	cfg=$(ll_config poweroff 's/check.end=poweroff/check.end=poweroff check.idle=10/')
	cat >"$LL_LOGDIR/poweroff/script" <<EOT
expect bulkhead: guest linux started on cpus 1-2 $LL_START
expect \[hello\] VERDICT hello PASS 30
expect \[linux\] ECHO-READY $LL_LIMIT
send \x01\x01\x01
expect bulkhead: console input to guest linux 10
line bulkhead-echo-42
expect \[linux\] ECHO-GOT \[bulkhead-echo-42\] 30
expect \[linux\] IDLE-START 10 s 30
send \x01\x01\x01\x01\x01\x01
expect bulkhead: console input to the shell 10
line stats reset
expect exit counters reset 10
expect \[linux\] IDLE-END 60
line stats linux
expect ^guest linux: 10
expect \[linux\] VERDICT linux 30
expect bulkhead: guest linux powered off 30
expect bulkhead: guest linux ran 10
sleep 1
EOT
	ll_drive poweroff "$cfg" "$LL_LOGDIR/poweroff/script"
	ll_expect '\[linux\] CHECK cpus ok nproc=2$'
	ll_expect '\[linux\] CHECK mem ok MemTotal=[0-9]+kB of 256MiB$'
	ll_expect '\[linux\] CHECK echo ok \[bulkhead-echo-42\]$'
	ll_expect '\[linux\] VERDICT linux PASS'
	ll_expect 'bulkhead: guest linux powered off'
	ll_expect '\[hello\] VERDICT hello PASS'
	ll_expect 'bulkhead: guest hello exited code=0'
	ll_expect_none 'bulkhead: guest hello stopped'
	ll_expect_none 'bulkhead: guest linux (stopped|restarted)'
	ll_timing poweroff
	ll_counters poweroff
	ll_idle_stats poweroff
	ll_finish poweroff
}

ll_run_reboot() {
	cfg=$(ll_config reboot 's/check.echo=1 check.end=poweroff/check.end=reboot/')
	cat >"$LL_LOGDIR/reboot/script" <<EOT
expect bulkhead: guest linux started on cpus 1-2 $LL_START
expect \[linux\] VERDICT linux $LL_LIMIT
expect bulkhead: guest linux restarted 60
mark
expect \[linux\] VERDICT linux $LL_LIMIT
EOT
	ll_drive reboot "$cfg" "$LL_LOGDIR/reboot/script"
	n=$(grep -cE '\[linux\] VERDICT linux PASS' "$LL_TXT")
	[ "$n" -ge 2 ] || ll_fail "$n passing verdicts, want 2 (before and after the restart)"
	ll_expect 'bulkhead: guest linux restarted'
	ll_expect_none 'bulkhead: guest linux (stopped|powered off)'
	ll_expect '\[hello\] VERDICT hello PASS'
	ll_timing reboot
	ll_counters reboot
	ll_finish reboot
}
