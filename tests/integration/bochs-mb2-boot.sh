#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Boots build/bulkhead.elf through GRUB's multiboot2 in Bochs (legacy BIOS,
# corei7_skylake_x: VMX + EPT) and checks the serial log for every CPU online
# and `bulkhead: ready`.
#
#   tests/integration/bochs-mb2-boot.sh CPUS       e.g. 1 or 4
#
# The ISO carries guests/configs/demo.cfg (an empty configuration when there
# is none) as the module `bulkhead.cfg`, each file its `kernel =` and
# `initrd =` lines name that exists as PATH or build/PATH as the module PATH,
# and `test_exit` on the hypervisor command line so that Bochs ends cleanly at
# the magic breakpoint.
# Exit: 0 pass, 1 fail (prints the log's path and its last 40 lines), 77 when
# Bochs or GRUB is missing. Hard limit 120 s; no Bochs outlives it.
set -u
cd "$(dirname "$0")/../.."

CPUS=${1:?usage: bochs-mb2-boot.sh CPUS}
LIMIT=120
ELF=${ELF:-build/bulkhead.elf}

for tool in bochs grub-mkrescue xorriso; do
	command -v "$tool" >/dev/null || {
		echo "skip: $tool missing"
		exit 77
	}
done
[ -f "$ELF" ] || { echo "fail: $ELF missing (run make)"; exit 1; }

work=${TEST_LOGDIR:-build/test-logs}/bochs-mb2-$CPUS
rm -rf "$work"
mkdir -p "$work"
cfg=guests/configs/demo.cfg
if [ ! -f "$cfg" ]; then
	cfg=$work/empty.cfg
	echo "# empty configuration" >"$cfg"
fi

# The guest files the configuration names, as FILE=PATH for mkiso.sh.
files=""
for path in $(sed -n 's/^[[:space:]]*\(kernel\|initrd\)[[:space:]]*=[[:space:]]*"\{0,1\}\([^"[:space:]]*\)"\{0,1\}.*/\2/p' "$cfg"); do
	for src in "$path" "build/$path"; do
		if [ -f "$src" ]; then
			files="$files $src=$path"
			break
		fi
	done
done
# shellcheck disable=SC2086
tools/mkiso.sh -o "$work/bulkhead.iso" -e "$ELF" -c "test_exit" "$cfg" $files || exit 1

log=$work/serial.log
tools/run-bochs.sh -m corei7_skylake_x -n "$CPUS" -M 512 -t "$LIMIT" -w "$work" -s "$log" \
	"$work/bulkhead.iso"
rc=$?

# Bochs removes the lock of an image it locked when it ends by SIGINT; check anyway.
locks=$(find "$work" -name '*.lock')
[ -z "$locks" ] || { echo "fail: lock files left behind: $locks"; rm -f $locks; exit 1; }

if grep -q "bulkhead: ready" "$log" && grep -q "$CPUS of $CPUS CPUs online" "$log"; then
	echo "pass: $CPUS of $CPUS CPUs online, bulkhead: ready (Bochs status $rc)"
	exit 0
fi
echo "fail: no 'bulkhead: ready' with '$CPUS of $CPUS CPUs online' (Bochs status $rc)"
echo "serial log: $log (Bochs log: $work/bochs.log); last 40 lines:"
tail -n 40 "$log"
exit 1
