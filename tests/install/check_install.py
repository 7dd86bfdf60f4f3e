#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""The library as an embedder gets it (TAP): `meson install` into a temporary
folder, then examples/retarget.cpp built against the installed pgarc.pc,
shared and static, retargets an archive to the same bytes as pgarc-retarget;
every installed header compiles on its own; nothing private is installed.
Usage: check_install.py BUILD_DIR SOURCE_DIR PGARC_RETARGET ARCHIVE"""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from tap import check, report  # noqa: E402  (tests/support/tap.py)

build, source, tool, archive = sys.argv[1:5]
compiler = os.environ.get("CXX", "c++")


def build_option(name):
    """The value of one of the build's meson options."""
    r = subprocess.run(["meson", "introspect", "--buildoptions", build], stdout=subprocess.PIPE, text=True, check=True)
    return next((o["value"] for o in json.loads(r.stdout) if o["name"] == name), None)


# A library built with sanitizers needs their runtime in the program that
# links it, as it would in an embedder's sanitizer build.
sanitize = build_option("b_sanitize")
sanitizer_flags = [] if sanitize in (None, "none") else ["-fsanitize=" + sanitize]


def run(args, **kwargs):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


with tempfile.TemporaryDirectory() as scratch:
    destdir = os.path.join(scratch, "root")
    r = run(["meson", "install", "-C", build, "--destdir", destdir, "--no-rebuild", "--quiet"])
    check("meson install into a temporary folder", r.returncode == 0, r.stderr)
    pc_files = glob.glob(os.path.join(destdir, "**", "pgarc.pc"), recursive=True)
    check("pgarc.pc is installed", len(pc_files) == 1, pc_files)
    libs = {os.path.basename(p) for p in glob.glob(os.path.join(destdir, "**", "libpgarc*"), recursive=True)}
    check("a shared and a static library are installed",
          "libpgarc.a" in libs and "libpgarc.so" in libs, sorted(libs))
    headers = sorted(glob.glob(os.path.join(destdir, "**", "include", "pgarc", "*"), recursive=True))
    public = sorted(os.path.basename(p) for p in glob.glob(os.path.join(source, "include", "pgarc", "*.hpp")))
    check("exactly the public headers (and the generated version and features) are installed",
          sorted(os.path.basename(h) for h in headers) == sorted(public + ["features.hpp", "version.hpp"]),
          [os.path.basename(h) for h in headers])
    if not pc_files:
        report()
        sys.exit(0)

    env = dict(os.environ, PKG_CONFIG_PATH=os.path.dirname(pc_files[0]))
    # The prefix the files were installed under, as a relocated install
    # would set it (pkgconf's --define-prefix does not know multiarch libdirs).
    with open(pc_files[0]) as f:
        prefix = next(line.split("=", 1)[1].strip() for line in f if line.startswith("prefix="))
    pkg_config = ["pkg-config", "--define-variable=prefix=" + destdir + prefix]
    cflags = run(pkg_config + ["--cflags", "pgarc"], env=env).stdout.split()
    shared_libs = run(pkg_config + ["--libs", "pgarc"], env=env).stdout.split()
    # Static: libpgarc.a, with what it needs (Requires.private, and
    # Libs.private: -pthread) linked as shared libraries, since Debian ships
    # no static libpq dependencies.
    private = run(pkg_config + ["--print-requires-private", "pgarc"], env=env).stdout.split()
    static_libs = [flag for flag in run(pkg_config + ["--static", "--libs-only-other", "pgarc"], env=env).stdout.split()]
    static_libs += run(["pkg-config", "--libs"] + private).stdout.split()
    check("pkg-config gives flags for the installed prefix",
          any(destdir in flag for flag in cflags) and "-lpgarc" in shared_libs, (cflags, shared_libs))

    for header in headers:
        unit = os.path.join(scratch, "one_header.cpp")
        with open(unit, "w") as f:
            f.write(f"#include <pgarc/{os.path.basename(header)}>\nint main() {{ return 0; }}\n")
        r = run([compiler, "-std=c++20", "-fsyntax-only", "-Wall", "-Wextra", "-Werror"] + cflags + [unit])
        check(f"<pgarc/{os.path.basename(header)}> compiles on its own", r.returncode == 0, r.stderr)

    expected = os.path.join(scratch, "expected.dump")
    r = run([tool, "-q", archive, "-o", expected])
    assert r.returncode == 0, r.stderr
    with open(expected, "rb") as f:
        expected_bytes = f.read()
    libdir = [flag[2:] for flag in shared_libs if flag.startswith("-L")]
    example = os.path.join(source, "examples", "retarget.cpp")
    for kind, link in [("shared", shared_libs),
                       ("static", [flag for flag in shared_libs if flag.startswith("-L")]
                        + ["-Wl,-Bstatic", "-lpgarc", "-Wl,-Bdynamic"] + static_libs)]:
        program = os.path.join(scratch, "retarget-" + kind)
        r = run([compiler, "-std=c++20", "-Wall", "-Wextra", "-Werror"] + sanitizer_flags
                + [example, "-o", program] + cflags + link)
        check(f"examples/retarget.cpp builds against the installed {kind} library", r.returncode == 0, r.stderr)
        if r.returncode != 0:
            continue
        output = os.path.join(scratch, kind + ".dump")
        # Only the shared build finds libpgarc.so, and only through this.
        run_env = dict(os.environ, LD_LIBRARY_PATH=":".join(libdir)) if kind == "shared" else os.environ
        r = run([program, archive, output], env=run_env)
        with open(output, "rb") if os.path.exists(output) else open(os.devnull, "rb") as f:
            written = f.read()
        check(f"the {kind} example retargets the archive to the bytes pgarc-retarget writes",
              r.returncode == 0 and r.stdout.startswith("moved 3 extensions") and written == expected_bytes,
              r.stdout + r.stderr)
        r = run([program, os.path.join(scratch, "missing.dump"), os.path.join(scratch, "x.dump")], env=run_env)
        check(f"the {kind} example reports a missing input as pgarc::error",
              r.returncode == 1 and "missing.dump" in r.stderr and not os.path.exists(os.path.join(scratch, "x.dump")),
              r.stderr)

report()
