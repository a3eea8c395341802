#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# tests/fuzz/run.sh SECONDS: builds the configuration fuzzer and runs it for
# SECONDS (default 60) from a corpus seeded with the example and bad
# configurations. Exits non-zero if it finds a crash, a sanitizer report or
# a slow input (the reproducer is left in build/fuzz/).
set -eu
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN=${1:-60}
BUILD=${BUILD:-build}
make -s "$BUILD/fuzz/fuzz_config"
CORPUS=$BUILD/fuzz/corpus
mkdir -p "$CORPUS"
cp guests/configs/*.cfg tests/config-bad/*.cfg "$CORPUS/"
cd "$BUILD/fuzz"
exec ./fuzz_config -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=1024 \
	-max_len=16384 -print_final_stats=1 -artifact_prefix=./ corpus
