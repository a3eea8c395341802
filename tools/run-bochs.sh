#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Boots a GRUB ISO (tools/mkiso.sh) in Bochs with a bochsrc generated from the
# template below, capturing COM1 in real time.
#
# usage: tools/run-bochs.sh [-m MODEL] [-n CPUS] [-M MEGS] [-t SECONDS]
#                           [-s SERIAL_LOG] [-w WORKDIR] [-u] ISO
#   -m  CPU model            (env BOCHS_CPU_MODEL, default corei7_skylake_x)
#   -n  CPU count            (env BOCHS_CPUS,      default 1)
#   -M  memory in MiB        (env BOCHS_MEGS,      default 512)
#   -t  wall-clock limit, s  (env BOCHS_TIMEOUT,   default 120)
#   -s  serial log file, "-" for standard output
#                            (env BOCHS_SERIAL,    default WORKDIR/serial.log)
#   -w  directory for bochsrc, bochs.log and the serial log
#                            (env BOCHS_WORKDIR,   default a new temporary directory)
#   -u  UEFI: ISO is instead a FAT ESP image (tools/mkesp.sh) booted by OVMF.fd
#
# COM1 is a Bochs socket server; a small client appends what arrives to the
# serial log as it arrives (Bochs' own file mode only flushes on a clean exit).
# Bochs stops on the magic breakpoint (xchg %bx,%bx, the hypervisor's
# `test_exit` option) with status 0, or on the time limit with SIGINT, which
# also leaves no lock files. Exit status: Bochs' own, 124 on the time limit.
set -eu

model=${BOCHS_CPU_MODEL:-corei7_skylake_x}
cpus=${BOCHS_CPUS:-1}
megs=${BOCHS_MEGS:-512}
limit=${BOCHS_TIMEOUT:-120}
serial=${BOCHS_SERIAL:-}
work=${BOCHS_WORKDIR:-}
uefi=""
usage() {
	sed -n '4,23s/^# \{0,1\}//p' "$0" >&2
	exit 2
}
while getopts "m:n:M:t:s:w:uh" opt; do
	case "$opt" in
	m) model=$OPTARG ;;
	n) cpus=$OPTARG ;;
	M) megs=$OPTARG ;;
	t) limit=$OPTARG ;;
	s) serial=$OPTARG ;;
	w) work=$OPTARG ;;
	u) uefi=yes ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
iso=$(realpath "$1")
[ -f "$iso" ] || { echo "run-bochs: $1: no such file" >&2; exit 1; }
[ -n "$work" ] || work=$(mktemp -d "${TMPDIR:-/tmp}/bulkhead-bochs.XXXXXX")
mkdir -p "$work"
work=$(realpath "$work")
[ -n "$serial" ] || serial=$work/serial.log
if [ "$serial" != "-" ]; then
	: >"$serial"
	serial=$(realpath "$serial")
fi

# A free TCP port for the COM1 socket (released just before Bochs binds it).
# BOCHS_COM1_PORT: use that port and leave the connection to the caller
# (an interactive test driving the console); no serial log is written then.
port=${BOCHS_COM1_PORT:-}
[ -n "$port" ] || port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# Legacy BIOS from a CD, or OVMF from a flat disk (OVMF floods `info` with RDMSR reports).
firmware="romimage: file=/usr/share/bochs/BIOS-bochs-latest
ata0-master: type=cdrom, path=$iso, status=inserted
boot: cdrom
info: action=report"
[ -z "$uefi" ] || firmware="romimage: file=/usr/share/ovmf/OVMF.fd, address=0xffe00000
pci: enabled=1, chipset=i440fx
ata0-master: type=disk, path=$iso, mode=flat
boot: disk
info: action=ignore"
cat >"$work/bochsrc" <<EOT
megs: $megs
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
cpu: model=$model, count=$cpus, ips=50000000, reset_on_triple_fault=0
$firmware
com1: enabled=1, mode=socket-server, dev=127.0.0.1:$port
display_library: term
log: $work/bochs.log
panic: action=fatal
error: action=report
debug: action=ignore
speaker: enabled=0
magic_break: enabled=1
EOT
# Debugger script: run; at the magic breakpoint, quit with status 0.
printf 'c\nquit\n' >"$work/bochs.rc"

# Serial client: connects once Bochs listens, logs until Bochs closes the socket.
serial_client() {
	exec python3 - "$port" "$serial" "$limit" <<'EOP'
import socket, sys, time
port, path, limit = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
deadline = time.time() + limit + 15
while True:
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=1)
        break
    except OSError:
        if time.time() > deadline:
            sys.exit("run-bochs: no connection to the Bochs serial port")
        time.sleep(0.1)
s.settimeout(1)
out = sys.stdout.buffer if path == "-" else open(path, "ab", buffering=0)
with out:
    while time.time() < deadline:
        try:
            data = s.recv(4096)
        except socket.timeout:
            continue
        except OSError:
            break
        if not data:
            break
        out.write(data)
        out.flush()
EOP
}

# timeout(1) leads its own process group: signalling the group reaches Bochs.
# (dash's kill takes "-SIG -PGID", not "--".)
# SIGINT lets Bochs remove its lock files; SIGKILL only if it ignores that.
bochs=""
client=""
stop_all() {
	if [ -n "$bochs" ] && kill -0 "$bochs" 2>/dev/null; then
		kill -INT "-$bochs" 2>/dev/null || true
		i=0
		while kill -0 "$bochs" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "-$bochs" 2>/dev/null || true
	fi
	[ -z "$client" ] || kill "$client" 2>/dev/null || true
	wait 2>/dev/null || true
	bochs=""
	client=""
}
trap 'stop_all' EXIT
trap 'stop_all; exit 130' INT TERM

if [ -z "${BOCHS_COM1_PORT:-}" ]; then
	serial_client &
	client=$!
fi
cd "$work"
TERM=dumb timeout -k 10 -s INT "$limit" bochs -q -f "$work/bochsrc" -rc "$work/bochs.rc" \
	</dev/null >"$work/bochs.out" 2>&1 &
bochs=$!
status=0
wait "$bochs" || status=$?
bochs=""
# The client ends when Bochs closes the socket; never leave it behind.
i=0
while [ -n "$client" ] && kill -0 "$client" 2>/dev/null && [ $i -lt 20 ]; do
	sleep 0.1
	i=$((i + 1))
done
stop_all
echo "run-bochs: status $status, serial log $serial, Bochs log $work/bochs.log" >&2
exit "$status"
