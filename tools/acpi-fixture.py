#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Turns the `acpi-dump:` lines of a boot log into ACPI test fixtures.

Boot the hypervisor with `acpi_dump` on its command line, capture the serial
log, then:

    tools/acpi-fixture.py LOG tests/fixtures/acpi/BED

writes BED/SIG.bin for every table (SIG-2.bin, ... for repeated signatures
such as SSDT), BED/RSDP.bin, and BED/index with one line per table,
`SIG ADDRESS FILE`, which the unit tests use to lay the tables out at their
original physical addresses.

Dump line format (drivers/acpi/report.c):
    acpi-dump: SIG ADDR LEN +OFF HEX
ADDR in hex with 0x, LEN and OFF in decimal, HEX up to 32 bytes. Anything
before `acpi-dump:` on a line (time stamps) is ignored.
"""
import os
import re
import sys

LINE = re.compile(r"acpi-dump: (\S{4}) (0x[0-9a-fA-F]+) (\d+) \+(\d+) ([0-9a-fA-F]*)\s*$")


def parse_log(path):
    """Returns {(sig, addr): bytearray} in the order the tables first appear."""
    tables, seen = {}, {}
    with open(path, "rb") as f:
        for raw in f:
            m = LINE.search(raw.decode("ascii", "replace").replace("\r", ""))
            if not m:
                continue
            sig, addr, length, off = m.group(1), int(m.group(2), 16), int(m.group(3)), int(m.group(4))
            data = bytes.fromhex(m.group(5))
            key = (sig, addr)
            if key not in tables:
                tables[key] = bytearray(length)
                seen[key] = set()
            if off + len(data) > length:
                sys.exit(f"{sig} at {addr:#x}: line at +{off} runs past length {length}")
            tables[key][off:off + len(data)] = data
            seen[key].update(range(off, off + len(data)))
    for (sig, addr), got in seen.items():
        if len(got) != len(tables[(sig, addr)]):
            sys.exit(f"{sig} at {addr:#x}: only {len(got)} of {len(tables[(sig, addr)])} bytes in the log")
    return tables


def checksum_ok(sig, data):
    if sig == "RSDP":
        return sum(data[:20]) % 256 == 0 and (len(data) <= 20 or sum(data) % 256 == 0)
    return sum(data) % 256 == 0


def write_fixtures(tables, outdir):
    os.makedirs(outdir, exist_ok=True)
    counts, index = {}, ["# SIG ADDRESS FILE (written by tools/acpi-fixture.py)"]
    for (sig, addr), data in tables.items():
        counts[sig] = counts.get(sig, 0) + 1
        name = f"{sig}.bin" if counts[sig] == 1 else f"{sig}-{counts[sig]}.bin"
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
        index.append(f"{sig} {addr:#x} {name}")
        note = "" if checksum_ok(sig, data) else "  (BAD CHECKSUM)"
        print(f"{sig} {addr:#010x} {len(data):6d} -> {name}{note}")
    with open(os.path.join(outdir, "index"), "w") as f:
        f.write("\n".join(index) + "\n")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    tables = parse_log(sys.argv[1])
    if not any(sig == "RSDP" for sig, _ in tables):
        sys.exit(f"{sys.argv[1]}: no acpi-dump RSDP line (boot with acpi_dump)")
    write_fixtures(tables, sys.argv[2])


if __name__ == "__main__":
    main()
