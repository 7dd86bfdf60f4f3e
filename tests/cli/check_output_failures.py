#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""Makes writing fail in every way we can arrange and checks that
pgarc-retarget reports it in one error line with exit status 1 (or dies of
the signal it was sent), leaves no output and no temporary file behind, and
never changes its input: a full disk (/dev/full, a small tmpfs when mounting
one is allowed), a file size limit, permission denied, a closed pipe,
SIGINT/SIGTERM/SIGHUP in the middle of a write; and --in-place, which must
replace the input only with a complete file (TAP).
Usage: check_output_failures.py PGARC_RETARGET VECTORS_DIR"""

import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

from pg_dump_encoding import archive, block, table, table_data

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from tap import check, report, skip_test  # noqa: E402  (tests/support/tap.py)

tool, vectors = sys.argv[1], sys.argv[2]


def skip(name, reason):
    skip_test(name, reason)


# No run may hang the suite: one that outlives its bound is killed, and the
# check it belongs to fails with the word "hung" instead.
BOUND = 120


def run(args, **kwargs):
    kwargs.setdefault("stdout", subprocess.PIPE)
    try:
        return subprocess.run(args, stderr=subprocess.PIPE, timeout=BOUND, **kwargs)
    except subprocess.TimeoutExpired as expired:
        return subprocess.CompletedProcess(args, None, expired.stdout, b"hung: killed after %d s" % BOUND)


def deliverable():
    """For a child: SIGINT, SIGTERM and SIGHUP back to their defaults, so that
    the tool installs its handlers whatever started the suite (nohup ignores
    SIGHUP, a background job SIGINT, and the tool rightly stays deaf to
    signals it inherits as ignored)."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)


def wait(process):
    """The exit status of `process`, or "hung" (and the process killed)."""
    try:
        return process.wait(timeout=BOUND)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return "hung"


def one_error(result, fragment):
    lines = result.stderr.decode(errors="replace").splitlines()
    return (result.returncode == 1 and len(lines) == 1
            and lines[0].startswith("pgarc-retarget: error: ") and fragment in lines[0])


# Permission checks do not apply to root: drop the capabilities that bypass
# them for the child (setpriv, util-linux), or skip when that is impossible.
if os.geteuid() == 0:
    setpriv = shutil.which("setpriv")
    as_user = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"] if setpriv else None
    if as_user and subprocess.run(as_user + ["true"], stderr=subprocess.DEVNULL).returncode != 0:
        as_user = None  # a container that may not change capabilities
else:
    as_user = []

os.umask(0o022)
with open(os.path.join(vectors, "tiny.pg15.default.dump"), "rb") as f:
    vector = f.read()
with open(os.path.join(vectors, "tiny.pg15.piped.dump"), "rb") as f:
    piped = f.read()

