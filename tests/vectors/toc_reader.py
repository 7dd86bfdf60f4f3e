#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""An independent reader of a custom-format archive's TOC, written from
pg_dump's ReadHead, ReadToc and the custom format's _ReadExtraToc
(pg_backup_archiver.c, pg_backup_custom.c) and sharing no code with pgarc.
check_vectors.py compares pgarc-retarget --list --json with it, field by
field. Run alone, it prints one JSON object per TOC entry:
  toc_reader.py ARCHIVE"""

import json
import sys

SECTIONS = {1: "NONE", 2: "PRE_DATA", 3: "DATA", 4: "POST_DATA"}
OFFSET_STATES = {1: "POS_NOT_SET", 2: "POS_SET", 3: "NO_DATA"}


class Reader:
    def __init__(self, data):
        self.data = data
        self.pos = 0
        self.int_size = 4
        self.off_size = 8

    def byte(self):
        if self.pos >= len(self.data):
            raise ValueError(f"archive ends at byte {self.pos}")
        value = self.data[self.pos]
        self.pos += 1
        return value

    def bytes(self, count):
        if count > len(self.data) - self.pos:
            raise ValueError(f"archive ends at byte {len(self.data)}, {count} bytes wanted at {self.pos}")
        value = self.data[self.pos:self.pos + count]
        self.pos += count
        return value

    def int(self):
        """ReadInt: a sign byte, then int_size bytes, least significant first."""
        negative = self.byte()
        value = int.from_bytes(self.bytes(self.int_size), "little")
        return -value if negative else value

    def str(self):
        """ReadStr: an int length (negative for NULL), then the bytes."""
        length = self.int()
        if length < 0:
            return None
        return self.bytes(length).decode("utf-8", errors="surrogateescape")

    def offset(self):
        """ReadOffset: a state byte, then off_size bytes, least significant first."""
        state = self.byte()
        return state, int.from_bytes(self.bytes(self.off_size), "little")


def read_toc(data):
    reader = Reader(data)
    if reader.bytes(5) != b"PGDMP":
        raise ValueError("no PGDMP signature")
    major, minor, _revision = reader.byte(), reader.byte(), reader.byte()
    if major != 1 or not 10 <= minor <= 16:
        raise ValueError(f"archive version {major}.{minor} not read here")
    reader.int_size = reader.byte()
    reader.off_size = reader.byte()
    if reader.byte() != 1:
        raise ValueError("not a custom-format archive")
    if minor >= 15:
        reader.byte()  # compression algorithm
    else:
        reader.int()  # compression level
    for _field in range(7):  # creation time: tm_sec .. tm_isdst
        reader.int()
    reader.str()  # database name
    reader.str()  # server version
    reader.str()  # pg_dump version

    entries = []
    for _index in range(reader.int()):
        entry = {"id": reader.int(), "had_dumper": reader.int(), "tableoid": reader.str(), "oid": reader.str(),
                 "tag": reader.str(), "desc": reader.str()}
        entry["section"] = SECTIONS.get(reader.int(), "?")
        entry["defn"] = reader.str()
        entry["drop"] = reader.str()
        entry["copy_stmt"] = reader.str()
        entry["namespace"] = reader.str()
        entry["tablespace"] = reader.str()
        if minor >= 14:
            entry["tableam"] = reader.str()
        if minor >= 16:
            entry["relkind"] = reader.int()
        entry["owner"] = reader.str()
        entry["with_oids"] = reader.str()
        deps = []
        while (dep := reader.str()) is not None:
            deps.append(int(dep))
        entry["deps"] = deps
        state, position = reader.offset()
        entry["data_state"] = OFFSET_STATES.get(state, "?")
        entry["data_pos"] = position
        entries.append(entry)
    return entries


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as f:
        for entry in read_toc(f.read()):
            print(json.dumps(entry))
