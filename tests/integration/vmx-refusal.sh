#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Negative test: Bochs `core2_penryn_t9600` has VMX but no EPT (nor
# unrestricted guest). Booted through GRUB (multiboot2, 2 CPUs, `test_exit`)
# with a configuration that asks for one guest, the hypervisor must print
# `bulkhead: cannot run guests on this CPU: REASON` with a REASON that names
# what is missing (EPT), start no guest, still reach `bulkhead: ready`, and
# end cleanly at the magic breakpoint (status 0) without any crash.
#
#   tests/integration/vmx-refusal.sh
#
# Logs: $TEST_LOGDIR/vmx-refusal/ (default build/test-logs).
# Exit: 0 pass, 1 fail (prints the log's path and its last 40 lines), 77 when
# Bochs or GRUB is missing. Hard limit 60 s; no Bochs outlives it.
set -u
cd "$(dirname "$0")/../.." || exit 1

LIMIT=60
ELF=${ELF:-build/bulkhead.elf}
CFG=guests/configs/tests/refusal.cfg
CRASH_RE='^bulkhead: (exception |nested exception|panic:|fatal exception|halted)'

for tool in bochs grub-mkrescue xorriso python3; do
	command -v "$tool" >/dev/null || {
		echo "skip: $tool missing"
		exit 77
	}
done
for f in "$ELF" build/guests/hello.elf; do
	[ -f "$f" ] || { echo "fail: $f missing (run make)"; exit 1; }
done

work=${TEST_LOGDIR:-build/test-logs}/vmx-refusal
rm -rf "$work"
mkdir -p "$work"
tools/mkiso.sh -o "$work/bulkhead.iso" -e "$ELF" -c "test_exit" "$CFG" \
	build/guests/hello.elf=guests/hello.elf >"$work/mkiso.out" 2>&1 || {
	echo "fail: mkiso.sh"
	cat "$work/mkiso.out"
	exit 1
}
raw=$work/serial.log
log=$work/serial.txt
# run-bochs.sh bounds Bochs (-t, SIGINT) and leaves nothing running when it returns.
timeout -k 15 $((LIMIT + 20)) tools/run-bochs.sh -m core2_penryn_t9600 -n 2 -M 256 -t "$LIMIT" \
	-w "$work" -s "$raw" "$work/bulkhead.iso" </dev/null >"$work/run-bochs.out" 2>&1
rc=$?
tr -d '\r' <"$raw" | sed 's/^\[[^]]*\] //' >"$log"

errs=""
fail() {
	errs="$errs
  - $*"
}
grep -qxE 'bulkhead: cannot run guests on this CPU: .*EPT.*' "$log" ||
	fail "no line 'bulkhead: cannot run guests on this CPU: ...' naming EPT"
grep -qx "bulkhead: ready" "$log" || fail "no 'bulkhead: ready'"
grep -qx "bulkhead: test_exit" "$log" || fail "no 'bulkhead: test_exit'"
[ "$rc" = 0 ] || fail "Bochs status $rc, want 0 (magic breakpoint)"
if grep -qE "^bulkhead: guest |^\[hello\] |^bulkhead: virtualization: |$CRASH_RE" "$log"; then
	fail "unexpected: $(grep -E "^bulkhead: guest |^\[hello\] |^bulkhead: virtualization: |$CRASH_RE" "$log" | head -n 1)"
fi
locks=$(find "$work" -name '*.lock')
# shellcheck disable=SC2086
[ -z "$locks" ] || { fail "lock files left behind: $locks"; rm -f $locks; }

if [ -z "$errs" ]; then
	echo "pass: $(grep -m 1 '^bulkhead: cannot run guests on this CPU: ' "$log")"
	exit 0
fi
echo "fail: vmx-refusal (core2_penryn_t9600)$errs"
echo "serial log: $raw (Bochs log: $work/bochs.log); last 40 lines:"
tail -n 40 "$log"
exit 1
