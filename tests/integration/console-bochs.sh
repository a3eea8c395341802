#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The serial console under Bochs (Intel VMX, multiboot2 through GRUB), driven
# over Bochs' COM1 socket server by tests/integration/console_driver.py: list,
# info, stats, regs on a running guest, focus switching with input reaching
# the right guest, stop/start/restart of one guest while the other runs, and
# garbage input (random bytes, a long line, unknown commands).
# Exit status: 0 pass, 1 fail, 77 when Bochs, GRUB or the images are missing.
set -u
cd "$(dirname "$0")/../.."

LOGDIR=${TEST_LOGDIR:-build/test-logs}/console-bochs
mkdir -p "$LOGDIR"
for f in build/bulkhead.elf build/guests/echo.elf; do
	[ -f "$f" ] || { echo "skip: $f missing (make all)"; exit 77; }
done
for t in bochs grub-mkrescue xorriso; do
	command -v "$t" >/dev/null || { echo "skip: no $t"; exit 77; }
done

log=$LOGDIR/console.log
: >"$log"
tools/mkiso.sh -o "$LOGDIR/console.iso" -e build/bulkhead.elf \
	guests/configs/tests/console-bochs.cfg build/guests/echo.elf=guests/echo.elf \
	>"$LOGDIR/mkiso.out" 2>&1 || { echo "fail: bochs/console: mkiso (see $LOGDIR/mkiso.out)"; exit 1; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

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

BOCHS_COM1_PORT=$port timeout -k 15 70 tools/run-bochs.sh -m corei7_skylake_x -n 3 -M 256 -t 55 \
	-w "$LOGDIR/work" "$LOGDIR/console.iso" </dev/null >"$LOGDIR/run-bochs.out" 2>&1 &
bochs=$!
if python3 tests/integration/console_driver.py -p "$port" -l "$log" -s "$LOGDIR/console.script" \
	-c 30 2>"$LOGDIR/console.err"; then
	ok=1
else
	ok=0
fi
kill -TERM "$bochs" 2>/dev/null
wait "$bochs" 2>/dev/null
if grep -qE '^(\[[^]]*\] )?bulkhead: (exception |nested exception|panic:|fatal exception)' "$log"; then
	ok=0
	echo "  hypervisor crash in $log"
fi
if [ $ok = 1 ]; then
	echo "pass: bochs/console"
	exit 0
fi
echo "fail: bochs/console: $(cat "$LOGDIR/console.err") (log: $log)"
tr -d '\r' <"$log" | tail -n 30
exit 1
