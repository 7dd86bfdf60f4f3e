#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""Reflinks (TAP output): pgarc-retarget writing a directory archive without
--link on a filesystem that can share extents (XFS with reflink=1) clones the
data files that do not change (FICLONE) instead of copying their bytes.

The filesystem is a 300 MiB sparse image in a temporary directory, made with
mkfs.xfs -m reflink=1 and loop-mounted on a temporary mount point; it is
unmounted (which detaches the loop device) whatever happens. No real device
or system file is touched. The proof is read from the kernel by FIEMAP
(FS_IOC_FIEMAP), independently of the tool: every extent of each new data
file carries FIEMAP_EXTENT_SHARED and lies at the same physical address as
the input's, and the filesystem's free space falls by far less than the data
carried over. A control copy made here by read and write shows neither, so
the checks can fail. When the image cannot be mounted (not root, no loop
device, a container without the capability) the whole script reports SKIP.
Usage: check_reflink.py PGARC_RETARGET VECTORS_DIR"""

import fcntl
import os
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from tap import check, report  # noqa: E402  (tests/support/tap.py)

tool, vectors = sys.argv[1], sys.argv[2]
source = os.path.join(vectors, "herokuext.pg17.z0.dump")

FS_IOC_FIEMAP = 0xC020660B  # _IOWR('f', 11, struct fiemap)
FIEMAP_FLAG_SYNC = 0x1
FIEMAP_EXTENT_LAST = 0x1
FIEMAP_EXTENT_SHARED = 0x2000
HEADER = struct.Struct("=QQIIII")  # struct fiemap, before its extents
EXTENT = struct.Struct("=QQQQQIIII")  # struct fiemap_extent
MAX_EXTENTS = 512


def extents(path):
    """[(logical, physical, length, flags)] of the file, as FIEMAP gives them."""
    buffer = bytearray(HEADER.size + MAX_EXTENTS * EXTENT.size)
    HEADER.pack_into(buffer, 0, 0, 0xFFFFFFFFFFFFFFFF, FIEMAP_FLAG_SYNC, 0, MAX_EXTENTS, 0)
    with open(path, "rb") as f:
        fcntl.ioctl(f.fileno(), FS_IOC_FIEMAP, buffer)
    mapped = HEADER.unpack_from(buffer, 0)[3]
    result = []
    for index in range(mapped):
        logical, physical, length, _, _, flags, _, _, _ = EXTENT.unpack_from(buffer, HEADER.size + index * EXTENT.size)
        result.append((logical, physical, length, flags))
    return result


def free_bytes(path):
    os.sync()
    info = os.statvfs(path)
    return info.f_bfree * info.f_frsize


def skip_all(reason):
    print(f"1..0 # SKIP {reason}")
    sys.exit(0)


def run(args):
    return subprocess.run(args, capture_output=True)


scratch = tempfile.mkdtemp(prefix="pgarc-reflink-")
image = os.path.join(scratch, "xfs.img")
mount_point = os.path.join(scratch, "mnt")
mounted = False
try:
    os.mkdir(mount_point)
    with open(image, "wb") as f:
        f.truncate(300 << 20)  # sparse: no block is written until mkfs
    made = run(["mkfs.xfs", "-q", "-m", "reflink=1", image])
    check("mkfs.xfs -m reflink=1 makes the image (xfsprogs: tools/install-deps)", made.returncode == 0,
          made.stderr.decode(errors="replace"))
    if made.returncode != 0:
        report()
        sys.exit(1)
    attempt = run(["mount", "-t", "xfs", "-o", "loop", image, mount_point])
    if attempt.returncode != 0:
        os.rmdir(mount_point)
        skip_all("cannot loop-mount an XFS image here: " + attempt.stderr.decode(errors="replace").strip())
    mounted = True

    # A directory archive with two large data files: a vector's rows repeated.
    original = os.path.join(mount_point, "in.d")
    r = run([tool, "-q", "--from", "pgarc_no_such_schema", source, "-F", "d", "-o", original])
    check("the vector as a directory archive on the XFS image", r.returncode == 0, r.stderr)
    terminator = b"\\.\n\n\n"
    big = []
    for name in sorted(n for n in os.listdir(original) if n.endswith(".dat"))[:2]:
        path = os.path.join(original, name)
        rows = open(path, "rb").read()
        rows = rows[: -len(terminator)] if rows.endswith(terminator) else rows
        with open(path, "wb") as f:
            for _ in range((8 << 20) // max(len(rows), 1)):
                f.write(rows)
            f.write(terminator)
        big.append(name)
    data_bytes = sum(os.path.getsize(os.path.join(original, n)) for n in big)
    check("two data files of some MiB", len(big) == 2 and data_bytes > (15 << 20), data_bytes)

    # The control: a copy through user space shares nothing.
    control = os.path.join(mount_point, "control.dat")
    with open(os.path.join(original, big[0]), "rb") as f, open(control, "wb") as out:
        while chunk := f.read(1 << 20):
            out.write(chunk)
    control_extents = extents(control)
    input_extents = extents(os.path.join(original, big[0]))
    check("control: a copy by read and write has no shared extent",
          control_extents and not any(e[3] & FIEMAP_EXTENT_SHARED for e in control_extents), control_extents)
    check("control: ... and its extents lie elsewhere",
          {e[1] for e in control_extents}.isdisjoint({e[1] for e in input_extents}))
    os.unlink(control)

    before = free_bytes(mount_point)
    out = os.path.join(mount_point, "out.d")
    r = run([tool, "-q", "--from", "pgarc_no_such_schema", original, "-o", out])
    check("pgarc-retarget DIR -o OUT (no --link) on the same filesystem", r.returncode == 0, r.stderr)
    used = before - free_bytes(mount_point)
    for name in big:
        theirs, ours = os.path.join(original, name), os.path.join(out, name)
        check(f"{name}: the new file is byte-identical", open(theirs, "rb").read() == open(ours, "rb").read())
        check(f"{name}: the new file is another inode (not a hard link)",
              os.stat(theirs).st_ino != os.stat(ours).st_ino)
        mine, source_extents = extents(ours), extents(theirs)
        check(f"{name}: every extent of the new file is FIEMAP_EXTENT_SHARED",
              mine and all(e[3] & FIEMAP_EXTENT_SHARED for e in mine), mine)
        check(f"{name}: ... at the input's physical addresses",
              [(e[0], e[1], e[2]) for e in mine] == [(e[0], e[1], e[2]) for e in source_extents],
              f"new {mine[:4]}, input {source_extents[:4]}")
    check(f"free space fell by {used} bytes, under a tenth of the {data_bytes} bytes carried over",
          used < data_bytes // 10, used)
finally:
    if mounted:
        done = run(["umount", mount_point])
        if done.returncode != 0:
            # Busy for a moment (a process still closing): detach it lazily.
            run(["umount", "-l", mount_point])
        # mount -o loop sets autoclear, so the loop device goes with the mount;
        # detach it by hand if it is still there.
        listed = run(["losetup", "-j", image]).stdout.decode()
        for line in listed.splitlines():
            run(["losetup", "-d", line.split(":", 1)[0]])
    subprocess.run(["rm", "-rf", "--one-file-system", scratch])

report()
