#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""Tar archives (pg_dump -Ft) through pgarc-retarget, run as a user would (TAP
output): listing, checking, verifying, retargeting from a file and from a
pipe, --in-place, and hostile members. The tar archives are laid out here as
pg_dump -Ft lays them out (toc.dat, data members in TOC order, restore.sql),
from the toc.dat and data files of a directory archive the tool converts
from a real vector; the integration suite restores real pg_dump -Ft output.
Usage: check_tar.py PGARC_RETARGET VECTORS_DIR PG_RESTORE (17 or later)"""

import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from tap import check, report  # noqa: E402  (tests/support/tap.py)
from cli_checks import entries, error_lines, one_error  # noqa: E402  (tests/support/cli_checks.py)

tool, vectors = sys.argv[1], sys.argv[2]
pg_restore = sys.argv[3]
source = os.path.join(vectors, "herokuext.pg17.z0.dump")
move = ["--from", "heroku_ext", "--to", "public"]


def run(args, stdin=None):
    return subprocess.run([tool] + args, input=stdin, capture_output=True)


def tar_bytes(members):
    """A tar archive of (name, bytes) members, as pg_dump -Ft writes one."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, content in members:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def custom_streams(archive):
    """{dump id: bytes} of every data block of a custom archive with offsets
    set, its chunk payloads concatenated: read from the bytes at each
    entry's data offset (type byte, dump id, length-prefixed chunks, 0)."""
    data = open(archive, "rb").read()
    int_size = data[8]

    def read_int(at):
        value = int.from_bytes(data[at + 1:at + 1 + int_size], "little")
        return (-value if data[at] else value), at + 1 + int_size

    listing = json.loads(run(["--list", "--json", archive]).stdout)
    streams = {}
    for entry in listing["entries"]:
        if entry["data_state"] != "POS_SET" or entry["desc"] != "TABLE DATA":
            continue
        at = entry["data_pos"] + 1  # the block type byte
        dump_id, at = read_int(at)
        assert dump_id == entry["id"], (dump_id, entry["id"])
        payload = b""
        while True:
            length, at = read_int(at)
            if length == 0:
                break
            payload += data[at:at + length]
            at += length
        streams[dump_id] = payload
    return streams


def members_of(data):
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        return [(m.name, tar.extractfile(m).read()) for m in tar.getmembers()]


