#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# A multiboot guest gets what QEMU's -kernel gives it. Boots
# guests/configs/tests/mbinfo.cfg (the mbinfo guest on CPU 1, 8 MiB, a
# command line and two modules) on a test bed, and runs the same guest with
# the same files directly under `qemu-system-x86_64 -kernel K -append A
# -initrd "M1 ARGS,M2 ARGS"`. Both outputs are printed; the checks:
#   - the command line is "KERNEL-PATH CMDLINE", the same in both runs;
#   - mem_lower/mem_upper and the memory map are the guest's own layout for
#     its configured memory (docs/config.md), the loader name is Bulkhead;
#   - each module's string, size and first bytes are the configured ones and
#     the same in both runs (only the addresses may differ).
#
#   tests/integration/mbinfo.sh BED        BED: qemu (OVMF, UEFI, SVM) or
#                                               bochs (GRUB multiboot2, VMX)
#
# QEMU's UEFI boot has no hypervisor command line (no test_exit): the test
# stops QEMU once the guest has ended. Bochs gets `test_exit` and ends itself.
# Logs: $TEST_LOGDIR/mbinfo-BED/ (default build/test-logs).
# Exit: 0 pass, 1 fail, 2 usage, 77 when the bed's tools are missing.
set -u
cd "$(dirname "$0")/../.." || exit 2

BED=${1:-}
. tests/integration/lib-bed.sh
bed_select "$BED" 15,16
make -s guests build/bulkhead-check >/dev/null || exit 1
for f in build/bulkhead.efi build/bulkhead.elf build/guests/mbinfo.elf; do
	[ -f "$f" ] || { echo "fail: $f missing (run make)"; exit 1; }
done

CFG=guests/configs/tests/mbinfo.cfg
work=${TEST_LOGDIR:-build/test-logs}/mbinfo-$BED
rm -rf "$work"
mkdir -p "$work/files/guests" "$work/files/mods"
work=$(realpath "$work")
files=$work/files
ERRS=""

fail() {
	ERRS="$ERRS
  - $*"
}

# ---- the files: the same paths on the boot volume and for the direct run -------
cp build/guests/mbinfo.elf "$files/guests/mbinfo.elf"
printf 'MODULE-ONE-DATA-0123456789' >"$files/mods/one.txt"
printf '\001\002\376\377m2\000end' >"$files/mods/two.bin"

# What the configuration says, to build the expectations and the direct run.
cfg_value() { # KEY: the first value of KEY, quotes removed
	sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$CFG" | head -n 1 |
		sed 's/^"\(.*\)"$/\1/'
}
kernel=$(cfg_value kernel)
cmdline=$(cfg_value cmdline)
mem_mib=$(cfg_value memory | sed -n 's/^\([0-9]*\)M$/\1/p')
[ -n "$mem_mib" ] || { echo "fail: $CFG: memory is not N M"; exit 1; }
# module = PATH "STRING": the module paths and their strings, in order.
sed -n 's/^[[:space:]]*module[[:space:]]*=[[:space:]]*\([^[:space:]]*\)[[:space:]]*"\(.*\)".*/\1|\2/p' \
	"$CFG" >"$work/modules"
initrd=$(cut -d'|' -f2 "$work/modules" | paste -sd, -)
bed_files=$( (cd "$files" && find . -type f | sed 's|^\./||') | sed "s|.*|$files/&=&|")

if ! build/bulkhead-check --quiet --images "$files" "$CFG" >"$work/check.out" 2>&1; then
	echo "fail: bulkhead-check rejects $CFG:"
	cat "$work/check.out"
	exit 1
fi

