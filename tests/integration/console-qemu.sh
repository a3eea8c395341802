#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The serial console under QEMU (AMD SVM), driven over a TCP serial port by
# tests/integration/console_driver.py. Two boots:
#   console       two echo guests and a flooding one: list, info, stats, regs
#                 on a running guest, the shell answering within a second while
#                 flood prints, focus switching with input reaching the right
#                 guest, stop/start/restart of one guest while another prints,
#                 garbage input (random bytes, a 10 KB line, unknown commands)
#   console-spin  a guest spinning with interrupts off on every CPU but the
#                 console's: the shell still answers
#   console-all   2 CPUs, a spinning guest on each, the console's (the boot
#                 CPU) included: the shell answers within a second from the
#                 hypervisor tick (the host local APIC timer under SVM)
#   console-cpu1  a guest on the boot CPU and no console_cpu: the console is
#                 handed to CPU 1 and answers there, input reaches the guest
#   restart       a two-vCPU guest whose second CPU took an NMI and was
#                 stopped in guest mode, restarted twice from the shell
#                 (tests/integration/restart.script)
# Exit status: 0 pass, 1 fail, 77 when QEMU or the images are missing.
set -u
cd "$(dirname "$0")/../.."

LOGDIR=${TEST_LOGDIR:-build/test-logs}/console-qemu
mkdir -p "$LOGDIR"
for f in build/bulkhead.efi build/guests/echo.elf build/guests/flood.elf build/guests/spin.elf \
	build/guests/smp.elf; do
	[ -f "$f" ] || { echo "skip: $f missing (make all)"; exit 77; }
done
command -v qemu-system-x86_64 >/dev/null || { echo "skip: no qemu-system-x86_64"; exit 77; }

failed=0
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# boot NAME CFG SCRIPT: boots CFG with the serial port on a TCP server and runs SCRIPT.
boot() {
	name=$1 cfg=$2 script=$3
	port=$(free_port)
	log=$LOGDIR/$name.log
	: >"$log"
	CFG=$cfg SERIAL="tcp:127.0.0.1:$port,server=on,wait=on" \
		timeout -k 5 58 tools/run-qemu.sh build/guests/echo.elf=guests/echo.elf \
		build/guests/flood.elf=guests/flood.elf build/guests/spin.elf=guests/spin.elf \
		build/guests/smp.elf=guests/smp.elf >"$LOGDIR/$name.qemu" 2>&1 &
	qemu=$!
	if python3 tests/integration/console_driver.py -p "$port" -l "$log" -s "$script" \
		2>"$LOGDIR/$name.err"; then
		ok=1
	else
		ok=0
	fi
	kill "$qemu" 2>/dev/null
	wait "$qemu" 2>/dev/null
	if grep -qE '^(\[[^]]*\] )?bulkhead: (exception |nested exception|panic:|fatal exception)' \
		"$log"; then
		ok=0
		echo "  hypervisor crash in $log"
	fi
	if [ $ok = 1 ]; then
		echo "pass: qemu/$name"
	else
		echo "fail: qemu/$name: $(cat "$LOGDIR/$name.err") (log: $log)"
		tr -d '\r' <"$log" | grep -v 'flood: line' | tail -n 30
		failed=1
	fi
}

