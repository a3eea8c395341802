#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The serial console under Bochs (Intel VMX, multiboot2 through GRUB), driven
# over Bochs' COM1 socket server by tests/integration/console_driver.py: list,
# info, stats, regs on a running guest, focus switching with input reaching
# the right guest, stop/start/restart of one guest while the other runs, and
# garbage input (random bytes, a long line, unknown commands). A second boot,
# console-all, runs a guest spinning with interrupts off on both CPUs, the
# console's included: the shell answers from the hypervisor tick (VMX
# preemption timer). A third, restart, restarts a two-vCPU guest whose second
# CPU took an NMI and was stopped in guest mode (tests/integration/restart.script).
# Exit status: 0 pass, 1 fail, 77 when Bochs, GRUB or the images are missing.
set -u
cd "$(dirname "$0")/../.."

LOGDIR=${TEST_LOGDIR:-build/test-logs}/console-bochs
mkdir -p "$LOGDIR"
for f in build/bulkhead.elf build/guests/echo.elf build/guests/spin.elf build/guests/smp.elf; do
	[ -f "$f" ] || { echo "skip: $f missing (make all)"; exit 77; }
done
for t in bochs grub-mkrescue xorriso; do
	command -v "$t" >/dev/null || { echo "skip: no $t"; exit 77; }
done

failed=0

# boot NAME CFG CPUS SCRIPT: boots CFG from a GRUB ISO with COM1 on a socket and runs SCRIPT.
boot() {
	name=$1 cfg=$2 cpus=$3 script=$4
	log=$LOGDIR/$name.log
	: >"$log"
	tools/mkiso.sh -o "$LOGDIR/$name.iso" -e build/bulkhead.elf "$cfg" \
		build/guests/echo.elf=guests/echo.elf build/guests/spin.elf=guests/spin.elf \
		build/guests/smp.elf=guests/smp.elf >"$LOGDIR/$name.mkiso" 2>&1 ||
		{ echo "fail: bochs/$name: mkiso (see $LOGDIR/$name.mkiso)"; failed=1; return; }
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	BOCHS_COM1_PORT=$port timeout -k 15 70 tools/run-bochs.sh -m corei7_skylake_x -n "$cpus" \
		-M 256 -t 55 -w "$LOGDIR/work-$name" "$LOGDIR/$name.iso" </dev/null \
		>"$LOGDIR/$name.bochs" 2>&1 &
	bochs=$!
	if python3 tests/integration/console_driver.py -p "$port" -l "$log" -s "$script" \
		-c 30 2>"$LOGDIR/$name.err"; then
		ok=1
	else
		ok=0
	fi
	kill -TERM "$bochs" 2>/dev/null
	wait "$bochs" 2>/dev/null
	if grep -qE '^(\[[^]]*\] )?bulkhead: (exception |nested exception|panic:|fatal exception)' \
		"$log"; then
		ok=0
		echo "  hypervisor crash in $log"
	fi
	if [ $ok = 1 ]; then
		echo "pass: bochs/$name"
	else
		echo "fail: bochs/$name: $(cat "$LOGDIR/$name.err") (log: $log)"
		tr -d '\r' <"$log" | tail -n 30
		failed=1
	fi
}


long=$(head -c 2048 /dev/zero | tr '\0' 'y')
cat >"$LOGDIR/console.script" <<EOT
expect bulkhead: console on CPU 0 40
line
expect bulkhead> 5
line list
expect ^alpha +running +1 +2M 5
expect ^beta +running +2 +2M 5
line info alpha --json
expect ^\{"name":"alpha","state":"running" 5
line stats alpha
expect ^  0    io  5
line regs beta
expect ^guest beta vcpu 0 \(live\): 5
expect ^  rip= 5
line version
expect ^Bulkhead .*virtualization vmx 5
send \x01\x01\x01
expect bulkhead: console input to guest alpha 5
line to alpha
expect \[alpha\] echo: alpha got 'to alpha' 10
send \x01\x01\x01
expect bulkhead: console input to guest beta 5
line to beta
expect \[beta\] echo: beta got 'to beta' 10
send \x01\x01\x01
expect bulkhead: console input to the shell 5
line stop alpha
expect bulkhead: guest alpha stopped: by the operator 10
line regs alpha
expect ^guest alpha vcpu 0 \(as it stopped\): 10
line restart alpha
expect bulkhead: guest alpha restarted 10
expect \[alpha\] echo: alpha ready 10
send \x01\x01\x01
line again
expect \[alpha\] echo: alpha got 'again' 10
send \x01\x01\x01\x01\x01\x01
expect bulkhead: console input to the shell 5
random 300 9
line
line $long
expect ^error: line too long 20
line nonsense
expect ^error: unknown command 'nonsense' 5
line list
expect ^alpha +running .* 1$ 5
EOT

boot console guests/configs/tests/console-bochs.cfg 3 "$LOGDIR/console.script"

# Both CPUs run a spinning guest; the boot CPU (the console's) too, so no test_exit.
cat >"$LOGDIR/console-all.script" <<'EOT'
expect bulkhead: guest spin1 started on cpus 1 40
expect bulkhead: console CPU 0 also runs guest spin0: the console polls from the hypervisor tick 10
line
expect bulkhead> 5
line list
expect ^spin0 +running 3
expect ^spin1 +running 3
line regs spin0
expect ^guest spin0 vcpu 0 \(live\): 3
expect ^  rip= 3
line regs spin1
expect ^guest spin1 vcpu 0 \(live\): 3
line stats spin0
expect ^  0    preempt-timer  5
line version
expect ^Bulkhead .*virtualization vmx 3
EOT
boot console-all guests/configs/tests/console-all.cfg 2 "$LOGDIR/console-all.script"
boot restart guests/configs/tests/restart.cfg 3 tests/integration/restart.script
exit $failed