with tempfile.TemporaryDirectory() as scratch:
    def path(name):
        return os.path.join(scratch, name)

    r = run([source, "-F", "d", "-o", path("dir"), "--from", "pgarc_no_such_schema"])
    check("a directory archive to lay out as tar", r.returncode == 0, r.stderr)
    js = json.loads(run(["--list", "--json", path("dir")]).stdout)
    data_files = [e["data_file"] for e in js["entries"] if e["data_file"]]
    with open(os.path.join(path("dir"), "toc.dat"), "rb") as f:
        toc = f.read()
    files = [(name, open(os.path.join(path("dir"), name), "rb").read()) for name in data_files]
    script = ("restore.sql", b"-- the script pg_dump writes for psql\n")
    good = tar_bytes([("toc.dat", toc)] + files + [script])
    with open(path("in.tar"), "wb") as f:
        f.write(good)

    listed = run(["--list", path("in.tar")])
    check("--list reads the tar archive", listed.returncode == 0 and b";     Format: TAR" in listed.stdout, listed.stderr)
    check("... with the entries of the custom archive it came from",
          entries(listed.stdout) == entries(run(["--list", source]).stdout))
    r = run(["--list", "-"], stdin=good)
    check("--list reads a tar archive from standard input", r.returncode == 0 and r.stdout == listed.stdout, r.stderr)
    r = run(["--verify", path("in.tar")])
    check("--verify checks every data member", r.returncode == 0 and b": ok" in r.stderr, r.stderr)
    r = run(["--check", path("in.tar")] + move)
    check("--check: exit 3 when it would change", r.returncode == 3, r.stderr)

    r = run([path("in.tar"), "-o", path("out.tar")] + move)
    check("a tar archive is retargeted into a new tar archive", r.returncode == 0, r.stderr)
    out = members_of(open(path("out.tar"), "rb").read())
    check("the new tar has toc.dat first, the same data members, and no restore.sql",
          [n for n, _ in out] == ["toc.dat"] + data_files, [n for n, _ in out])
    check("every data member is byte-identical", dict(out[1:]) == dict(files))
    check("toc.dat changed", out[0][1] != toc)
    r = run(["--list", path("out.tar")])
    check("the new tar lists as the retargeted custom archive does",
          entries(r.stdout) == entries(run(["--list", "-"], stdin=run([source, "-o", "-"] + move).stdout).stdout))
    check("the new tar verifies", run(["--verify", path("out.tar")]).returncode == 0)
    piped = run(["-", "-o", "-"] + move, stdin=good)
    check("standard input to standard output gives the same tar",
          piped.returncode == 0 and piped.stdout == open(path("out.tar"), "rb").read(), piped.stderr)
    r = run(["--verify", "-"], stdin=piped.stdout)
    check("... which verifies from a pipe", r.returncode == 0, r.stderr)

    with open(path("inplace.tar"), "wb") as f:
        f.write(good)
    r = run(["--in-place", path("inplace.tar")] + move)
    check("--in-place replaces the tar with the retargeted one",
          r.returncode == 0 and open(path("inplace.tar"), "rb").read() == open(path("out.tar"), "rb").read(), r.stderr)
    # Conversions: the members' bytes are the streams of the other formats.
    no_change = ["--from", "pgarc_no_such_schema"]
    r = run([path("in.tar"), "-F", "d", "-o", path("t2d")] + no_change)
    check("tar -> directory: the members become the files",
          r.returncode == 0 and sorted(os.listdir(path("t2d"))) == sorted(os.listdir(path("dir")))
          and all(open(os.path.join(path("t2d"), n), "rb").read() == c for n, c in files), r.stderr)
    r = run([path("dir"), "-F", "t", "-o", path("d2t.tar")] + no_change)
    check("directory -> tar: toc.dat first, the files as members in TOC order",
          r.returncode == 0 and [n for n, _ in members_of(open(path("d2t.tar"), "rb").read())] == ["toc.dat"] + data_files
          and dict(members_of(open(path("d2t.tar"), "rb").read())[1:]) == dict(files), r.stderr)
    r = run([path("d2t.tar"), "-F", "c", "-o", path("t2c.dump")] + no_change)
    check("tar -> custom: the same entries, every offset set, and it verifies",
          r.returncode == 0 and entries(run(["--list", path("t2c.dump")]).stdout) == entries(listed.stdout)
          and all(e["data_state"] in ("POS_SET", "NO_DATA")
                  for e in json.loads(run(["--list", "--json", path("t2c.dump")]).stdout)["entries"])
          and run(["--verify", path("t2c.dump")]).returncode == 0, r.stderr)
    r = run([path("t2c.dump"), "-F", "d", "-o", path("round")] + no_change)
    check("custom -> directory -> tar -> custom -> directory gives the same files",
          r.returncode == 0 and all(open(os.path.join(path("round"), n), "rb").read() == c for n, c in files), r.stderr)
    r = run(["-", "-F", "c", "-o", "-"] + no_change, stdin=good)
    check("tar -> custom from a pipe to a pipe verifies",
          r.returncode == 0 and run(["--verify", "-"], stdin=r.stdout).returncode == 0, r.stderr)
    # Custom -> tar in one step: the members are the custom archive's chunk
    # payloads, read here from the blocks the listing's offsets point at.
    streams = custom_streams(source)
    r = run([source, "-F", "t", "-o", path("c2t.tar")] + no_change)
    c2t = members_of(open(path("c2t.tar"), "rb").read()) if r.returncode == 0 else []
    check("custom -> tar in one step works", r.returncode == 0 and c2t, r.stderr)
    check("... toc.dat first, then one member per data entry in TOC order",
          [n for n, _ in c2t] == ["toc.dat"] + ["%d.dat" % i for i in streams], [n for n, _ in c2t])
    check("... each member byte-identical to its block's chunk payloads concatenated",
          len(streams) > 0 and dict(c2t[1:]) == {"%d.dat" % i: b for i, b in streams.items()})
    check("... and to the files of the directory archive it would give", dict(c2t[1:]) == dict(files))
    check("... listed with the entries of the custom archive",
          entries(run(["--list", path("c2t.tar")]).stdout) == entries(listed.stdout))
    r = run(["--verify", path("c2t.tar")])
    check("... and it verifies", r.returncode == 0, r.stderr)
    r = subprocess.run([pg_restore, "-l", path("c2t.tar")], capture_output=True)
    check("... and pg_restore -l reads it", r.returncode == 0 and b"TABLE DATA" in r.stdout, r.stderr)
    r = run([source, "-F", "t", "-o", "-"] + no_change)
    check("custom file -> tar on a pipe: the same members (sizes measured first)",
          r.returncode == 0 and members_of(r.stdout) == c2t, r.stderr)
    r = run(["-", "-F", "t", "-o", path("piped.tar")] + no_change, stdin=open(source, "rb").read())
    check("custom on a pipe -> tar file: the same members (headers written again)",
          r.returncode == 0 and members_of(open(path("piped.tar"), "rb").read()) == c2t, r.stderr)
    r = run(["-", "-F", "t", "-o", "-"] + no_change, stdin=open(source, "rb").read())
    check("custom on a pipe -> tar on a pipe: refused, one line saying why and what to do",
          r.returncode == 2 and not r.stdout and len(error_lines(r)) == 1
          and b"pipe" in r.stderr and b"--format d" in r.stderr, r.stderr)
    r = run([source, "-F", "t", "-o", path("moved.tar")] + move)
    check("custom -> tar retargets toc.dat like custom -> custom",
          r.returncode == 0 and entries(run(["--list", path("moved.tar")]).stdout)
          == entries(run(["--list", "-"], stdin=run([source, "-o", "-"] + move).stdout).stdout), r.stderr)
    r = run([path("c2t.tar"), "-F", "c", "-o", path("c2t2c.dump")] + no_change)
    check("custom -> tar -> custom: the same entries and the same streams",
          r.returncode == 0 and entries(run(["--list", path("c2t2c.dump")]).stdout) == entries(listed.stdout)
          and custom_streams(path("c2t2c.dump")) == streams, r.stderr)
    r = run([os.path.join(vectors, "herokuext.pg18.zstd.dump"), "-F", "t", "-o", path("zstd1.tar")] + no_change)
    check("custom -> tar refuses compressed data: one error line saying why",
          one_error(r, "zstd-compressed", "uncompressed", "decompressing") and not os.path.exists(path("zstd1.tar")),
          r.stderr)
    r = run([os.path.join(vectors, "herokuext.pg18.zstd.dump"), "-F", "d", "-o", path("zstd")] + no_change)
    r = run([path("zstd"), "-F", "t", "-o", path("zstd.tar")] + no_change)
    check("compressed data cannot go into a tar archive: one error line saying why",
          one_error(r, "zstd-compressed", "uncompressed") and not os.path.exists(path("zstd.tar")), r.stderr)

    # Hostile members: one error line naming the member; nothing written.
    first_data = data_files[0]
    cases = [
        ("a member whose name is a path", tar_bytes([("toc.dat", toc), ("../" + first_data, files[0][1])] + files[1:]),
         ('member "../%s"' % first_data, 'contains "/"')),
        ("a member the TOC does not name", tar_bytes([("toc.dat", toc), ("extra.dat", b"x")] + files),
         ('member "extra.dat"', "is not named by toc.dat")),
        ("a member that appears twice", tar_bytes([("toc.dat", toc)] + files + files[:1]),
         ('member "%s"' % first_data, "appears twice")),
        ("a missing data member", tar_bytes([("toc.dat", toc)] + files[1:]),
         ('member "%s"' % first_data, "is missing from the tar archive")),
        # Not a pg_dump tar at all: read as a custom archive, which it is not either.
        ("a tar whose first member is not toc.dat", tar_bytes(files + [("toc.dat", toc)]), ("no PGDMP signature",)),
    ]
    # A size that runs past the end: the last data member's header claims more.
    whole = tar_bytes([("toc.dat", toc)] + files)
    with tarfile.open(fileobj=io.BytesIO(whole)) as tar:
        last = tar.getmembers()[-1]
    cut = whole[:last.offset_data + last.size // 2]
    cases.append(("a member whose size runs past the end", cut, ("bytes but only", "follow")))
    for label, data, fragments in cases:
        with open(path("bad.tar"), "wb") as f:
            f.write(data)
        r = run([path("bad.tar"), "-o", path("bad-out.tar")] + move)
        check("%s: one error line naming it, nothing written" % label,
              one_error(r, '"%s"' % path("bad.tar"), *fragments) and not os.path.exists(path("bad-out.tar")),
              r.stderr)
        r = run(["-", "-o", "-"] + move, stdin=data)
        check("%s, from a pipe: one error line" % label, len(error_lines(r)) == 1 and r.returncode == 1, r.stderr)
    check("no temporary file is left", not [m for m in os.listdir(scratch) if m.startswith(".")], os.listdir(scratch))

report()