long=$(head -c 10240 /dev/zero | tr '\0' 'x')
cat >"$LOGDIR/console.script" <<EOT
expect bulkhead: console on CPU 0 45
line
expect bulkhead> 5
line help
expect ^ +reboot 5
line list
expect ^alpha +running +1 +2M 5
expect ^flood +running +3 5
line list --json
expect ^\{"guests":\[\{"name":"alpha","state":"running" 5
line info beta
expect ^  config:  cpus 2, memory 2M, format multiboot, kernel guests/echo.elf 5
expect ^  device:  uart ports 0x3f8-0x3ff 5
line cpus
expect ^0 +0 +yes +hypervisor \(console\) 5
expect ^3 +3 +yes +flood vcpu 0 5
line stats flood
expect ^  0    io  5
line regs flood
expect ^guest flood vcpu 0 \(live\): 5
expect ^  rip= 5
line version
expect ^Bulkhead .*virtualization svm 1
line mem --json
expect "owner":"flood" 5
send \x01\x01\x01
expect bulkhead: console input to guest alpha 5
line hello alpha
expect \[alpha\] echo: alpha got 'hello alpha' 5
send \x01\x01\x01
expect bulkhead: console input to guest beta 5
line hello beta
expect \[beta\] echo: beta got 'hello beta' 5
send \x01\x01\x01
expect bulkhead: console input to guest flood 5
send \x01\x01\x01
expect bulkhead: console input to the shell 5
line console beta
expect bulkhead: console input to guest beta 5
line via command
expect \[beta\] echo: beta got 'via command' 5
send \x01\x01\x01\x01\x01\x01
expect bulkhead: console input to the shell 5
line stop alpha
expect bulkhead: guest alpha stopped: by the operator 10
expect ^guest alpha stopped 10
mark
expect \[flood\] flood: line 5
line stop alpha
expect ^error: guest alpha is not running 5
line list
expect ^alpha +stopped 5
line regs alpha
expect ^guest alpha vcpu 0 \(as it stopped\): 5
line start alpha
expect bulkhead: guest alpha restarted 10
expect \[alpha\] echo: alpha ready 10
line restart beta
expect bulkhead: guest beta stopped: by the operator 10
expect bulkhead: guest beta restarted 10
expect \[beta\] echo: beta ready 10
mark
expect \[flood\] flood: line 5
line info alpha --json
expect "restarts":1 5
line frobnicate
expect ^error: unknown command 'frobnicate' 5
line info nosuch
expect ^error: no guest named 'nosuch' 5
random 2000 42
line
line $long
expect ^error: line too long 30
line version
expect ^Bulkhead 5
line stats reset
expect ^exit counters reset 5
EOT
boot console guests/configs/tests/console.cfg "$LOGDIR/console.script"

cat >"$LOGDIR/console-spin.script" <<'EOT'
expect bulkhead: guest spin3 started on cpus 3 45
expect bulkhead: console on CPU 0 10
line list
expect ^spin3 +running 5
line regs spin2
expect ^guest spin2 vcpu 0 \(live\): 5
line version
expect ^Bulkhead 1
line stop spin1
expect bulkhead: guest spin1 stopped: by the operator 10
line list
expect ^spin1 +stopped 5
EOT
boot console-spin guests/configs/tests/console-spin.cfg "$LOGDIR/console-spin.script"

cat >"$LOGDIR/console-all.script" <<'EOT'
expect bulkhead: guest spin1 started on cpus 1 45
expect bulkhead: console CPU 0 also runs guest spin0: the console polls from the hypervisor tick 10
line
expect bulkhead> 1
line list
expect ^spin0 +running 1
expect ^spin1 +running 1
line regs spin0
expect ^guest spin0 vcpu 0 \(live\): 1
expect ^  rip= 1
line regs spin1
expect ^guest spin1 vcpu 0 \(live\): 1
expect ^  rip= 1
line stats spin0
expect ^  0    ext-intr  1
line version
expect ^Bulkhead .*virtualization svm 1
line stop spin0
expect bulkhead: guest spin0 stopped: by the operator 2
expect ^guest spin0 is stopping \(it shares the console's CPU\) 2
expect bulkhead: guest spin0 ran 5
line list
expect ^spin0 +stopped 5
line start spin0
expect ^guest spin0 started 5
line list
expect ^spin0 +running 5
EOT
export SMP=2
boot console-all guests/configs/tests/console-all.cfg "$LOGDIR/console-all.script"
unset SMP
boot restart guests/configs/tests/restart.cfg tests/integration/restart.script

cat >"$LOGDIR/console-cpu1.script" <<'EOT'
expect bulkhead: console on CPU 1 45
line
expect bulkhead> 5
line list
expect ^echo0 +running +0 5
send \x01\x01\x01
expect bulkhead: console input to guest echo0 5
line hi
expect \[echo0\] echo: echo0 got 'hi' 5
EOT
boot console-cpu1 guests/configs/tests/console-cpu1.cfg "$LOGDIR/console-cpu1.script"
exit $failed
