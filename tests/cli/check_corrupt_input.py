#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""Feeds pgarc-retarget broken archives and checks what the user gets: exit
status 1, exactly one "pgarc-retarget: error:" line naming the file, what was
being read, the byte offset and what was wrong (plus at most a hint line),
no output file and no temporary file left, and the input untouched (TAP).

Two kinds of input: archives built here field by field with one field made
hostile (a small encoder mirroring tests/support/archive_builder), and real
archives from the vectors directory cut short at every STRIDE-th byte (and
at every byte of their first 64), alternately from a file and from a pipe.
Usage: check_corrupt_input.py PGARC_RETARGET VECTORS_DIR STRIDE"""

import gzip
import io
import os
import re
import subprocess
import sys
import tarfile
import tempfile

from pg_dump_encoding import archive, block, entry, header, pg_int, pg_str, table, table_data

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from tap import check, report  # noqa: E402  (tests/support/tap.py)

tool, vectors, stride = sys.argv[1], sys.argv[2], int(sys.argv[3])



ROWS = [b"1\n", b"\\.\n\n\n"]
GOOD = archive([table(), table_data()], [block(4001, ROWS)])


def with_chunk(length, payload=b""):
    """The good archive with a data block whose first chunk claims `length`."""
    toc = GOOD[:len(GOOD) - len(block(4001, ROWS))]
    return toc + bytes([1]) + pg_int(4001) + pg_int(length) + payload


def tar_of(name, content):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo(name)
        info.size = len(content)
        tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def patched(data, at, new):
    return data[:at] + new + data[at + len(new):]


# --- running the tool --------------------------------------------------------

def run(args, stdin=None):
    return subprocess.run([tool] + args, input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)


def problems_with(result, name, fragment=None, offset=True, hint=None):
    """What is wrong with a refusal; empty when it is as it should be. `name`
    is a file name (quoted in messages) or "standard input" (not quoted)."""
    lines = result.stderr.decode(errors="replace").splitlines()
    errors = [l for l in lines if l.startswith("pgarc-retarget: error: ")]
    hints = [l for l in lines if l.startswith("pgarc-retarget: hint: ")]
    found = []
    if result.returncode != 1:
        found.append("exit status %d" % result.returncode)
    if len(errors) != 1 or len(lines) != len(errors) + len(hints) or len(hints) > 1:
        found.append("stderr is not one error line (and a hint): %r" % lines)
    elif (name if name == "standard input" else '"%s"' % name) not in errors[0]:
        found.append("the error does not name %s: %s" % (name, errors[0]))
    elif fragment and fragment not in errors[0]:
        found.append("expected %r in: %s" % (fragment, errors[0]))
    elif offset and not re.search(r"\bbyte \d+", errors[0]):
        found.append("no byte offset in: %s" % errors[0])
    if hint and not any(hint in l for l in hints):
        found.append("expected a hint with %r, got %r" % (hint, hints))
    if result.stdout:
        found.append("output on stdout")
    return found


with tempfile.TemporaryDirectory() as scratch:
    out_dir = os.path.join(scratch, "out")
    os.mkdir(out_dir)
    output = os.path.join(out_dir, "new.dump")

    def refuse(name, data, fragment, hint=None, offset=True, pipe=False):
        """Runs the tool on `data` (from a file, or a pipe) and checks the refusal."""
        path = os.path.join(scratch, "in.dump")
        with open(path, "wb") as f:
            f.write(data)
        if pipe:
            result = run(["-", "-o", output], stdin=data)
            shown = "standard input"
        else:
            result = run([path, "-o", output])
            shown = path
        found = problems_with(result, shown, fragment, offset, hint)
        if os.listdir(out_dir):
            found.append("left behind: %s" % os.listdir(out_dir))
        with open(path, "rb") as f:
            if f.read() != data:
                found.append("the input was changed")
        check(name, not found, "\n".join(found) + "\n" + result.stderr.decode(errors="replace"))

    # The encoder agrees with the tool, or every case below proves nothing.
    path = os.path.join(scratch, "good.dump")
    with open(path, "wb") as f:
        f.write(GOOD)
    result = run([path, "-o", output])
    check("a well-formed archive built here is copied unchanged",
          result.returncode == 0 and open(output, "rb").read() == GOOD, result.stderr)
    os.unlink(output)

    # Not a custom-format archive at all.
    with open(os.path.join(vectors, "tiny.pg15.default.dump"), "rb") as f:
        real = f.read()
    refuse("empty file", b"", "the input is empty")
    refuse("three bytes", b"PGD", "the input has only 3 bytes")
    refuse("plain SQL dump", b"--\n-- PostgreSQL database dump\n--\n\nSET x = 0;\n",
           "no PGDMP signature at byte 0", hint="plain-format SQL dump")
    refuse("gzip-compressed archive", gzip.compress(real), "no PGDMP signature", hint="gzip-compressed")
    refuse("gzip-compressed archive from a pipe", gzip.compress(real), "no PGDMP signature",
           hint="gzip-compressed", pipe=True)
    refuse("a tar whose toc.dat member holds a custom archive: the member and its format byte named",
           tar_of("toc.dat", real[:2000]), 'member "toc.dat": archive format at byte 10 is 1')
    refuse("tar archive holding a custom dump", tar_of("backup.dump", real), "no PGDMP signature",
           hint="extract the dump from it first")
    directory = os.path.join(scratch, "dir.dump")
    os.mkdir(directory)
    with open(os.path.join(directory, "toc.dat"), "wb") as f:
        f.write(real[:2000])
    result = run([directory, "-o", output])
    check("a directory whose toc.dat is a custom-format file: the member and its format byte named",
          not problems_with(result, directory, 'member "toc.dat": archive format at byte 10 is 1')
          and not os.listdir(out_dir), result.stderr)

    # Header fields.
    refuse("newer archive version", header(minor=17) + pg_int(0),
           "archive version 1.17 at byte 5 is not supported", hint="newer pg_dump")
    refuse("older archive version", patched(GOOD, 6, bytes([9])),
           "archive version 1.9 at byte 5 is not supported")
    refuse("integer size of 40 bytes", patched(GOOD, 8, bytes([40])),
           "integer size in header at byte 8 is 40 bytes")
    refuse("offset size of 0 bytes", patched(GOOD, 9, bytes([0])),
           "offset size in header at byte 9 is 0 bytes")
    refuse("directory-format header", patched(GOOD, 10, bytes([5])),
           "archive format at byte 10 says it is the toc.dat of a directory-format archive")
    refuse("header cut in a string", GOOD[:60], "database name in header at byte 51")
    refuse("header cut in a string, from a pipe", GOOD[:60],
           "database name in header is truncated at byte 56", pipe=True)

    # TOC fields.
    refuse("negative TOC entry count", archive([table()], count=-3),
           "TOC entry count at byte 82 is negative (-3)")
    refuse("TOC entry count larger than the file", archive([table()], count=1000000),
           "TOC entry count at byte 82 claims 1000000 entries")
    refuse("string longer than the file", archive([entry(5, "TABLE", "t", tag=pg_int(2**31 - 1))]),
           "tag of TOC entry 1 (dump id 5) at byte 109 claims 2147483647 bytes")
    refuse("string longer than PostgreSQL allows, from a pipe",
           archive([entry(5, "TABLE", "t", tag=pg_int(2**30, 4))]),
           "tag of TOC entry 1 (dump id 5) at byte 109 has an absurd length of 1073741824", pipe=True)
    wide = header(int_size=9)
    refuse("integer wider than 64 bits",
           wide + pg_int(1, 9) + bytes([0]) + bytes(8) + bytes([1]) + bytes(300),
           "dump id of TOC entry 1 at byte %d does not fit in 64 bits" % (len(wide) + 10))
    refuse("NULL tag", archive([entry(5, "TABLE", "t", tag=pg_str(None))]),
           "tag of TOC entry 1 (dump id 5) at byte 109 is NULL, which pg_restore cannot handle")
    refuse("NULL oid", archive([entry(5, "TABLE", "t", oid=pg_str(None))]),
           "oid of TOC entry 1 (dump id 5) at byte 103 is NULL")
    refuse("dump id 0", archive([entry(0, "TABLE", "t")]), "dump id of TOC entry 1 at byte 87 is out of range (0)")
    refuse("duplicate dump id", archive([entry(7, "TABLE", "a"), entry(7, "TABLE", "b")]),
           "repeats dump id 7")
    refuse("ENCODING without a definition", archive([entry(4000, "ENCODING", "ENCODING")]),
           "definition of TOC entry 1 (dump id 4000) at byte")
    refuse("STDSTRINGS that pg_restore cannot parse",
           archive([entry(4000, "STDSTRINGS", "STDSTRINGS", defn=pg_str("SET standard_conforming_strings = on;\n"))]),
           "is not a valid STDSTRINGS item")
    refuse("TABLE DATA whose table dump id is out of range",
           archive([table(), table_data(table_id=9999)], [block(4001, ROWS)]),
           "first dependency of TOC entry 2 (dump id 4001) at byte")
    refuse("unknown data offset flag", archive([table(), table_data(offset=bytes([9]) + bytes(8))]),
           "has an unexpected data offset flag 9")
    past_end = archive([table(), table_data(offset=bytes([2]) + (10**6).to_bytes(8, "little"))],
                       [block(4001, ROWS)])
    refuse("data offset past the end of the file", past_end,
           "points at byte 1000000, past the end of the file")
    refuse("data offset past the end, from a pipe", past_end,
           "data offset of TOC entry with dump id 4001 points at byte 1000000 but its block starts",
           pipe=True)

    # Data blocks.
    refuse("data block of an unknown dump id",
           archive([table(), table_data()], [block(99, ROWS)], positions=False),
           "belongs to dump id 99, which has no TOC entry with data")
    swapped = archive([table(), table_data(4001), table_data(4002, tag=pg_str("b"))],
                      [block(4001, ROWS), block(4002, ROWS)])
    first = swapped.index(bytes([1]) + pg_int(4001) + pg_int(2))
    second = swapped.index(bytes([1]) + pg_int(4002) + pg_int(2))
    swapped = swapped.replace(bytes([2]) + first.to_bytes(8, "little"), b"FIRST____")
    swapped = swapped.replace(bytes([2]) + second.to_bytes(8, "little"), bytes([2]) + first.to_bytes(8, "little"))
    swapped = swapped.replace(b"FIRST____", bytes([2]) + second.to_bytes(8, "little"))
    refuse("data block where another entry's offset points", swapped,
           "belongs to dump id 4001, but the data offset of TOC entry with dump id 4002 points there")
    refuse("negative chunk length", with_chunk(-7), "is negative (-7)")
    refuse("chunk longer than the file", with_chunk(1000, b"x"), "claims 1000 bytes but only 1 follow")
    refuse("chunk longer than the input, from a pipe", with_chunk(2000000000, b"x"),
           "chunk in data block of dump id 4001 is truncated at byte", pipe=True)
    refuse("unknown data block type",
           archive([table(), table_data()], [bytes([7]) + block(4001, ROWS)[1:]]),
           "unrecognized data block type 7 at byte")
    refuse("missing data block", archive([table(), table_data()], positions=False),
           "archive ends at byte")

    # Real archives cut short: a default dump, a piped one, lz4, zstd, and 1.12.
    for name in ["tiny.pg15.default.dump", "tiny.pg15.piped.dump", "tiny.pg16.lz4.dump",
                 "tiny.pg17.zstd.dump", "tiny.pg96.default.dump"]:
        with open(os.path.join(vectors, name), "rb") as f:
            data = f.read()
        cuts = sorted(set(range(64)) | set(range(0, len(data), stride)) |
                      set(range(len(data) - 16, len(data))))
        failures = []
        for number, size in enumerate(cuts):
            pipe = number % 2 == 1
            path = os.path.join(scratch, "cut.dump")
            with open(path, "wb") as f:
                f.write(data[:size])
            result = run(["-", "-o", output], stdin=data[:size]) if pipe else run([path, "-o", output])
            found = problems_with(result, "standard input" if pipe else path)
            if os.listdir(out_dir):
                found.append("left behind: %s" % os.listdir(out_dir))
                for left in os.listdir(out_dir):
                    os.unlink(os.path.join(out_dir, left))
            if found:
                failures.append("%d bytes%s: %s" % (size, " (pipe)" if pipe else "", "; ".join(found)))
        check("%s cut at %d places: exit 1, one error line with the offset, nothing left"
              % (name, len(cuts)), not failures, "\n".join(failures))

report()
