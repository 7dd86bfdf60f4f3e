#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""The optional parts of a build (-Dlz4, -Dzstd, -Dlibpq), as a user meets
them: --version names them, and what a build left out is refused with one
clear line while everything else works. Runs against every build; tools/test
runs it against one built without all three.
Usage: check_features.py PGARC_RETARGET VECTORS_DIR"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from tap import check, report  # noqa: E402  (tests/support/tap.py)

tool, vectors = sys.argv[1], sys.argv[2]


def run(args):
    return subprocess.run([tool] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def lines(result):
    return result.stderr.decode(errors="replace").splitlines()


version = run(["--version"])
match = re.search(rb"^features: (.*)$", version.stdout, re.M)
check("--version names the build's optional parts", version.returncode == 0 and match, version.stdout)
features = dict((word[1:], word[0] == "+") for word in (match.group(1).decode().split() if match else []))
check("--version says +/- for zlib, lz4, zstd and libpq", set(features) == {"zlib", "lz4", "zstd", "libpq"},
      features)

with tempfile.TemporaryDirectory() as scratch:
    for codec in ("lz4", "zstd"):
        archive = os.path.join(vectors, f"herokuext.pg16.{codec}.dump")
        with open(archive, "rb") as f:
            before = f.read()
        # Retargeting copies compressed data without decoding it: every build does it.
        out = os.path.join(scratch, f"{codec}.dump")
        moved = run(["--from", "heroku_ext", "--to", "public", archive, "-o", out])
        check(f"a {codec} archive is retargeted ({'+' if features.get(codec) else '-'}{codec})",
              moved.returncode == 0 and os.path.exists(out), lines(moved))
        listed = run(["--list", out])
        check(f"the retargeted {codec} archive is listed", listed.returncode == 0 and b"EXTENSION" in listed.stdout,
              lines(listed))
        verified = run(["--verify", archive])
        if features.get(codec):
            check(f"--verify reads a {codec} archive", verified.returncode == 0, lines(verified))
        else:
            # One problem (the data cannot be decoded), not a failure per block.
            problems = [line for line in lines(verified) if line.startswith("pgarc-retarget: problem: ")]
            check(f"--verify of a {codec} archive without {codec}: one problem naming the file and the codec",
                  verified.returncode == 1 and len(problems) == 1 and archive in problems[0]
                  and f"without {codec} support" in problems[0], lines(verified))
        with open(archive, "rb") as f:
            check(f"the {codec} archive is left as it was", f.read() == before)

    # Without libpq the options that need a database are usage errors
    # (exit 2) that name libpq, before anything is read or connected.
    env_free = os.path.join(scratch, "nowhere")
    for option in ("--target", "--catalog-from"):
        args = [option, f"host={env_free} port=1 connect_timeout=1", os.path.join(vectors, "herokuext.pg16.default.dump")]
        if option == "--catalog-from":
            args += ["--dry-run"]
        result = run(args)
        if features.get("libpq"):
            check(f"{option} tries the database (+libpq)",
                  result.returncode == 1 and any("could not connect" in line for line in lines(result)), lines(result))
        else:
            check(f"{option} without libpq: a usage error that names libpq",
                  result.returncode == 2 and any("libpq" in line for line in lines(result)), lines(result))
    check("nothing is left in the scratch folder but the outputs",
          sorted(os.listdir(scratch)) == ["lz4.dump", "zstd.dump"], os.listdir(scratch))

report()