# ---- the reference: the guest directly under QEMU -kernel ------------------------
direct=$work/direct.txt
if command -v qemu-system-x86_64 >/dev/null; then
	(cd "$files" && timeout -k 5 30 qemu-system-x86_64 -accel tcg -cpu max -m "$mem_mib" \
		-display none -no-reboot -monitor none -net none -serial "file:$work/direct.log" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$kernel" -append "$cmdline" -initrd "$initrd" </dev/null >"$work/direct.qemu" 2>&1)
	rc=$?
	tr -d '\r' <"$work/direct.log" >"$direct"
	[ "$rc" = 1 ] || fail "direct run: QEMU status $rc, want 1 (guest PASS)"
else
	: >"$direct"
	fail "direct run: qemu-system-x86_64 missing"
fi

# ---- the bed -----------------------------------------------------------------------
raw=$work/serial.log
: >"$raw"
norm=$work/serial.txt
normalize() {
	tr -d '\r' <"$raw" | sed 's/^\[[^]]*\] //' >"$norm"
}
crash_re='^bulkhead: (exception |nested exception|panic:|fatal exception|halted)'
end_re="^bulkhead: (guest mbinfo (ran|stopped|not started)|configuration invalid|cannot run guests)"

start=$(date +%s)
if [ "$BED" = qemu ]; then
	# shellcheck disable=SC2086
	SMP=2 MEM=512M CFG=$CFG SERIAL="file:$raw" EXTRA_QEMU_ARGS="" \
		timeout -k 5 "$LIMIT" tools/run-qemu.sh $bed_files </dev/null >"$work/qemu.out" 2>&1 &
	pid=$!
	trap 'kill -KILL "-$pid" 2>/dev/null' EXIT
	trap 'exit 130' INT TERM
	while kill -0 "$pid" 2>/dev/null; do
		normalize
		if grep -qE "$end_re|$crash_re" "$norm"; then
			sleep 1 # the exit counters that follow
			break
		fi
		sleep 0.5
	done
	# timeout(1) leads its own process group: this reaches QEMU.
	kill -TERM "-$pid" 2>/dev/null
	wait "$pid"
	status=$?
else
	# shellcheck disable=SC2086
	tools/mkiso.sh -o "$work/bulkhead.iso" -c test_exit "$CFG" $bed_files >"$work/mkiso.out" 2>&1 ||
		{ echo "fail: mkiso"; cat "$work/mkiso.out"; exit 1; }
	tools/run-bochs.sh -n 2 -M 512 -t "$LIMIT" -w "$work" -s "$raw" "$work/bulkhead.iso" \
		>"$work/bochs-run.out" 2>&1
	status=$?
	locks=$(find "$work" -name '*.lock')
	[ -z "$locks" ] || { fail "lock files left behind: $locks"; find "$work" -name '*.lock' -delete; }
fi
normalize
echo "$BED: $(($(date +%s) - start)) s, emulator status $status"

# ---- checks ------------------------------------------------------------------------
guest=$work/guest.txt
sed -n 's/^\[mbinfo\] //p' "$norm" >"$guest"

expect() { # FILE LINE: LINE is a whole line of FILE
	grep -qxF -- "$2" "$1" || fail "$(basename "$1"): missing line: $2"
}

# Module lines without the address, which each loader chooses itself.
module_lines() {
	grep '^mbinfo: module ' "$1" | sed 's/ start=0x[0-9a-f]* / /'
}

expect "$norm" "bulkhead: guest mbinfo started on cpus 1"
expect "$norm" "bulkhead: guest mbinfo exited code=0"
if grep -qE "$crash_re|^bulkhead: (configuration invalid|cannot run guests)" "$norm"; then
	fail "hypervisor: $(grep -E "$crash_re|^bulkhead: (configuration invalid|cannot run)" "$norm" | head -n 1)"
fi
[ "$BED" != bochs ] || expect "$norm" "bulkhead: test_exit"
[ "$BED" != bochs ] || [ "$status" = 0 ] || fail "Bochs status $status, want 0 (test_exit)"

mem_upper=$(((mem_mib - 1) * 1024))
mem_end=$(printf '0x%x' $((mem_mib << 20)))
expect "$guest" "mbinfo: cmdline=\"$kernel $cmdline\""
expect "$guest" "mbinfo: mem_lower=640 KiB mem_upper=$mem_upper KiB"
expect "$guest" "mbinfo: mmap base=0x0 length=0xa0000 type=1"
expect "$guest" "mbinfo: mmap base=0xa0000 length=0x60000 type=2"
expect "$guest" "mbinfo: mmap base=0x100000 length=$(printf '0x%x' $((mem_end - 0x100000))) type=1"
[ "$(grep -c '^mbinfo: mmap ' "$guest")" = 3 ] || fail "guest: not exactly 3 memory map entries"
expect "$guest" 'mbinfo: loader="Bulkhead"'
expect "$guest" "mbinfo: modules=2"
expect "$guest" "VERDICT mbinfo PASS"
module_lines "$guest" >"$work/modules.bed"
module_lines "$direct" >"$work/modules.direct"
# mbinfo prints each module's first 16 bytes (and fails on one not page-aligned).
want0='mbinfo: module 0 string="mods/one.txt first args" size=26 bytes=4d4f44554c452d4f4e452d444154412d'
want1='mbinfo: module 1 string="mods/two.bin x#y  z" size=10 bytes=0102feff6d3200656e64'
for w in "$want0" "$want1"; do
	expect "$work/modules.bed" "$w"
	expect "$work/modules.direct" "$w"
done

# The same as QEMU -kernel: command line, module strings and bytes.
d_cmd=$(grep '^mbinfo: cmdline=' "$direct")
b_cmd=$(grep '^mbinfo: cmdline=' "$guest")
if [ -z "$d_cmd" ] || [ "$d_cmd" != "$b_cmd" ]; then
	fail "command lines differ: direct '$d_cmd', $BED '$b_cmd'"
fi
cmp -s "$work/modules.bed" "$work/modules.direct" || fail "module lines differ from the direct run"
expect "$direct" "VERDICT mbinfo PASS"

echo "--- directly under qemu -kernel $kernel -append \"$cmdline\" -initrd \"$initrd\":"
sed 's/^/  | /' "$direct"
echo "--- as a Bulkhead guest on $BED:"
sed 's/^/  | /' "$guest"
if [ -z "$ERRS" ]; then
	echo "pass: mbinfo on $BED: the same command line, modules and bytes as QEMU -kernel"
	exit 0
fi
echo "fail: mbinfo on $BED$ERRS"
echo "  serial log: $raw; last 40 lines:"
tail -n 40 "$norm" | sed 's/^/  | /'
exit 1
