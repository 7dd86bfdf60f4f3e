#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""Runs the pgarc-retarget binary as a user would and checks exit status,
standard output, standard error and the files left behind (TAP output).
Usage: check_cli.py PGARC_RETARGET VECTORS_DIR MAN_PAGE"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from tap import check, report  # noqa: E402  (tests/support/tap.py)

tool, vectors, man_page = sys.argv[1], sys.argv[2], sys.argv[3]



def run(args, stdin=None, stdout=subprocess.PIPE):
    return subprocess.run([tool] + args, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE)


def one_error_line(result):
    lines = result.stderr.decode(errors="replace").splitlines()
    errors = [l for l in lines if l.startswith("pgarc-retarget: error: ")]
    return len(errors) == 1 and all(l.startswith("pgarc-retarget: ") for l in lines)


os.umask(0o022)
# An archive with no extension in public: rewriting it changes nothing.
vector = os.path.join(vectors, "plain.pg15.default.dump")
piped = os.path.join(vectors, "plain.pg15.piped.dump")
with_extensions = os.path.join(vectors, "tiny.pg15.default.dump")
with open(vector, "rb") as f:
    vector_bytes = f.read()

with tempfile.TemporaryDirectory() as scratch:
    def path(name):
        return os.path.join(scratch, name)

    # --help, --version, usage errors
    r = run(["--help"])
    help_text = r.stdout.decode()
    check("--help exits 0 and shows usage", r.returncode == 0 and "Usage:" in help_text)
    r = run(["--version"])
    check("--version prints the version", r.returncode == 0 and re.match(rb"pgarc-retarget \(pgarc\) \d+\.\d+", r.stdout))
    r = run([])
    check("no arguments is a usage error (exit 2)", r.returncode == 2 and b"no input archive given" in r.stderr)
    r = run(["--bogus", vector])
    check("unknown option is a usage error (exit 2)",
          r.returncode == 2 and (b"unrecognised option" in r.stderr or b"unrecognized option" in r.stderr), r.stderr)
    r = run([vector])
    check("missing -o is a usage error (exit 2)", r.returncode == 2 and b"no output given" in r.stderr)
    r = run(["--list", vector, "-o", path("x")])
    check("--list with -o is a usage error", r.returncode == 2 and not os.path.exists(path("x")))
    r = run([vector, vector])
    check("two inputs without batch options is a usage error", r.returncode == 2 and b"--output-dir" in r.stderr)

    # every option in --help is documented in the man page
    with open(man_page) as f:
        man = f.read().replace("\\-", "-")
    options = set(re.findall(r"--[a-z][a-z-]+", help_text))
    undocumented = sorted(o for o in options if o not in man)
    check("every --help option appears in the man page", not undocumented, " ".join(undocumented))

    # the plain path: a file in, a file out
    out = path("out.dump")
    r = run([vector, "-o", out])
    with open(out, "rb") as f:
        check("file to file: exit 0, identical bytes, a one-line summary",
              r.returncode == 0 and f.read() == vector_bytes
              and r.stderr == b"pgarc-retarget: no extension to move from schema public; the archive is copied unchanged\n", r.stderr)
    check("no temporary file is left beside the output",
          sorted(os.listdir(scratch)) == ["out.dump"])
    mode = os.stat(out).st_mode & 0o777
    check("output gets the permissions a new file would (umask 022)", mode == 0o644, oct(mode))

    # durability: the output is flushed before it is renamed into place
    # (pg_dump's default), and --no-sync skips that; strace shows the calls.
    # LeakSanitizer cannot run under ptrace: off for these runs only.
    traced_env = dict(os.environ)
    traced_env["ASAN_OPTIONS"] = ":".join(filter(None, [os.environ.get("ASAN_OPTIONS"), "detect_leaks=0"]))

    def sync_calls(args):
        trace = path("strace.txt")
        r = subprocess.run(["strace", "-f", "-qq", "-e", "trace=fsync,fdatasync,syncfs,sync",
                            "-o", trace, tool] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=traced_env)
        with open(trace) as f:
            calls = [line for line in f if "sync" in line]
        os.unlink(trace)
        return r, calls
    r, calls = sync_calls([vector, "-o", path("synced.dump")])
    check("-o flushes the file and its directory before the rename (two fsync calls)",
          r.returncode == 0 and len([c for c in calls if "fsync(" in c]) == 2, calls)
    r, calls = sync_calls([vector, "--no-sync", "-o", path("unsynced.dump")])
    with open(path("unsynced.dump"), "rb") as f:
        check("--no-sync: identical bytes and no fsync", r.returncode == 0 and f.read() == vector_bytes
              and calls == [], calls)
    os.unlink(path("synced.dump"))
    os.unlink(path("unsynced.dump"))
    # pipes get a 1 MiB buffer (F_SETPIPE_SZ), so each read and write moves more
    trace = path("strace.txt")
    cat = subprocess.Popen(["cat", piped], stdout=subprocess.PIPE)
    r = subprocess.run(["strace", "-qq", "-e", "trace=fcntl", "-o", trace, tool, "-q", "-", "-o", "-"],
                       stdin=cat.stdout, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=traced_env)
    cat.wait()
    with open(trace) as f:
        widened = [line.split("(")[1].split(",")[0] for line in f if "F_SETPIPE_SZ, 1048576" in line]
    os.unlink(trace)
    check("pipes on standard input and output are widened to 1 MiB", r.returncode == 0 and widened == ["0", "1"],
          widened)
    r = run([vector, "--no-sync", "--in-place"])
    check("--no-sync with --in-place is a usage error", r.returncode == 2 and b"--in-place" in r.stderr, r.stderr)
    r = run([vector, "--no-sync", "--check"])
    check("--no-sync without an output file is a usage error", r.returncode == 2, r.stderr)

    # pipes: - for standard input and output
    with open(vector, "rb") as stdin:
        r = run(["-", "-o", "-"], stdin=stdin)
    check("stdin to stdout (a regular file on stdin) gives identical bytes", r.returncode == 0 and r.stdout == vector_bytes)
    cat = subprocess.Popen(["cat", piped], stdout=subprocess.PIPE)
    r = run(["-", "-o", "-"], stdin=cat.stdout)
    cat.wait()
    with open(piped, "rb") as f:
        check("a real pipe to a pipe keeps offsets unset (single pass)", r.returncode == 0 and r.stdout == f.read())
    cat = subprocess.Popen(["cat", piped], stdout=subprocess.PIPE)
    r = run(["-", "-o", path("from-pipe.dump")], stdin=cat.stdout)
    cat.wait()
    entries = run(["--list", "--json", path("from-pipe.dump")]).stdout
    check("a pipe to a file gets every data offset", r.returncode == 0 and b"POS_NOT_SET" not in entries and b"POS_SET" in entries)
    with open(path("redirected.dump"), "wb") as stdout:
        cat = subprocess.Popen(["cat", piped], stdout=subprocess.PIPE)
        r = run(["-", "-o", "-"], stdin=cat.stdout, stdout=stdout)
        cat.wait()
    entries = run(["--list", "--json", path("redirected.dump")]).stdout
    check("stdout redirected to a file gets offsets too", r.returncode == 0 and b"POS_NOT_SET" not in entries)
    r = run(["--list", "-"], stdin=open(with_extensions, "rb"))
    check("--list reads standard input", r.returncode == 0 and b"EXTENSION - citext" in r.stdout)

    # retargeting: summary on stderr, --json report, --dry-run, idempotence
    fixed = path("fixed.dump")
    r = run([with_extensions, "-o", fixed])
    stderr = r.stderr.decode()
    check("retarget: exit 0 and a summary naming the moved extensions",
          r.returncode == 0 and "moved 3 extensions from public to heroku_ext: btree_gist, citext, hstore" in stderr
          and "schema heroku_ext: added SCHEMA entry" in stderr, stderr)
    def data_positions(archive):
        entries = json.loads(run(["--list", "--json", archive]).stdout)["entries"]
        return [e["data_pos"] for e in entries if e.get("data_pos")]
    before, after = data_positions(with_extensions), data_positions(fixed)
    check("retarget: the data area moves by whole pages (the SCHEMA entry's drop comment is padded)",
          before and len(before) == len(after) and after[0] != before[0]
          and all((b - a) % 4096 == 0 for a, b in zip(before, after)), (before, after))
    listing = run(["--list", fixed]).stdout.decode()
    check("retarget: the new SCHEMA entry is listed before the extensions",
          listing.find("SCHEMA - heroku_ext") != -1 and listing.find("SCHEMA - heroku_ext") < listing.find("EXTENSION - btree_gist"), listing)
    again = path("again.dump")
    r = run([fixed, "-o", again])
    with open(fixed, "rb") as a, open(again, "rb") as b:
        check("retarget: running on its own output changes nothing", r.returncode == 0 and a.read() == b.read()
              and b"no extension to move" in r.stderr)
    before_dry_run = sorted(os.listdir(scratch)) + sorted(os.listdir(os.path.dirname(with_extensions)))
    r = run([with_extensions, "--dry-run", "--json"])
    after_dry_run = sorted(os.listdir(scratch)) + sorted(os.listdir(os.path.dirname(with_extensions)))
    try:
        parsed = json.loads(r.stdout)
        ok = (r.returncode == 0 and parsed["moved_extensions"] == ["btree_gist", "citext", "hstore"]
              and any(c["desc"] == "VIEW" and any(f["field"] == "defn" and isinstance(f["before"], str)
                                                  and "heroku_ext." in f["after"] for f in c["fields"])
                      for c in parsed["changes"]))
    except ValueError:
        ok = False
    check("--dry-run --json: full report with before and after, nothing written", ok and before_dry_run == after_dry_run)
    # issue 12: the note on unqualified queries, what --search-path did, the JSON fields
    r = run([with_extensions, "--dry-run"])
    err = r.stderr.decode()
    check("moving extensions: the summary notes the search_path and gives the three ways out",
          r.returncode == 0 and "note: application queries" in err and "--search-path" in err
          and "ALTER DATABASE <db> SET search_path" in err and "PGOPTIONS" in err, err)
    r = run([with_extensions, "--dry-run", "--search-path"])
    err = r.stderr.decode()
    check("--search-path: the summary says it added its entry, and no note",
          r.returncode == 0 and "search_path: added entry" in err
          and '"$user", public, heroku_ext' in err and "note: application queries" not in err, err)
    r = run([with_extensions, "--dry-run", "--json", "--search-path"])
    check("--json reports bodies, search_paths and the search_path action",
          r.returncode == 0 and b'"bodies": [' in r.stdout and b'"search_paths": [' in r.stdout
          and b'"search_path_action": "added"' in r.stdout, r.stdout[-400:])
    r = run([with_extensions, "--dry-run", "-o", path("z.dump")])
    check("--dry-run with -o is a usage error", r.returncode == 2 and not os.path.exists(path("z.dump")))
    r = run([with_extensions, "--from", "heroku_ext", "--to", "heroku_ext", "-o", path("z.dump")])
    check("--from equal to --to is a usage error", r.returncode == 2 and b"same schema" in r.stderr
          and not os.path.exists(path("z.dump")))
    r = run([with_extensions, "--quiet", "-o", path("quiet.dump")])
    check("--quiet prints nothing on success", r.returncode == 0 and r.stderr == b"")

    # --portable and its relatives (issue 16), on a real pg_dump 9.6 archive.
    old_dump = os.path.join(vectors, "plain.pg96.default.dump")
    r = run(["--portable", "--no-owner", "--no-acl", "--dry-run", "--json", old_dump])
    report_json = json.loads(r.stdout) if r.returncode == 0 else {}
    changes = report_json.get("portable", {}).get("changes", [])
    dropped = sorted((c["desc"], c["tag"], c["reason"]) for c in changes if c["action"] == "dropped")
    check("--portable --dry-run --json: every drop with its reason, no extension moved",
          dropped == [("COMMENT", "EXTENSION plpgsql", "builtin_plpgsql"), ("COMMENT", "SCHEMA public", "default_schema_comment"),
                      ("EXTENSION", "plpgsql", "builtin_plpgsql")]
          and report_json.get("moved_extensions") == []
          and any(c["reason"] == "schema_in_every_database" and c["action"] == "rewritten" for c in changes)
          and any(c["reason"] == "no_owner" for c in changes), r.stdout[:2000])
    r = run(["--portable", "--dry-run", old_dump])
    check("--portable: the summary names each dropped entry and why",
          r.returncode == 0 and b"would drop entry 1 (EXTENSION plpgsql)" in r.stderr
          and b"no extension to move" not in r.stderr, r.stderr)
    with open(path("keep.list"), "w") as f:
        f.write("; pg_restore -l, edited\n2146; 0 17199 TABLE DATA public authors postgres\n"
                "186; 1259 17199 TABLE public authors postgres\n;2148; 0 17210 TABLE DATA public books postgres\n"
                "bogus line\n")
    r = run(["--use-list", path("keep.list"), old_dump, "-o", path("selected.dump")])
    listed = run(["--list", path("selected.dump")]).stdout.decode()
    check("--use-list keeps the listed entries and leaves the rest out, data blocks included",
          r.returncode == 0 and "TABLE public authors" in listed and "TABLE DATA public authors" in listed
          and "books" not in listed and b"line ignored" in r.stderr
          and run(["--verify", path("selected.dump")]).returncode == 0, r.stderr + listed.encode())
    r = run(["--use-list", path("keep.list"), old_dump, vector, "--dry-run"])
    check("--use-list with several inputs is a usage error", r.returncode == 2 and b"one INPUT" in r.stderr, r.stderr)
    r = run(["--use-list", path("missing.list"), old_dump, "--dry-run"])
    check("an unreadable --use-list file is a failure naming it", r.returncode == 1 and b"missing.list" in r.stderr,
          r.stderr)
    r = run([with_extensions, "--exclude-extension", "hstore", "--dry-run"])
    check("--exclude-extension keeps an extension and says so",
          r.returncode == 0 and b"kept extension hstore in public: excluded by --exclude-extension" in r.stderr, r.stderr)
    r = run([with_extensions, "--to", "Ext Schema", "--dry-run", "--json"])
    check("--to with a name that needs quoting", r.returncode == 0 and b'WITH SCHEMA \\"Ext Schema\\"' in r.stdout, r.stdout[:300])

    # errors: one line naming the file, exit 1, nothing left behind
    r = run([path("missing.dump"), "-o", path("y.dump")])
    check("missing input: exit 1, one error line naming the file",
          r.returncode == 1 and one_error_line(r) and b"missing.dump" in r.stderr and b"No such file" in r.stderr)
    sql = path("plain.sql")
    with open(sql, "w") as f:
        f.write("--\n-- PostgreSQL database dump\n--\nSET statement_timeout = 0;\n")
    r = run([sql, "-o", path("y.dump")])
    check("plain SQL input: exit 1, error and hint",
          r.returncode == 1 and one_error_line(r) and b"hint: It looks like a plain-format SQL dump" in r.stderr)
    truncated = path("truncated.dump")
    with open(truncated, "wb") as f:
        f.write(vector_bytes[: len(vector_bytes) // 2])
    before = os.listdir(scratch)
    r = run([truncated, "-o", path("y.dump")])
    check("truncated input: exit 1, one error line naming file and offset",
          r.returncode == 1 and one_error_line(r) and b'"' + truncated.encode() + b'"' in r.stderr and b"byte" in r.stderr)
    check("truncated input: no output and no temporary file left", sorted(os.listdir(scratch)) == sorted(before))
    r = run([vector, "-o", os.path.join(scratch, "no-such-dir", "y.dump")])
    check("missing output directory: exit 1, one error line", r.returncode == 1 and one_error_line(r))
    copy = path("same.dump")
    shutil.copy(vector, copy)
    r = run([copy, "-o", copy])
    with open(copy, "rb") as f:
        check("writing over the input is refused and the input is untouched",
              r.returncode == 2 and f.read() == vector_bytes)
    r = run([vector, "-o", "-"], stdout=subprocess.DEVNULL)
    check("writing to /dev/null works", r.returncode == 0)
    # --verify on intact and damaged archives
    r = run(["--verify", with_extensions])
    check("--verify on an intact archive: exit 0, ok", r.returncode == 0 and r.stderr.endswith(b": ok\n"), r.stderr)
    entries = json.loads(run(["--list", "--json", with_extensions]).stdout)["entries"]
    first = min((e for e in entries if e["data_state"] == "POS_SET"), key=lambda e: e["data_pos"])
    damaged = bytearray(vector_with_extensions := open(with_extensions, "rb").read())
    damaged[first["data_pos"] + 1 + 5 + 5 + 6] ^= 0x55  # inside the first chunk's zlib stream
    open(path("flipped.dump"), "wb").write(damaged)
    r = run(["--verify", path("flipped.dump")])
    check("--verify finds a flipped byte in compressed data and names the entry",
          r.returncode == 1 and b"could not decompress" in r.stderr and f"entry {first['id']} ".encode() in r.stderr, r.stderr)
    damaged = bytearray(vector_with_extensions)
    damaged[first["data_pos"] + 1 + 5 + 1: first["data_pos"] + 1 + 5 + 5] = b"\xff\xff\xff\x7f"
    open(path("longchunk.dump"), "wb").write(damaged)
    r = run(["--verify", path("longchunk.dump")])
    check("--verify reports a chunk length past the end of the file",
          r.returncode == 1 and b"claims 2147483647 bytes but only" in r.stderr, r.stderr)
    last = max((e for e in entries if e["data_state"] == "POS_SET"), key=lambda e: e["data_pos"])
    open(path("missing.dump"), "wb").write(vector_with_extensions[: last["data_pos"]])
    r = run(["--verify", path("missing.dump")])
    check("--verify on a file cut before a data block: its offset is refused when the TOC is read",
          r.returncode == 1 and b"past the end of the file" in r.stderr
          and f"(dump id {last['id']})".encode() in r.stderr, r.stderr)
    # From a pipe the size is unknown, so the missing block is found while verifying.
    r = subprocess.run([tool, "--verify", "-"], input=vector_with_extensions[: last["data_pos"]],
                       capture_output=True)
    check("--verify reports a missing data block by entry",
          r.returncode == 1 and b"no data block found for this entry" in r.stderr
          and f"entry {last['id']} ".encode() in r.stderr, r.stderr)
    r = run(["--verify", "--json", path("flipped.dump")])
    try:
        ok = json.loads(r.stdout)["ok"] is False
    except ValueError:
        ok = False
    check("--verify --json prints the report", r.returncode == 1 and ok)
    r = run([with_extensions, "-o", path("verified.dump"), "--verify"])
    check("-o with --verify checks the written archive", r.returncode == 0 and b"verified" in r.stderr
          and b"verified.dump" in r.stderr, r.stderr)

    # batch: several inputs, --output-dir, --jobs, --check
    batch_in = path("batch-in")
    os.mkdir(batch_in)
    names = ["tiny.pg15.default.dump", "tiny.pg11.default.dump", "plain.pg15.default.dump",
             "herokuext.pg16.default.dump", "tiny.pg96.piped.dump"]
    for name in names:
        shutil.copy(os.path.join(vectors, name), batch_in)
    open(os.path.join(batch_in, "broken.dump"), "wb").write(b"PGDMP\x01\x0e\x00\x04\x08\x01")
    inputs = [os.path.join(batch_in, n) for n in names + ["broken.dump"]]
    serial_out, parallel_out = path("serial"), path("parallel")
    os.mkdir(serial_out)
    os.mkdir(parallel_out)
    r1 = run(["--output-dir", serial_out] + inputs)
    r2 = run(["--output-dir", parallel_out, "--jobs", "3"] + inputs)
    stderr = r1.stderr.decode()
    check("batch: a bad input fails alone, exit 1, one line per file and a total",
          r1.returncode == 1 and "broken.dump" in stderr and "error:" in stderr
          and "6 archives: 3 changed, 2 unchanged, 1 failed" in stderr, stderr)
    same = sorted(os.listdir(serial_out)) == sorted(names) == sorted(os.listdir(parallel_out)) and all(
        open(os.path.join(serial_out, n), "rb").read() == open(os.path.join(parallel_out, n), "rb").read() for n in names)
    check("batch: --jobs 3 writes the same bytes as a serial run, nothing for the broken input", same)
    check("batch: --jobs prints the same lines in the same order",
          r1.stderr.replace(b"/serial/", b"/OUT/") == r2.stderr.replace(b"/parallel/", b"/OUT/"), r2.stderr)
    r = run(["--check"] + [os.path.join(serial_out, n) for n in names])
    check("--check: 0 when nothing would change (the tool's own output)", r.returncode == 0, r.stderr)
    r = run(["--check", inputs[0], inputs[2]])
    check("--check: 3 when an archive would change", r.returncode == 3, r.stderr)
    r = run(["--check", inputs[0], inputs[-1]])
    check("--check: 1 when an archive is broken, even if another would change", r.returncode == 1)
    r = run(["--check", "--json"] + inputs)
    lines = r.stdout.decode().splitlines()
    try:
        objects = [json.loads(l) for l in lines]
        ok = ([o["status"] for o in objects] == ["would change", "would change", "unchanged", "unchanged", "would change", "failed"]
              and objects[0]["report"]["moved_extensions"] == ["btree_gist", "citext", "hstore"])
    except (ValueError, KeyError):
        ok = False
    check("--check --json: one JSON object per file, in input order", ok and len(lines) == 6, r.stdout[:400])
    r = run([inputs[0], inputs[1], "-o", path("x.dump")])
    check("several inputs with -o is a usage error", r.returncode == 2)
    other = path("other")
    os.mkdir(other)
    shutil.copy(inputs[0], other)
    r = run(["--output-dir", path("serial"), inputs[0], os.path.join(other, names[0])])
    check("--output-dir with two inputs of one file name is a usage error", r.returncode == 2
          and b"would both be written to" in r.stderr, r.stderr)
    r = run(["--output-dir", batch_in, inputs[0], inputs[2]])
    check("--output-dir onto the inputs themselves: a failure per file, no crash, inputs intact",
          r.returncode == 1 and r.stderr.count(b"is the input archive") == 2
          and b"2 archives: 0 changed, 0 unchanged, 2 failed" in r.stderr
          and open(inputs[0], "rb").read() == open(os.path.join(vectors, names[0]), "rb").read(), r.stderr)

    # --target: usage, and connection failures that need no server (the
    # checks themselves run against a real server in tests/integration).
    r = run(["--target", "dbname=x", with_extensions, "-o", path("t.dump")])
    check("--target with -o is a usage error", r.returncode == 2 and not os.path.exists(path("t.dump")), r.stderr)
    r = run(["--target", "dbname=x", "--dry-run", with_extensions])
    check("--target with --dry-run is a usage error", r.returncode == 2, r.stderr)
    nowhere = os.path.join(scratch, "no-server")
    r = run(["--target", f"host={nowhere} port=1 dbname=app password=s3cret", with_extensions])
    check("--target, no server: exit 1, one error line, no password",
          r.returncode == 1 and one_error_line(r) and b"could not connect to database: " in r.stderr
          and b"s3cret" not in r.stderr, r.stderr)
    r = run(["--target", f"postgresql://app:s3cret@/app?host={nowhere}&port=1&bogus=1", with_extensions])
    check("--target, a bad URI: exit 1, one error line, no password",
          r.returncode == 1 and one_error_line(r) and b"invalid URI query parameter" in r.stderr
          and b"s3cret" not in r.stderr, r.stderr)
    saved = {name: os.environ.get(name) for name in ("PGHOST", "PGPORT")}
    os.environ.update(PGHOST=nowhere, PGPORT="1")  # a database name: libpq takes the rest from here
    r = run(["--target", "app:s3cret@db.example.com", with_extensions])
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name)
        else:
            os.environ[name] = value
    check("--target, a URI without its prefix: exit 1, no password",
          r.returncode == 1 and one_error_line(r) and b"s3cret" not in r.stderr, r.stderr)

    # Directions: one side given, naming the other side's default.
    heroku = os.path.join(vectors, "herokuext.pg15.default.dump")
    r = run([heroku, "--from", "heroku_ext", "--dry-run", "--json"])
    report_of = json.loads(r.stdout) if r.returncode == 0 else {}
    check("--from heroku_ext alone means --to public",
          report_of.get("from") == "heroku_ext" and report_of.get("to") == "public"
          and "citext" in report_of.get("moved_extensions", []), r.stderr)
    r = run([heroku, "--to", "public", "--dry-run", "--json"])
    report_of = json.loads(r.stdout) if r.returncode == 0 else {}
    check("--to public alone means --from heroku_ext",
          report_of.get("from") == "heroku_ext" and report_of.get("to") == "public"
          and "citext" in report_of.get("moved_extensions", []), r.stderr)
    r = run([heroku, "--dry-run"])
    stderr = r.stderr.decode()
    check("default run on a Heroku capture names the extensions it saw and suggests the way back",
          r.returncode == 0 and "no extension to move from schema public (the archive creates btree_gist, citext"
          in stderr and "in heroku_ext)" in stderr
          and "hint: to move them from heroku_ext to public, use --from heroku_ext --to public" in stderr, stderr)
    r = run([vector, "--dry-run"])
    check("an archive with no extension at all gets no hint",
          r.returncode == 0 and b"hint" not in r.stderr and b"the archive creates" not in r.stderr, r.stderr)

    # Validation: refused before anything is written.
    for args, what in [(["-j", "-1"], "-j -1"), (["--jobs", "0"], "--jobs 0"), (["--jobs", "100000"], "--jobs 100000"),
                       (["--jobs", "two"], "--jobs two")]:
        r = run(args + ["--output-dir", path("jobs-out"), vector, with_extensions])
        check(f"{what} is a usage error (exit 2), nothing written",
              r.returncode == 2 and not os.path.exists(path("jobs-out")), r.stderr)
    r = run([with_extensions, "--extension", "nosuchext", "-o", path("ext.dump")])
    check("--extension naming no extension of the archive: exit 1, one line naming those it has, no output",
          r.returncode == 1 and one_error_line(r) and b"nosuchext" in r.stderr
          and b"btree_gist, citext, hstore in public" in r.stderr and not os.path.exists(path("ext.dump")), r.stderr)
    r = run([heroku, "--extension", "citext", "--dry-run"])
    check("--extension naming an extension in another schema: exit 1, the message says where it is",
          r.returncode == 1 and one_error_line(r) and b"in heroku_ext" in r.stderr, r.stderr)
    for schema in ["pg_catalog", "pg_toast", "pg_temp", "pg_temp_3", "information_schema"]:
        r = run([with_extensions, "--to", schema, "-o", path("sys.dump")])
        check(f"--to {schema} is refused before anything is written",
              r.returncode == 2 and b"system schema" in r.stderr and not os.path.exists(path("sys.dump")), r.stderr)

    # --output-dir that does not exist: created once, as pg_dump -Fd does.
    made = path("made-for-us")
    r = run(["--output-dir", made, vector, with_extensions])
    check("a missing --output-dir is created, and both archives are written there",
          r.returncode == 0 and sorted(os.listdir(made)) == sorted([os.path.basename(vector), os.path.basename(with_extensions)]),
          r.stderr)
    deep = os.path.join(scratch, "no", "such", "dir")
    many = [os.path.join(batch_in, n) for n in names]
    r = run(["--output-dir", deep] + many)
    check("an --output-dir that cannot be created: one error line for the whole run, exit 1",
          r.returncode == 1 and one_error_line(r) and b"output directory" in r.stderr
          and not os.path.exists(os.path.join(scratch, "no")), r.stderr)
    empty_made = path("made-but-empty")
    r = run(["--output-dir", empty_made, os.path.join(batch_in, "broken.dump")])
    check("an --output-dir created for a run where every archive failed is removed again",
          r.returncode == 1 and not os.path.exists(empty_made), r.stderr)
    open(path("a-file"), "w").close()
    r = run(["--output-dir", path("a-file"), vector, with_extensions])
    check("an --output-dir that is a file: one error line, exit 1",
          r.returncode == 1 and one_error_line(r) and b"not a directory" in r.stderr, r.stderr)

    # --verify and --list over several archives.
    r = run(["--verify", inputs[0], inputs[1], inputs[-1]])
    stderr = r.stderr.decode()
    check("--verify over several archives: a verdict per file, a total, exit 1 when one failed",
          r.returncode == 1 and stderr.count(": ok\n") == 2 and "broken.dump" in stderr
          and stderr.endswith("3 archives: 2 ok, 1 failed\n"), stderr)
    r = run(["--verify", inputs[0], inputs[1]])
    check("--verify over several intact archives: exit 0", r.returncode == 0
          and r.stderr.decode().endswith("2 archives: 2 ok, 0 failed\n"), r.stderr)
    r = run(["--verify", "--json", inputs[0], inputs[-1]])
    try:
        objects = [json.loads(l) for l in r.stdout.decode().splitlines()]
        ok = (len(objects) == 2 and objects[0]["file"] == inputs[0] and objects[0]["report"]["ok"] is True
              and objects[1]["status"] == "failed")
    except (ValueError, KeyError):
        ok = False
    check("--verify --json over several archives: one object per file", r.returncode == 1 and ok, r.stdout[:300])
    r = run(["--list", inputs[0], inputs[-1], inputs[2]])
    out = r.stdout.decode()
    check("--list over several archives: each listing under its file name, a total, exit 1 when one failed",
          r.returncode == 1 and out.startswith(f"==> {inputs[0]} <==\n;\n; Archive created at")
          and f"\n\n==> {inputs[2]} <==\n" in out and inputs[-1] not in out
          and r.stderr.decode().endswith("3 archives: 2 listed, 1 failed\n"), r.stderr)
    single = run(["--list", inputs[0]]).stdout.decode()
    check("--list over several archives: the listing is the one a single --list prints",
          single in out, out[:200])
    r = run(["--list", "--json", inputs[0], inputs[2]])
    try:
        objects = [json.loads(l) for l in r.stdout.decode().splitlines()]
        ok = [o["file"] for o in objects] == [inputs[0], inputs[2]] and "entries" in objects[0]["archive"]
    except (ValueError, KeyError):
        ok = False
    check("--list --json over several archives: one object per line", r.returncode == 0 and ok, r.stdout[:300])

    # --in-place on an archive that needs no change: not touched at all.
    untouched = path("untouched.dump")
    shutil.copy(vector, untouched)
    os.utime(untouched, (1_000_000_000, 1_000_000_000))
    before = os.stat(untouched)
    r = run(["--in-place", untouched])
    after = os.stat(untouched)
    check("--in-place with nothing to change leaves the file untouched (inode, mtime) and says so",
          r.returncode == 0 and after.st_ino == before.st_ino and after.st_mtime_ns == before.st_mtime_ns
          and b"left untouched" in r.stderr, r.stderr)
    changing = path("changing.dump")
    shutil.copy(with_extensions, changing)
    r = run(["--in-place", untouched, changing])
    check("--in-place over several: the unchanged one is reported as left untouched",
          r.returncode == 0 and f"{untouched}: unchanged, left untouched".encode() in r.stderr
          and os.stat(untouched).st_ino == before.st_ino and os.stat(changing).st_ino != os.stat(with_extensions).st_ino,
          r.stderr)

    # Hints.
    r = run([vector, path("new-name.dump")])
    check("two paths where the second does not exist: the usage error suggests -o",
          r.returncode == 2 and b"use -o" in r.stderr and b"new-name.dump" in r.stderr
          and not os.path.exists(path("new-name.dump")), r.stderr)
    r = run([copy, "-o", copy])
    check("output over the input: the usage error mentions --in-place", r.returncode == 2 and b"--in-place" in r.stderr,
          r.stderr)
    toc_dir = path("dir-dump")
    os.mkdir(toc_dir)
    # A directory-format toc.dat: pg_dump -Fd writes the tar format's code (3)
    # at byte 10 and, unless -Z0, a compression level (-Fd compresses, -Ft never).
    toc_bytes = bytearray(vector_bytes)
    toc_bytes[10] = 3
    open(os.path.join(toc_dir, "toc.dat"), "wb").write(toc_bytes)
    r = run([os.path.join(toc_dir, "toc.dat"), "-o", path("d.dump")])
    check("a toc.dat holding a custom archive's TOC: one error line naming the member",
          r.returncode == 1 and one_error_line(r) and b'member "toc.dat": ' in r.stderr
          and not os.path.exists(path("d.dump")), r.stderr)
    r = run([with_extensions, "--dry", "--quie"])
    check("unique abbreviations of long options work (--dry for --dry-run)", r.returncode == 0 and r.stderr == b"", r.stderr)
    check("--help and the man page say that long options may be abbreviated",
          "abbreviat" in help_text and "abbreviat" in man, help_text[-300:])

    read_end, write_end = os.pipe()
    os.close(read_end)  # every write to the pipe now fails with EPIPE
    r = run([vector, "-o", "-"], stdout=write_end)
    os.close(write_end)
    check("a closed pipe on stdout: exit 1 with one error line, no crash",
          r.returncode == 1 and one_error_line(r), r.stderr)

report()
