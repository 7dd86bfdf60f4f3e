#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""--list prints the header pg_restore -l of the archive's own era prints
(TAP): every vector's header equals its .list (made by that era's pg_restore
with TZ=UTC), and the creation time of archives made in and out of summer
time reads as the installed pg_restore shows it in several time zones.
Usage: check_listing.py PGARC_RETARGET VECTORS_DIR ARCHIVE_1_14 PG_RESTORE"""

import os
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from tap import check, report  # noqa: E402  (tests/support/tap.py)

tool, vectors, archive, pg_restore = sys.argv[1:5]


def header(listing):
    """The lines before the entries: '; Archive created at' to '; Selected TOC Entries:'."""
    lines = listing.splitlines()
    end = lines.index("; Selected TOC Entries:") if "; Selected TOC Entries:" in lines else len(lines)
    return lines[:end]


def listed(command, zone):
    env = dict(os.environ, TZ=zone)
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)


# 1. Each vector's header, as its era's pg_restore printed it (in UTC).
names = sorted(n for n in os.listdir(vectors) if n.endswith(".dump") and os.path.exists(os.path.join(vectors, n + ".list")))
for name in names:
    path = os.path.join(vectors, name)
    with open(path + ".list") as f:
        expected = header(f.read())
    r = listed([tool, "--list", path], "UTC")
    got = header(r.stdout)
    check(f"{name}: --list header matches its pg_restore -l", r.returncode == 0 and got == expected,
          "\n".join(f"- {a}\n+ {b}" for a, b in zip(expected, got) if a != b) or r.stderr)

# 2. Creation times in and out of summer time, read in several zones: the
# installed pg_restore is the judge. Archive 1.14 header: magic, version
# (3 bytes), intSize, offSize, format, the compression level, then tm_sec ..
# tm_isdst, each an int of 1 sign byte and intSize (4) bytes.
with open(archive, "rb") as f:
    original = f.read()
assert original[:5] == b"PGDMP" and original[5:7] == b"\x01\x0e" and original[8] == 4, "expected a 1.14 archive"


def with_time(sec, minute, hour, mday, mon, year, isdst):
    data = bytearray(original)
    offset = 16
    for value in (sec, minute, hour, mday, mon, year, isdst):
        data[offset:offset + 5] = struct.pack("<BI", 1 if value < 0 else 0, abs(value))
        offset += 5
    return bytes(data)


times = {
    "July, summer time": (27, 55, 14, 15, 6, 125, 1),
    "January, standard time": (27, 55, 14, 15, 0, 126, 0),
    "July marked as standard time": (0, 30, 2, 1, 6, 124, 0),
    "January marked as summer time": (0, 30, 2, 1, 0, 124, 1),
    "a spring-forward gap (02:30 on 2024-03-31)": (0, 30, 2, 31, 2, 124, 0),
}
zones = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney"]
with tempfile.TemporaryDirectory() as scratch:
    for label, fields in times.items():
        made = os.path.join(scratch, "timed.dump")
        with open(made, "wb") as f:
            f.write(with_time(*fields))
        for zone in zones:
            ours = listed([tool, "--list", made], zone)
            theirs = listed([pg_restore, "-l", made], zone)
            line = [l for l in ours.stdout.splitlines() if l.startswith("; Archive created at")]
            judge = [l for l in theirs.stdout.splitlines() if l.startswith("; Archive created at")]
            check(f"--list creation time, {label}, TZ={zone}: as pg_restore -l prints it",
                  ours.returncode == 0 and theirs.returncode == 0 and len(judge) == 1 and line == judge,
                  f"ours {line}, pg_restore {judge} {theirs.stderr}")

report()
