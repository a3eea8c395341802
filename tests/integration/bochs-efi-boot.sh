#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Boots build/bulkhead.efi under Bochs with Debian's OVMF (Intel VMX CPU,
# one CPU) and checks the serial log for `bulkhead: ready` and the CPU count.
#
#   tests/integration/bochs-efi-boot.sh
#
# Bochs' file-backed serial port only reaches the file on a clean exit, so
# COM1 is a socket server here and a small client logs what arrives in real
# time. Exit: 0 pass, 1 fail (prints the log's path and its last 40 lines),
# 77 when Bochs or OVMF.fd is missing. Hard limit 90 s; no Bochs outlives it.
set -u
cd "$(dirname "$0")/../.."

LIMIT=85 # the client's wait; Bochs itself is bounded 5 s later
OVMF_FD=/usr/share/ovmf/OVMF.fd
SMP=1

command -v bochs >/dev/null && command -v python3 >/dev/null && [ -f "$OVMF_FD" ] || {
	echo "skip: bochs, python3 or $OVMF_FD missing"
	exit 77
}
EFI=${EFI:-build/bulkhead.efi}
[ -f "$EFI" ] || { echo "fail: $EFI missing (run make)"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bulkhead-bochs.XXXXXX")
log=$tmp/serial.log
bochs_pid=""
client_pid=""

# SIGINT drops Bochs into its debugger, which quits on stdin's end of file;
# that also removes the disk's lock file. timeout(1) leads its own group.
stop_all() {
	if [ -n "$bochs_pid" ]; then
		kill -INT "-$bochs_pid" 2>/dev/null
		n=0
		while kill -0 "$bochs_pid" 2>/dev/null && [ "$n" -lt 10 ]; do
			sleep 0.5
			n=$((n + 1))
		done
		kill -KILL "-$bochs_pid" 2>/dev/null
		wait "$bochs_pid" 2>/dev/null
		bochs_pid=""
	fi
	if [ -n "$client_pid" ]; then
		kill "$client_pid" 2>/dev/null
		wait "$client_pid" 2>/dev/null
		client_pid=""
	fi
}
trap 'stop_all' EXIT
trap 'exit 130' INT TERM

cfg=guests/configs/demo.cfg
if [ -f "$cfg" ]; then
	tools/mkesp.sh -o "$tmp/esp.img" -e "$EFI" -c "$cfg" || exit 1
else
	tools/mkesp.sh -o "$tmp/esp.img" -e "$EFI" || exit 1
fi

# A port nobody listens on (Bochs does not reuse one in TIME_WAIT).
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cat >"$tmp/bochsrc" <<EOT
megs: 256
romimage: file=$OVMF_FD, address=0xffe00000
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
cpu: model=corei7_skylake_x, count=$SMP, ips=50000000, reset_on_triple_fault=0
pci: enabled=1, chipset=i440fx
ata0-master: type=disk, path=$tmp/esp.img, mode=flat
boot: disk
com1: enabled=1, mode=socket-server, dev=127.0.0.1:$port
display_library: term
log: $tmp/bochs.log
panic: action=fatal
error: action=report
info: action=ignore
debug: action=ignore
speaker: enabled=0
magic_break: enabled=1
EOT
printf 'c\n' >"$tmp/rc"

# Logs COM1 until both lines are seen (exit 0), or the limit or EOF (exit 1).
cat >"$tmp/client.py" <<'EOT'
import socket, sys, time
port, path, limit, want = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4:]
end = time.time() + limit
sock = None
while sock is None and time.time() < end:
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=1)
    except OSError:
        time.sleep(0.2)
if sock is None:
    sys.exit(1)
sock.settimeout(0.5)
seen = b""
with open(path, "wb", buffering=0) as log:
    while time.time() < end:
        try:
            data = sock.recv(4096)
        except socket.timeout:
            continue
        if not data:
            break
        log.write(data)
        seen += data
        if all(w.encode() in seen for w in want):
            sys.exit(0)
sys.exit(1)
EOT

: >"$log"
python3 "$tmp/client.py" "$port" "$log" "$LIMIT" \
	"bulkhead: ready" "$SMP of $SMP CPUs online" &
client_pid=$!
TERM=dumb timeout -k 10 -s INT $((LIMIT + 5)) bochs -q -f "$tmp/bochsrc" -rc "$tmp/rc" \
	</dev/null >"$tmp/bochs.out" 2>&1 &
bochs_pid=$!

wait "$client_pid"
result=$?
client_pid=""
stop_all

if [ "$result" -eq 0 ]; then
	echo "pass: Bochs + OVMF, $SMP CPU: all CPUs online, ready"
	rm -rf "$tmp"
	exit 0
fi
echo "fail: Bochs + OVMF: no 'bulkhead: ready' with '$SMP of $SMP CPUs online'"
echo "serial log: $log (Bochs log: $tmp/bochs.log)"
tail -n 40 "$log"
exit 1
