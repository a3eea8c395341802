#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Boots build/bulkhead.efi in QEMU TCG (q35, OVMF) with the demo configuration
# and checks the serial log for every CPU online and `bulkhead: ready`.
#
#   tests/integration/qemu-efi-boot.sh SMP MEM      e.g. 4 512M
#
# Exit: 0 pass, 1 fail (prints the log's path and its last 40 lines),
# 77 when QEMU or OVMF is missing. Hard limit 60 s; no QEMU outlives it.
set -u
cd "$(dirname "$0")/../.."

SMP=${1:?usage: qemu-efi-boot.sh SMP MEM}
MEM=${2:?usage: qemu-efi-boot.sh SMP MEM}
LIMIT=60

command -v qemu-system-x86_64 >/dev/null && [ -f /usr/share/OVMF/OVMF_CODE_4M.fd ] || {
	echo "skip: qemu-system-x86_64 or OVMF missing"
	exit 77
}
EFI=${EFI:-build/bulkhead.efi}
[ -f "$EFI" ] || { echo "fail: $EFI missing (run make)"; exit 1; }
export EFI

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bulkhead-test.XXXXXX")
log=$tmp/serial.log
pid=""

# timeout(1) leads its own process group: killing the group reaches QEMU.
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

: >"$log"
SMP=$SMP MEM=$MEM SERIAL="file:$log" timeout -k 5 "$LIMIT" tools/run-qemu.sh \
	</dev/null >"$tmp/qemu.out" 2>&1 &
pid=$!

passed() {
	grep -q "bulkhead: ready" "$log" && grep -q "$SMP of $SMP CPUs online" "$log"
}

result=1
elapsed=0
while [ "$elapsed" -lt $((LIMIT * 2)) ]; do
	if passed; then
		result=0
		break
	fi
	kill -0 "$pid" 2>/dev/null || break # QEMU ended (crash, reset, timeout)
	sleep 0.5
	elapsed=$((elapsed + 1))
done
passed && result=0
stop_qemu

if [ "$result" -eq 0 ]; then
	echo "pass: $SMP CPUs, $MEM: all CPUs online, ready"
	rm -rf "$tmp"
	exit 0
fi
echo "fail: $SMP CPUs, $MEM: no 'bulkhead: ready' with '$SMP of $SMP CPUs online'"
echo "serial log: $log (QEMU output: $tmp/qemu.out)"
tail -n 40 "$log"
exit 1
