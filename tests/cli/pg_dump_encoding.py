# SPDX-License-Identifier: PostgreSQL
"""pg_dump's custom-format encodings for the CLI tests: archives built field
by field, so that a test can make one field hostile. Archive 1.14, intSize 4,
offSize 8 unless told otherwise; mirrors tests/support/archive_builder."""

def pg_int(value, size=4):
    return bytes([1 if value < 0 else 0]) + abs(value).to_bytes(size, "little")


def pg_str(text):
    return pg_int(-1) if text is None else pg_int(len(text)) + text.encode()


def header(minor=14, int_size=4, off_size=8, fmt=1):
    out = b"PGDMP" + bytes([1, minor, 0, int_size, off_size, fmt])
    out += bytes([0]) if minor >= 15 else pg_int(0, int_size)  # no compression
    out += b"".join(pg_int(v, int_size) for v in (0, 0, 0, 21, 10, 126, 0))  # creation time
    return out + b"".join(pg_int(len(text), int_size) + text for text in (b"testdb", b"15.20", b"15.20"))


FIELDS = ["dump_id", "had_dumper", "table_oid", "oid", "tag", "desc", "section", "defn",
          "drop", "copy", "namespace", "tablespace", "table_am", "owner", "with_oids"]


def entry(dump_id, desc, name, data=False, deps=(), **raw):
    """One TOC entry; `raw` replaces a field's encoded bytes (see FIELDS)."""
    fields = {
        "dump_id": pg_int(dump_id), "had_dumper": pg_int(1 if data else 0),
        "table_oid": pg_str("0"), "oid": pg_str("0"), "tag": pg_str(name), "desc": pg_str(desc),
        "section": pg_int(3 if data else 2), "defn": pg_str(None), "drop": pg_str(None),
        "copy": pg_str("COPY public.%s FROM stdin;\n" % name if data else None),
        "namespace": pg_str("public"), "tablespace": pg_str(None), "table_am": pg_str(None),
        "owner": pg_str("postgres"), "with_oids": pg_str("false"),
    }
    fields.update(raw)
    return {"id": dump_id, "data": data, "deps": list(deps), "fields": fields,
            "offset": raw.get("offset")}


def block(dump_id, chunks, kind=1):
    """A data block: type, dump id, length-prefixed chunks, a zero length."""
    out = bytes([kind]) + pg_int(dump_id)
    for chunk in chunks:
        out += pg_int(len(chunk)) + chunk
    return out + pg_int(0)


def archive(entries, blocks=(), count=None, head=None, positions=True):
    """Header, TOC and blocks; data entries get their block's position (as
    pg_dump writes to a file) unless an entry brings its own offset bytes."""
    def encode(offsets):
        out = head if head is not None else header()
        out += pg_int(len(entries) if count is None else count)
        for item in entries:
            out += b"".join(item["fields"][name] for name in FIELDS)
            out += b"".join(pg_str(dep) for dep in item["deps"]) + pg_str(None)
            if item["offset"] is not None:
                out += item["offset"]
            elif item["data"]:
                position = offsets.get(item["id"])
                out += bytes([2 if positions and position is not None else 1])
                out += (position or 0).to_bytes(8, "little")
            else:
                out += bytes([3]) + bytes(8)
        return out
    toc = encode({})
    offsets, at = {}, len(toc)
    for data in blocks:
        offsets[int.from_bytes(data[2:6], "little")] = at
        at += len(data)
    return encode(offsets) + b"".join(blocks)


def table(dump_id=200):
    return entry(dump_id, "TABLE", "users", defn=pg_str("CREATE TABLE public.users (id integer);\n"))


def table_data(dump_id=4001, table_id=200, **raw):
    return entry(dump_id, "TABLE DATA", "users", data=True, deps=[str(table_id)], **raw)
