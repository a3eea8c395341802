#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Runs build/bulkhead-check on every example in guests/configs (each must be
# valid) and on every file in tests/config-bad (each must be rejected with the
# rule named in its first line, "# expect: RULE"). A bad file may name a
# machine description on a "# machine: NAME" line (tests/config-bad/NAME.machine).
# Exits non-zero on any mismatch.
set -u
cd "$(dirname "$0")/.."
CHECK=${CHECK:-build/bulkhead-check}
[ -x "$CHECK" ] || make -s "$CHECK" >/dev/null || exit 2
fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

for f in guests/configs/*.cfg; do
	if "$CHECK" --quiet "$f" >"$out" 2>&1; then
		echo "ok   $f"
	else
		echo "FAIL $f: expected valid"; cat "$out"; fail=1
	fi
done

for f in tests/config-bad/*.cfg; do
	rule=$(sed -n '1s/^# expect: *//p' "$f")
	machine=$(sed -n 's/^# machine: *//p' "$f" | head -n 1)
	if [ -z "$rule" ]; then
		echo "FAIL $f: no '# expect: RULE' first line"; fail=1; continue
	fi
	set -- --quiet
	[ -n "$machine" ] && set -- "$@" --machine "tests/config-bad/$machine.machine"
	"$CHECK" "$@" "$f" >"$out" 2>&1
	rc=$?
	if [ $rc -eq 1 ] && grep -q "^$f:[0-9]*: error\[$rule\]" "$out"; then
		echo "ok   $f ($rule)"
	else
		echo "FAIL $f: expected exit 1 with error[$rule], got exit $rc:"; cat "$out"; fail=1
	fi
done
[ $fail -eq 0 ] && echo "config-examples: all passed"
exit $fail