with tempfile.TemporaryDirectory() as scratch:
    os.chmod(scratch, 0o755)

    def fresh_dir(name):
        path = os.path.join(scratch, name)
        os.mkdir(path)
        return path

    def write_file(path, data, mode=0o644):
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, mode)
        return path

    source = write_file(os.path.join(scratch, "input.dump"), vector)

    # --- a full disk --------------------------------------------------------
    with open("/dev/full", "wb") as full:
        r = run([tool, source, "-o", "-"], stdout=full)
    check("archive to a full standard output (/dev/full): exit 1, one error line",
          one_error(r, '"standard output": No space left on device'), r.stderr)
    with open("/dev/full", "wb") as full:
        r = run([tool, "--list", source], stdout=full)
    check("--list to a full standard output: exit 1, one error line",
          one_error(r, '"standard output": No space left on device'), r.stderr)

    # A tmpfs too small for the archive, mounted in a private mount namespace
    # so that nothing outlives the test; the listing is taken inside it.
    tiny_fs = fresh_dir("tiny-fs")
    script = ('mount -t tmpfs -o size=8k tmpfs "$1" 2>/dev/null || exit 77; '
              '"$2" "$3" -o "$1/out.dump" 2>"$4"; status=$?; ls -A "$1" >"$5"; exit $status')
    errors, listing = os.path.join(scratch, "errors"), os.path.join(scratch, "listing")
    unshare = shutil.which("unshare")
    r = run([unshare, "--mount", "sh", "-c", script, "sh", tiny_fs, tool, source, errors, listing]) \
        if unshare and os.geteuid() == 0 else None
    if r is None or r.returncode == 77 or not os.path.exists(listing):
        skip("disk full on a small tmpfs", "cannot mount a tmpfs here (needs root and unshare)")
    else:
        with open(errors, "rb") as f:
            r.stderr = f.read()
        with open(listing) as f:
            left = f.read().split()
        check("disk full on a small tmpfs: exit 1, one error line, no file left",
              one_error(r, "No space left on device") and not left, (r.stderr, left))

    # The file size limit (ulimit -f): SIGXFSZ must not kill the tool before
    # it removes its temporary file.
    out_dir = fresh_dir("limited")
    r = run([tool, source, "-o", os.path.join(out_dir, "out.dump")],
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096)))
    check("file size limit reached: exit 1, one error line, no file left",
          one_error(r, "File too large") and not os.listdir(out_dir), (r.returncode, r.stderr, os.listdir(out_dir)))

    # --- permission denied --------------------------------------------------
    if as_user is None:
        skip("output directory not writable", "running as root without setpriv")
        skip("input not readable", "running as root without setpriv")
    else:
        locked = fresh_dir("locked")
        os.chmod(locked, 0o555)
        r = run(as_user + [tool, source, "-o", os.path.join(locked, "out.dump")])
        check("output directory not writable: exit 1, one error line, nothing created",
              one_error(r, "Permission denied") and not os.listdir(locked), r.stderr)
        secret = write_file(os.path.join(scratch, "secret.dump"), vector, 0o000)
        out_dir = fresh_dir("unreadable-out")
        r = run(as_user + [tool, secret, "-o", os.path.join(out_dir, "out.dump")])
        check("input not readable: exit 1, one error line naming it",
              one_error(r, 'could not open "%s": Permission denied' % secret) and not os.listdir(out_dir),
              r.stderr)

    # --- a closed pipe ------------------------------------------------------
    read_end, write_end = os.pipe()
    os.close(read_end)
    r = run([tool, "--list", source], stdout=write_end)
    os.close(write_end)
    check("--list to a closed pipe: exit 1, one error line", one_error(r, "Broken pipe"), r.stderr)

    # --- signals in the middle of a write -----------------------------------
    def interrupted(args, number, out_dir, wait_for):
        """Starts the tool reading all but the end of an archive from a pipe,
        waits until `wait_for` (a temporary file) exists, sends `number`."""
        process = subprocess.Popen([tool] + args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, preexec_fn=deliverable)
        try:
            process.stdin.write(piped[:-100])
            process.stdin.flush()
        except BrokenPipeError:
            pass  # the tool is gone already; the checks below say so
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(n.startswith(wait_for) for n in os.listdir(out_dir)):
            time.sleep(0.01)
        seen = sorted(os.listdir(out_dir))
        process.send_signal(number)
        status = wait(process)
        try:
            process.stdin.close()
        except BrokenPipeError:
            pass
        process.stderr.close()
        return status, seen

    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        out_dir = fresh_dir("signal-%d" % number)
        status, seen = interrupted(["-", "-o", os.path.join(out_dir, "out.dump")], number, out_dir,
                                   ".out.dump.pgarc-")
        check("%s while writing: dies of it, the temporary file is removed"
              % signal.Signals(number).name,
              status == -number and len(seen) == 1 and not os.listdir(out_dir),
              (status, seen, os.listdir(out_dir)))

    # Batch mode writes several temporary files at once, on several threads:
    # two FIFOs as inputs, each fed all but its end, then SIGTERM.
    batch_in, batch_out = fresh_dir("batch-in"), fresh_dir("batch-out")
    fifos = [os.path.join(batch_in, name) for name in ("a.dump", "b.dump")]
    for fifo in fifos:
        os.mkfifo(fifo)
    process = subprocess.Popen([tool, "--quiet", "--jobs", "2", "--output-dir", batch_out] + fifos,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=deliverable)
    # Open without blocking, so that a tool that never opens its inputs
    # fails this test instead of hanging it.
    writers, deadline = [], time.monotonic() + 20
    for fifo in fifos:
        while time.monotonic() < deadline and process.poll() is None:
            try:
                writers.append(os.fdopen(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK), "wb"))
                break
            except OSError:  # ENXIO: no reader yet
                time.sleep(0.01)
    for writer in writers:
        try:
            os.set_blocking(writer.fileno(), True)
            writer.write(piped[:-100])
            writer.flush()
        except BrokenPipeError:
            pass
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(os.listdir(batch_out)) < 2:
        time.sleep(0.01)
    seen = sorted(os.listdir(batch_out))
    process.send_signal(signal.SIGTERM)
    status = wait(process)
    process.stderr.close()
    for writer in writers:
        try:
            writer.close()
        except BrokenPipeError:
            pass
    check("SIGTERM in batch mode with two files being written: both temporary files removed",
          status == -signal.SIGTERM and len(seen) == 2 and not os.listdir(batch_out),
          (status, seen, os.listdir(batch_out)))

    # --- --in-place ---------------------------------------------------------
    place = fresh_dir("in-place")
    original = write_file(os.path.join(place, "backup.dump"), piped, 0o640)
    os.symlink("backup.dump", os.path.join(place, "latest.dump"))
    expected = os.path.join(scratch, "expected.dump")
    run([tool, "--quiet", original, "-o", expected])
    r = run([tool, "--quiet", "--in-place", os.path.join(place, "latest.dump")])
    with open(original, "rb") as f, open(expected, "rb") as g:
        same = f.read() == g.read()
    check("--in-place through a symbolic link: exit 0, the file it points to replaced",
          r.returncode == 0 and r.stderr == b"" and same
          and os.path.islink(os.path.join(place, "latest.dump")), r.stderr)
    check("--in-place keeps the file's mode and leaves no temporary file",
          stat.S_IMODE(os.stat(original).st_mode) == 0o640
          and sorted(os.listdir(place)) == ["backup.dump", "latest.dump"],
          (oct(os.stat(original).st_mode), os.listdir(place)))

    batch = fresh_dir("in-place-batch")
    first = write_file(os.path.join(batch, "one.dump"), piped)
    second = write_file(os.path.join(batch, "two.dump"), piped)
    damaged = write_file(os.path.join(batch, "three.dump"), piped[:6000])
    r = run([tool, "--quiet", "--in-place", "--jobs", "2", first, damaged, second])
    with open(expected, "rb") as f:
        want = f.read()
    with open(first, "rb") as f, open(second, "rb") as g, open(damaged, "rb") as h:
        replaced = f.read() == want and g.read() == want and h.read() == piped[:6000]
    check("--in-place on several files: good ones replaced, the damaged one kept, exit 1",
          r.returncode == 1 and replaced
          and sorted(os.listdir(batch)) == ["one.dump", "three.dump", "two.dump"],
          (r.returncode, r.stderr, os.listdir(batch)))

    broken = write_file(os.path.join(place, "broken.dump"), vector[:5000])
    r = run([tool, "--in-place", broken])
    with open(broken, "rb") as f:
        kept = f.read() == vector[:5000]
    check("--in-place on a damaged archive: exit 1, one error line, the input untouched",
          one_error(r, '"%s": ' % broken) and kept
          and sorted(os.listdir(place)) == ["backup.dump", "broken.dump", "latest.dump"],
          (r.stderr, os.listdir(place)))

    # SIGTERM while --in-place writes: the input is a file, so it cannot be
    # held back like a pipe; give it enough data (one table, 1 MiB chunks)
    # that the copy is still running when the temporary file appears.
    slow = fresh_dir("in-place-signal")
    for megabytes in (64, 256):
        big = archive([table(), table_data()], [block(4001, [bytes(1 << 20)] * megabytes)])
        target = write_file(os.path.join(slow, "big.dump"), big)
        process = subprocess.Popen([tool, "--in-place", target], stderr=subprocess.DEVNULL, preexec_fn=deliverable)
        while process.poll() is None and not any(n.startswith(".big.dump.pgarc-") for n in os.listdir(slow)):
            time.sleep(0.001)
        process.send_signal(signal.SIGTERM)
        status = wait(process)
        if status != 0:
            break
    with open(target, "rb") as f:
        kept = f.read() == big
    if status == 0:
        skip("SIGTERM during --in-place", "the copy finished before the signal")
    else:
        check("SIGTERM during --in-place: dies of it, the input untouched, no temporary file",
              status == -signal.SIGTERM and kept and os.listdir(slow) == ["big.dump"],
              (status, kept, os.listdir(slow)))

    for label, args in (("--in-place with -o", ["--in-place", source, "-o", os.path.join(scratch, "x.dump")]),
                        ("--in-place with --list", ["--in-place", "--list", source]),
                        ("--in-place on standard input", ["--in-place", "-"])):
        r = run([tool] + args, stdin=subprocess.DEVNULL)
        check(label + " is a usage error (exit 2)",
              r.returncode == 2 and not os.path.exists(os.path.join(scratch, "x.dump")), r.stderr)

    if as_user is not None:
        locked = fresh_dir("locked-in-place")
        inside = write_file(os.path.join(locked, "backup.dump"), piped)
        os.chmod(locked, 0o555)
        r = run(as_user + [tool, "--in-place", inside])
        with open(inside, "rb") as f:
            kept = f.read() == piped
        check("--in-place in a directory we cannot write: exit 1, the input untouched",
              one_error(r, "could not create a temporary file beside") and kept
              and os.listdir(locked) == ["backup.dump"], r.stderr)

    with open(source, "rb") as f:
        check("the input of every run above is unchanged", f.read() == vector)

report()
