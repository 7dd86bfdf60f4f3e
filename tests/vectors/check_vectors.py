#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""Runs pgarc-retarget on every real archive in testdata/vectors as a user
would, and checks it against independent evidence (TAP output, one test per
vector and check):
  - --list --json agrees field by field with toc_reader.py, a TOC reader
    written from pg_dump's source that shares no code with pgarc;
  - --list agrees with the entries of the vector's .list (pg_restore -l);
  - the rewritten archive equals the input byte for byte; a piped vector's
    equals its default twin except for the header's creation time;
  - pg_restore 15 (when it reads that version) lists the output with the same
    entries and restores it, data included, to SQL without error;
  - pg_restore 18 reads every output, the copy and the retargeted archive
    ("pg_restore 18 reads NAME": -l lists the same entries as --list, and a
    full restore to /dev/null gives no error), and pg_restore 17 reads the
    archive versions 1.15 and 1.16 ("pg_restore 17 reads NAME"). A missing
    pg_restore 17 or 18 fails those checks; nothing is skipped;
  - --link copies no data: a vector per compression kind a directory archive
    can be converted to (none, lz4, zstd), written as a directory and
    retargeted into a new one with --link, has every unchanged data file as
    the input's inode (st_dev, st_ino) and every rewritten one (no vector has
    one today) as a new inode; without --link the unchanged files are
    byte-identical copies in new inodes; the input is untouched either way.
