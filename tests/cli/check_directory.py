#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""Directory archives (pg_dump -Fd) and conversions through pgarc-retarget,
run as a user would (TAP output): listing, checking, verifying, writing a new
directory (untouched files byte-identical, --link sharing inodes, nothing left
behind), --in-place, conversion to and from custom archives, and hostile
members. The directory archives are made from real vectors by the tool's own
conversion and checked against the custom archive they came from.
Usage: check_directory.py PGARC_RETARGET VECTORS_DIR"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from tap import check, report  # noqa: E402  (tests/support/tap.py)
from cli_checks import entries, error_lines, one_error  # noqa: E402  (tests/support/cli_checks.py)

tool, vectors = sys.argv[1], sys.argv[2]


def run(args, stdin=None):
    return subprocess.run([tool] + args, stdin=stdin, capture_output=True)


def members(directory):
    return sorted(os.listdir(directory))


def read(path):
    with open(path, "rb") as f:
        return f.read()


# Extensions in heroku_ext (moved to public here), uncompressed data (pg_dump
# 17), and the same made with zstd (pg_dump 18): both convert without
# decoding. Large objects in directories are covered by the unit tests and
# the integration fixture (pg_dump -Fd of a database that has some).
source = os.path.join(vectors, "herokuext.pg17.z0.dump")
zstd_source = os.path.join(vectors, "herokuext.pg18.zstd.dump")
gzip_source = os.path.join(vectors, "herokuext.pg15.default.dump")
no_change = ["--from", "pgarc_no_such_schema"]
move = ["--from", "heroku_ext", "--to", "public"]

