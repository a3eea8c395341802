#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Runs the whole suite: format check, every unit test binary (each cmocka case
# counts), then every line of tests/suite.list (exit 0 pass, 77 skipped,
# anything else fail). Ends with "N passed, N failed, N skipped".
#   tests/run-all.sh [PATTERN]   only suite.list entries whose name matches
set -u
cd "$(dirname "$0")/.."

PATTERN="${1:-}"
LOGDIR="${TEST_LOGDIR:-build/test-logs}"
mkdir -p "$LOGDIR"
passed=0
failed=0
skipped=0
failures=""

record() { # name status
	case "$2" in
	0) passed=$((passed + 1)); echo "PASS  $1" ;;
	77) skipped=$((skipped + 1)); echo "SKIP  $1" ;;
	*) failed=$((failed + 1)); failures="$failures $1"; echo "FAIL  $1 (log: $LOGDIR/$1.log)" ;;
	esac
}

run_format_check() {
	if make -s format-check >"$LOGDIR/format.log" 2>&1; then
		record format-check 0
	else
		cat "$LOGDIR/format.log" | head -20
		record format-check 1
	fi
}

# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)".
run_unit_tests() {
	for t in build/tests/*; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		log="$LOGDIR/$name.log"
		"$t" >"$log" 2>&1
		rc=$?
		# A binary may run several groups: add them all up.
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
		passed=$((passed + ${p:-0}))
		failed=$((failed + ${f:-0}))
		if [ "$rc" -ne 0 ]; then
			[ "$f" -gt 0 ] || failed=$((failed + 1))
			failures="$failures $name"
			echo "FAIL  $name (${f:-?} case(s) failed, log: $log)"
			grep -E '^\[  (FAILED|ERROR)' "$log" | head -10
		else
			echo "PASS  $name (${p:-0} cases)"
		fi
	done
}

run_suite_list() {
	grep -v '^[[:space:]]*#' tests/suite.list | grep -v '^[[:space:]]*$' |
		while read -r name cmd; do echo "$name $cmd"; done >"$LOGDIR/.list"
	while read -r name cmd; do
		case "$name" in *"$PATTERN"*) ;; *) continue ;; esac
		start=$(date +%s)
		sh -c "$cmd" >"$LOGDIR/$name.log" 2>&1 </dev/null
		rc=$?
		echo "      ($name: $(($(date +%s) - start)) s)"
		[ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && tail -15 "$LOGDIR/$name.log"
		record "$name" "$rc"
	done <"$LOGDIR/.list"
}

# The while loop above runs in this shell (input redirected, no pipe), so the
# counters survive.
if [ -z "$PATTERN" ]; then
	run_format_check
	run_unit_tests
fi
run_suite_list

echo
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
