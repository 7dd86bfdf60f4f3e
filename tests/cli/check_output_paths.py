#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""What -o does with whatever already sits at the output path (TAP): a
regular file is replaced atomically; a symbolic link is followed, its target
replaced and the link kept; a character device, a FIFO or a socket is written
into (or refused) and never replaced by a regular file; a directory and a
dangling link are refused. Devices are made with mknod in a temporary folder,
never the system's own.
Usage: check_output_paths.py PGARC_RETARGET ARCHIVE"""

import os
import socket
import stat
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from tap import check, report, skip_test  # noqa: E402  (tests/support/tap.py)

tool, archive = sys.argv[1], sys.argv[2]


def run(args):
    return subprocess.run([tool] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)


def one_error(result, fragment):
    lines = result.stderr.decode(errors="replace").splitlines()
    return (result.returncode == 1 and len(lines) == 1
            and lines[0].startswith("pgarc-retarget: error: ") and fragment in lines[0])


os.umask(0o022)
# What the tool writes to a pipe: the reference for outputs it cannot seek in.
streamed = run([archive, "-q", "-o", "-"])
assert streamed.returncode == 0, streamed.stderr
written_to_file = None

with tempfile.TemporaryDirectory() as scratch:
    def path(name):
        return os.path.join(scratch, name)

    # A regular file that exists: replaced by a complete new file, its mode kept.
    existing = path("existing.dump")
    with open(existing, "wb") as f:
        f.write(b"old contents")
    os.chmod(existing, 0o600)
    old_inode = os.stat(existing).st_ino
    r = run([archive, "-q", "-o", existing])
    info = os.stat(existing)
    with open(existing, "rb") as f:
        written_to_file = f.read()
    check("-o over a regular file: exit 0, a new file (new inode) with the archive",
          r.returncode == 0 and info.st_ino != old_inode and written_to_file.startswith(b"PGDMP"),
          r.stderr)
    check("-o over a regular file keeps its mode", stat.S_IMODE(info.st_mode) == 0o600,
          oct(info.st_mode))

    # A symbolic link: the file it points to is replaced, the link stays.
    target = path("target.dump")
    with open(target, "wb") as f:
        f.write(b"old target")
    link = path("link.dump")
    os.symlink("target.dump", link)
    r = run([archive, "-q", "-o", link])
    with open(target, "rb") as f:
        replaced = f.read()
    check("-o through a symbolic link: exit 0, the link is still a link to the same name",
          r.returncode == 0 and os.path.islink(link) and os.readlink(link) == "target.dump", r.stderr)
    check("-o through a symbolic link replaces its target with the new archive",
          replaced == written_to_file)
    check("-o through a symbolic link leaves no temporary file",
          sorted(os.listdir(scratch)) == ["existing.dump", "link.dump", "target.dump"],
          os.listdir(scratch))

    dangling = path("dangling.dump")
    os.symlink("nowhere/missing.dump", dangling)
    r = run([archive, "-q", "-o", dangling])
    check("-o to a dangling symbolic link is refused in one line, nothing created",
          one_error(r, "symbolic link to nothing") and os.path.islink(dangling)
          and not os.path.exists(path("nowhere")), r.stderr)

    # A directory is refused.
    os.mkdir(path("a-directory"))
    r = run([archive, "-q", "-o", path("a-directory")])
    check("-o to a directory is refused in one line, the directory untouched",
          one_error(r, "is a directory") and os.listdir(path("a-directory")) == [], r.stderr)

    # A FIFO with a reader gets the archive, as a pipe would; it stays a FIFO.
    fifo = path("fifo")
    os.mkfifo(fifo)
    received = bytearray()

    def drain():
        with open(fifo, "rb") as reader:
            while chunk := reader.read(1 << 16):
                received.extend(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    r = run([archive, "-q", "-o", fifo])
    reader.join(timeout=60)
    check("-o to a FIFO with a reader: exit 0, the reader gets what -o - writes",
          r.returncode == 0 and bytes(received) == streamed.stdout, r.stderr)
    check("-o to a FIFO leaves it a FIFO", stat.S_ISFIFO(os.lstat(fifo).st_mode))

    # A socket cannot be opened for writing: one error line, the socket stays.
    sock_path = path("sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(sock_path)
    r = run([archive, "-q", "-o", sock_path])
    check("-o to a socket is refused in one line, the socket stays a socket",
          one_error(r, "sock") and stat.S_ISSOCK(os.lstat(sock_path).st_mode), r.stderr)
    listener.close()

    # Character devices made here (the kernel's null and full devices, 1:3
    # and 1:7): written into, never replaced.
    null_device, full_device = path("null"), path("full")
    try:
        os.mknod(null_device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        os.mknod(full_device, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
        with open(null_device, "wb") as probe:
            probe.write(b"x")
        usable = None
    except PermissionError as problem:
        usable = f"mknod or opening a device needs root here ({problem.strerror})"
    except OSError as problem:
        usable = f"devices cannot be made or opened in {scratch} ({problem.strerror})"
    names = ["-o to a null device made with mknod: exit 0, it stays the same character device",
             "-o to a full device made with mknod: one error line, exit 1, the device stays"]
    if usable:
        for name in names:
            skip_test(name, usable)
    else:
        before = os.lstat(null_device)
        r = run([archive, "-q", "-o", null_device])
        after = os.lstat(null_device)
        check(names[0], r.returncode == 0 and stat.S_ISCHR(after.st_mode)
              and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino, r.stderr)
        r = run([archive, "-q", "-o", full_device])
        check(names[1], one_error(r, "No space left on device")
              and stat.S_ISCHR(os.lstat(full_device).st_mode), r.stderr)
        r = run([archive, "-q", "--verify", "-o", null_device])
        check("--verify with -o to a device is a usage error: it cannot be read back",
              r.returncode == 2 and b"regular file" in r.stderr, r.stderr)
    check("no file other than those made by the test is left in the folder",
          sorted(os.listdir(scratch)) == sorted(
              ["existing.dump", "link.dump", "target.dump", "dangling.dump", "a-directory", "fifo",
               "sock"] + ([] if usable else ["null", "full"])), os.listdir(scratch))

report()