with tempfile.TemporaryDirectory() as scratch:
    def path(name):
        return os.path.join(scratch, name)

    # Custom -> directory, and the listing of both.
    r = run([source, "-F", "d", "-o", path("dir")] + no_change)
    check("a custom archive converts to a directory archive", r.returncode == 0 and os.path.isdir(path("dir")),
          r.stderr)
    check("the directory holds toc.dat and data files named <dump id>.dat",
          "toc.dat" in members(path("dir"))
          and all(m == "toc.dat" or (m.endswith(".dat") and m[:-4].isdigit()) for m in members(path("dir")))
          and len(members(path("dir"))) > 1 and not [m for m in os.listdir(scratch) if m.startswith(".")], members(path("dir")))
    listed_custom, listed_dir = run(["--list", source]), run(["--list", path("dir")])
    check("--list of the directory shows the custom archive's entries",
          listed_dir.returncode == 0 and entries(listed_dir.stdout) == entries(listed_custom.stdout), listed_dir.stderr)
    check("--list names the format DIRECTORY", b";     Format: DIRECTORY" in listed_dir.stdout)
    r = run(["--list", os.path.join(path("dir"), "toc.dat")])
    check("the directory's toc.dat is read as the directory", r.returncode == 0 and r.stdout == listed_dir.stdout)
    js = json.loads(run(["--list", "--json", path("dir")]).stdout)
    files = [e["data_file"] for e in js["entries"] if e["data_file"]]
    check("--list --json gives the layout and each entry's data file",
          js["header"]["layout"] == "DIRECTORY" and files and all(f in members(path("dir")) for f in files), js["header"].get("layout"))

    # Check, dry run, verify.
    r = run(["--check", path("dir")] + move)
    check("--check on a directory that needs a change: exit 3", r.returncode == 3, r.stderr)
    r = run(["--dry-run", "--json", path("dir")] + move)
    report_json = json.loads(r.stdout)
    check("--dry-run --json reports the moved extensions and writes nothing",
          r.returncode == 0 and report_json["moved_extensions"] and members(scratch) == ["dir"], r.stderr)
    r = run(["--check", "--json", path("dir"), source] + move)
    lines = [json.loads(l) for l in r.stdout.decode().splitlines()]
    check("--check over a directory and a custom archive together", r.returncode == 3 and len(lines) == 2
          and all(l["status"] == "would change" for l in lines), r.stdout)
    r = run(["--verify", path("dir")])
    check("--verify decodes every data file and large object", r.returncode == 0 and b": ok" in r.stderr, r.stderr)

    # Retarget into a new directory.
    before = {m: os.stat(os.path.join(path("dir"), m)) for m in members(path("dir"))}
    r = run([path("dir"), "-o", path("out")] + move)
    check("a directory archive is retargeted into a new directory", r.returncode == 0 and os.path.isdir(path("out")),
          r.stderr)
    check("the new directory has the same members", members(path("out")) == members(path("dir")))
    data_members = [m for m in members(path("dir")) if m != "toc.dat"]
    check("every data file is byte-identical (nothing to rewrite in COPY data)",
          all(read(os.path.join(path("dir"), m)) == read(os.path.join(path("out"), m)) for m in data_members))
    check("toc.dat changed", read(os.path.join(path("dir"), "toc.dat")) != read(os.path.join(path("out"), "toc.dat")))
    check("the input is untouched", all(os.stat(os.path.join(path("dir"), m)).st_mtime_ns == before[m].st_mtime_ns
                                        for m in before))
    check("without --link the files are not shared",
          all(os.stat(os.path.join(path("out"), m)).st_ino != before[m].st_ino for m in data_members))
    check("no temporary directory is left", sorted(os.listdir(scratch)) == ["dir", "out"], os.listdir(scratch))
    r = run(["--verify", path("out")])
    check("the new directory verifies", r.returncode == 0, r.stderr)
    r = run([path("dir"), "-o", path("out")] + move)
    check("an existing non-empty destination is refused and kept",
          one_error(r, "it exists and is not an empty directory") and members(path("out")) == members(path("dir"))
          and sorted(os.listdir(scratch)) == ["dir", "out"], r.stderr)

    r = run([path("dir"), "--link", "-o", path("linked")] + move)
    check("--link: every unchanged data file is a hard link to the input's",
          r.returncode == 0 and all(os.stat(os.path.join(path("linked"), m)).st_ino == before[m].st_ino
                                    for m in data_members), r.stderr)
    check("--link: toc.dat is new",
          os.stat(os.path.join(path("linked"), "toc.dat")).st_ino != before["toc.dat"].st_ino)

    # --in-place: the directory is exchanged.
    shutil.copytree(path("dir"), path("inplace"))
    inode = os.stat(path("inplace")).st_ino
    r = run(["--in-place", path("inplace")] + move)
    check("--in-place replaces the directory with the retargeted one",
          r.returncode == 0 and os.stat(path("inplace")).st_ino != inode
          and read(os.path.join(path("inplace"), "toc.dat")) == read(os.path.join(path("out"), "toc.dat")), r.stderr)
    check("--in-place leaves nothing beside it",
          not [m for m in os.listdir(scratch) if m.startswith(".")], os.listdir(scratch))
    inode = os.stat(path("inplace")).st_ino
    r = run(["--in-place", path("inplace")] + move)
    check("--in-place on a directory that needs no change leaves it untouched",
          r.returncode == 0 and os.stat(path("inplace")).st_ino == inode and b"left untouched" in r.stderr, r.stderr)

    # Directory -> custom, back again, and through pipes.
    r = run([path("dir"), "-F", "c", "-o", path("back.dump")] + no_change)
    check("a directory archive converts to a custom archive", r.returncode == 0, r.stderr)
    check("... with the same entries", entries(run(["--list", path("back.dump")]).stdout) == entries(listed_custom.stdout))
    js = json.loads(run(["--list", "--json", path("back.dump")]).stdout)
    check("... and every data offset set (a seekable output)",
          all(e["data_state"] in ("POS_SET", "NO_DATA") for e in js["entries"]) and js["header"]["layout"] == "CUSTOM")
    check("... which verifies", run(["--verify", path("back.dump")]).returncode == 0)
    r = run([path("back.dump"), "-F", "d", "-o", path("again")] + no_change)
    check("custom -> directory -> custom -> directory gives the same files",
          r.returncode == 0 and all(read(os.path.join(path("dir"), m)) == read(os.path.join(path("again"), m))
                                    for m in members(path("dir"))), r.stderr)
    piped = subprocess.run([tool, path("dir"), "-F", "c", "-o", "-"] + no_change, capture_output=True)
    with open(source, "rb") as stdin:
        r = run(["-", "-F", "d", "-o", path("from-stdin")] + no_change, stdin=stdin)
    check("standard input converts to a directory with the same files",
          r.returncode == 0 and all(read(os.path.join(path("dir"), m)) == read(os.path.join(path("from-stdin"), m))
                                    for m in members(path("dir"))), r.stderr)
    r = subprocess.run([tool, "--verify", "-"], input=piped.stdout, capture_output=True)
    check("the custom archive written to standard output verifies", piped.returncode == 0 and r.returncode == 0,
          piped.stderr + r.stderr)
    r = run([path("dir"), "-o", "-"])
    check("a directory cannot be written to standard output", r.returncode == 2, r.stderr)

    # zstd streams are the same in both formats.
    r = run([zstd_source, "-F", "d", "-o", path("zstd")] + move)
    check("zstd: converted and retargeted, every data file ends in .zst",
          r.returncode == 0 and all(m.endswith(".zst") for m in members(path("zstd"))
                                    if m != "toc.dat" and not m.startswith("blobs")), r.stderr)
    check("zstd: the directory verifies", run(["--verify", path("zstd")]).returncode == 0)
    r = run([path("zstd"), "-F", "c", "-o", path("zstd.dump")])
    check("zstd: and back to a custom archive that verifies",
          r.returncode == 0 and run(["--verify", path("zstd.dump")]).returncode == 0, r.stderr)

    # gzip: refused both ways, nothing written.
    r = run([gzip_source, "-F", "d", "-o", path("gz")])
    check("gzip: custom -> directory is refused with one line saying why",
          one_error(r, "gzip-compressed", "zlib streams") and not os.path.exists(path("gz"))
          and not [m for m in os.listdir(scratch) if m.startswith(".")], r.stderr)
    r = run([gzip_source, "-F", "t", "-o", path("x.tar")])
    check("gzip: custom -> tar is refused with one line saying why",
          one_error(r, "gzip-compressed", "uncompressed") and not os.path.exists(path("x.tar"))
          and not [m for m in os.listdir(scratch) if m.startswith(".")], r.stderr)
    r = run(["--in-place", "-F", "c", path("dir")])
    check("--format with --in-place is a usage error", r.returncode == 2, r.stderr)

    # Hostile members: one error line naming the archive and the member.
    toc = read(os.path.join(path("dir"), "toc.dat"))
    name = next(f for f in files if f.endswith(".dat")).encode()
    for label, replacement, fragment in [
            ("a name with ..", b"../" + name[3:], 'contains "/"'),
            ("an absolute name", b"/" + name[1:], "is an absolute path"),
    ]:
        hostile = path("hostile")
        shutil.rmtree(hostile, ignore_errors=True)
        shutil.copytree(path("dir"), hostile)
        with open(os.path.join(hostile, "toc.dat"), "wb") as f:
            f.write(toc.replace(name, replacement, 1))
        for args in (["--list"], ["--verify"], ["-o", path("h-out")]):
            r = run(args + [hostile])
            check("%s in toc.dat (%s): one error line naming the archive and the member" % (label, args[0]),
                  one_error(r, '"%s"' % hostile, 'member "%s"' % replacement.decode(), fragment)
                  and not os.path.exists(path("h-out")), r.stderr)
    hostile = path("hostile")
    shutil.rmtree(hostile)
    shutil.copytree(path("dir"), hostile)
    outside = path("outside.dat")
    shutil.move(os.path.join(hostile, name.decode()), outside)
    os.symlink(outside, os.path.join(hostile, name.decode()))
    r = run([hostile, "-o", path("h-out")])
    check("a symbolic link out of the archive is refused",
          one_error(r, 'member "%s"' % name.decode(), "outside the archive") and not os.path.exists(path("h-out")),
          r.stderr)
    os.unlink(os.path.join(hostile, name.decode()))
    r = run([hostile, "--check"])
    check("a missing data file is refused", one_error(r, 'member "%s"' % name.decode(), "is missing"), r.stderr)
    with open(os.path.join(hostile, name.decode()), "wb") as f:
        f.write(read(outside)[:-7])
    r = run([hostile, "-o", path("h-out")])
    check("a cut data file is refused", one_error(r, "is truncated") and not os.path.exists(path("h-out")), r.stderr)
    check("no temporary directory is left after the failures",
          not [m for m in os.listdir(scratch) if m.startswith(".")], os.listdir(scratch))

report()