Usage: check_vectors.py PGARC_RETARGET VECTORS_DIR PG_RESTORE_15 PG_RESTORE_17 PG_RESTORE_18"""

import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "support"))
sys.path.insert(0, here)
from tap import check, report  # noqa: E402  (tests/support/tap.py)
from toc_reader import read_toc  # noqa: E402  (tests/vectors/toc_reader.py)

tool, vectors, pg_restore, pg_restore_17, pg_restore_18 = sys.argv[1:6]
# The newer judges and the oldest archive minor version each reads here.
judges = [(18, pg_restore_18, 0), (17, pg_restore_17, 15)]

SECTIONS = {"PRE_DATA", "DATA", "POST_DATA", "NONE"}



def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, **kwargs)


def entry_lines(text):
    return [line for line in text.splitlines() if line and not line.startswith(";")]


def pg_restore_minor():
    """Newest archive minor version the installed pg_restore reads."""
    out = run([pg_restore, "--version"], text=True).stdout
    major = int(out.split()[-1].split(".")[0]) if out else 0
    return {15: 14, 14: 14, 13: 14, 12: 14, 16: 15, 17: 16, 18: 16}.get(major, 0)


def creation_time_span(data):
    """Byte range of the seven creation-time ints in a header (see ReadHead)."""
    minor, int_size = data[6], data[8]
    pos = 11 + (1 if minor >= 15 else 1 + int_size)
    return pos, pos + 7 * (1 + int_size)


restorable_minor = pg_restore_minor()
names = sorted(n for n in os.listdir(vectors) if n.endswith(".dump"))
with tempfile.TemporaryDirectory() as scratch:
    for name in names:
        path = os.path.join(vectors, name)
        with open(path, "rb") as f:
            original = f.read()
        minor = original[6]

        listing = run([tool, "--list", "--json", path])
        ok = listing.returncode == 0
        if ok:
            ours = json.loads(listing.stdout)["entries"]
            theirs = read_toc(original)
            mismatch = ""
            if len(ours) != len(theirs):
                mismatch = f"{len(ours)} entries, expected {len(theirs)}"
            for mine, ref in zip(ours, theirs):
                for key, value in ref.items():
                    if mine.get(key) != value:
                        mismatch = f"entry {ref.get('id')}: {key} is {mine.get(key)!r}, expected {value!r}"
                        break
                if mismatch:
                    break
            ok = not mismatch
        else:
            mismatch = listing.stderr.decode(errors="replace").strip()
        check(f"{name}: --list --json matches toc_reader.py", ok, mismatch)

        listing = run([tool, "--list", path], text=True)
        with open(path + ".list") as f:
            expected = entry_lines(f.read())
        got = entry_lines(listing.stdout)
        # pg_restore before 11 listed the DATABASE entry; newer ones do not.
        if name.split(".")[1] == "pg96":
            expected = [l for l in expected if " DATABASE " not in l.split(";", 1)[1][:40]]
        check(f"{name}: --list matches pg_restore -l", listing.returncode == 0 and got == expected,
              "\n".join(set(got) ^ set(expected)) or listing.stderr)

        out = os.path.join(scratch, name)
        # No extension lives in that schema: nothing to move, a pure rewrite.
        rewrite = run([tool, "--from", "pgarc_no_such_schema", "-q", path, "-o", out])
        if rewrite.returncode != 0:
            check(f"{name}: rewrite", False, rewrite.stderr.decode(errors="replace"))
            continue
        with open(out, "rb") as f:
            written = f.read()
        if ".piped." in name or ".herokucapture." in name:
            twin = os.path.join(vectors, name.replace(".piped.", ".default.").replace(".herokucapture.", ".default."))
            if ".piped." in name and os.path.exists(twin):
                with open(twin, "rb") as f:
                    reference = f.read()
                start, end = creation_time_span(reference)
                same = (len(written) == len(reference) and written[:start] == reference[:start]
                        and written[end:] == reference[end:])
                check(f"{name}: output equals the default twin but for creation time", same)
            else:
                # No seekable twin: every data offset filled in, nothing else changed.
                entries = json.loads(run([tool, "--list", "--json", out]).stdout)["entries"]
                check(f"{name}: output has every data offset set, size unchanged",
                      len(written) == len(original)
                      and all(e["data_state"] != "POS_NOT_SET" for e in entries))
        else:
            check(f"{name}: output is byte-identical", written == original)

        if minor <= restorable_minor:
            listed = run([pg_restore, "-l", out], text=True)
            check(f"{name}: pg_restore -l reads the output",
                  listed.returncode == 0 and entry_lines(listed.stdout) == entry_lines(run([tool, "--list", out], text=True).stdout),
                  listed.stderr)
            restored = run([pg_restore, "-f", "-", out])
            check(f"{name}: pg_restore -f - restores the output",
                  restored.returncode == 0 and b"pg_restore: error" not in restored.stderr,
                  restored.stderr.decode(errors="replace"))

        # Retargeting in the direction the vector needs: the result is read by
        # pg_restore, and a second run changes nothing.
        direction = ["--from", "heroku_ext", "--to", "public"] if name.startswith("herokuext") else []
        fixed = out + ".fixed"
        first = run([tool, "-q", *direction, path, "-o", fixed])
        second = run([tool, "-q", *direction, fixed, "-o", fixed + ".again"])
        same = first.returncode == 0 and second.returncode == 0 and open(fixed, "rb").read() == open(fixed + ".again", "rb").read()
        check(f"{name}: retargeted {' '.join(direction) or 'public -> heroku_ext'}, second run identical", same,
              (first.stderr + second.stderr).decode(errors="replace"))

        # The newer judges read both outputs: the copy and the retargeted archive.
        for major, judge, oldest_minor in judges:
            if minor < oldest_minor:
                continue
            problems = []
            if not os.access(judge, os.X_OK):
                problems.append(f"pg_restore {major} not found at \"{judge}\"; run tools/install-pg-roots "
                                f"and configure with -Dpg{major}_bindir=DIR")
            else:
                for label, written_path in [("copy", out), ("retargeted", fixed)]:
                    if not os.path.exists(written_path):
                        problems.append(f"{label}: not written")
                        continue
                    listed = run([judge, "-l", written_path], text=True)
                    ours = run([tool, "--list", written_path], text=True)
                    if listed.returncode != 0 or entry_lines(listed.stdout) != entry_lines(ours.stdout):
                        problems.append(f"{label}: pg_restore -l: " + (listed.stderr.strip() or "\n".join(
                            set(entry_lines(listed.stdout)) ^ set(entry_lines(ours.stdout)))))
                    restored = run([judge, "-f", "/dev/null", written_path])
                    if restored.returncode != 0 or b"pg_restore: error" in restored.stderr:
                        problems.append(f"{label}: pg_restore -f /dev/null: " + restored.stderr.decode(errors="replace"))
            check(f"pg_restore {major} reads {name}", not problems, "\n".join(problems))
        if minor <= restorable_minor and first.returncode == 0:
            listed = run([pg_restore, "-l", fixed], text=True)
            restored = run([pg_restore, "-f", "-", fixed])
            check(f"{name}: pg_restore lists and restores the retargeted archive",
                  listed.returncode == 0 and restored.returncode == 0 and b"pg_restore: error" not in restored.stderr,
                  listed.stderr + restored.stderr.decode(errors="replace"))

    # --link copies no data: one vector per compression kind a directory
    # archive can be converted to (gzip cannot: see the README), written as a
    # directory, then retargeted into a new directory with and without --link.
    for name in ["herokuext.pg17.z0.dump", "herokuext.pg18.lz4.dump", "herokuext.pg18.zstd.dump"]:
        directory = os.path.join(scratch, name + ".d")
        made = run([tool, "-q", "--from", "pgarc_no_such_schema", os.path.join(vectors, name), "-F", "d", "-o", directory])
        if made.returncode != 0:
            check(f"{name}: as a directory archive", False, made.stderr.decode(errors="replace"))
            continue
        members = sorted(m for m in os.listdir(directory) if m != "toc.dat")
        before = {m: open(os.path.join(directory, m), "rb").read() for m in os.listdir(directory)}
        for option in ["--link", None]:
            label = option or "without --link"
            target = os.path.join(scratch, name + (".linked" if option else ".copied"))
            done = run([tool, "-q", "--from", "heroku_ext", "--to", "public", directory, "-o", target]
                       + ([option] if option else []))
            if done.returncode != 0:
                check(f"{name}: {label}", False, done.stderr.decode(errors="replace"))
                continue
            same_inode, copied, rewritten, problems = [], [], [], []
            for member in members:
                source, written = os.stat(os.path.join(directory, member)), os.stat(os.path.join(target, member))
                shared = (source.st_dev, source.st_ino) == (written.st_dev, written.st_ino)
                unchanged = open(os.path.join(target, member), "rb").read() == before[member]
                if not unchanged:
                    rewritten.append(member)
                    if shared:
                        problems.append(f"{member} was rewritten through the input's inode")
                elif option and not shared:
                    problems.append(f"{member} is unchanged but not linked (inode {written.st_ino}, "
                                    f"input {source.st_ino})")
                elif not option and shared:
                    problems.append(f"{member} shares the input's inode without --link")
                (same_inode if shared else copied).append(member)
            toc_shared = os.stat(os.path.join(target, "toc.dat")).st_ino == os.stat(os.path.join(directory, "toc.dat")).st_ino
            check(f"{name}: {label}: every unchanged data file "
                  + ("is the input's inode" if option else "is a byte-identical copy in a new inode")
                  + f" ({len(members) - len(rewritten)} files, {len(rewritten)} rewritten in new inodes)",
                  members and not problems and not toc_shared
                  and len(same_inode if option else copied) == len(members) - (len(rewritten) if option else 0),
                  "\n".join(problems) or f"toc.dat shared: {toc_shared}, members: {members}")
            after = {m: open(os.path.join(directory, m), "rb").read() for m in os.listdir(directory)}
            check(f"{name}: {label}: the input directory is untouched", after == before)

report()
sys.exit(0)
