#!/usr/bin/env python3
"""A decoder for Pantau's columnar telemetry payloads (marker 0x04), written from docs/columnar.md
alone, with Python's standard library only. It exists to show that the document is complete: the
tests run it on every test vector and on a simulated day of batches and compare its JSON with the
TypeScript decoder's.

Usage:
  decode_columnar.py SITE_ID HEX             print the batch a payload decodes to, or why it is rejected
  decode_columnar.py --jsonl [--coverage]    one request a line on stdin, {"id", "siteId", "payloadHex"};
                                             one answer a line on stdout, {"id", "ok", "batch" | "error"};
                                             with --coverage, a last line {"coverage": [...]} naming
                                             every coding seen in the accepted payloads

Options: --dictionary FILE and --fields FILE (default: docs/columnar/ beside this repository's tests).
"""

import json
import math
import re
import struct
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent.parent / "docs" / "columnar"

MAX_INFLATED = 2 * 1024 * 1024
MAX_SAMPLES = 1440
MAX_COLUMNS = 512
MAX_CELLS = 262_144
MAX_STRING = 1024
MAX_SEGMENTS = 8
MAX_INDEX = 511
MAX_SAFE = 2**53 - 1
MAX_BITS = 53
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
RESERVED = {"__proto__", "constructor", "prototype"}
DIVISORS = [1, 2, 3, 6]
KINDS = ["constant", "number", "boolean", "tagged"]


class Reject(Exception):
    """The payload is refused: every rule of the document that fails raises this."""


def js_round(x):
    """The integer nearest to x, halves towards +infinity (JavaScript's Math.round), as a float."""
    r = math.floor(x)
    return float(r + 1 if x - r >= 0.5 else r)


def unzigzag(u):
    return u // 2 if u % 2 == 0 else -(u + 1) // 2


def safe(k):
    if abs(k) > MAX_SAFE:
        raise Reject("integer out of range")
    return k


class Bytes:
    """The structure: bytes, varints, strings, tagged values."""

    def __init__(self, data):
        self.data = data
        self.at = 0

    def byte(self):
        if self.at >= len(self.data):
            raise Reject("structure ends early")
        b = self.data[self.at]
        self.at += 1
        return b

    def varint(self):
        value = 0
        for i in range(8):
            b = self.byte()
            value |= (b & 0x7F) << (7 * i)
            if b < 0x80:
                if value > MAX_SAFE:
                    raise Reject("varint of 2^53 or more")
                return value
        raise Reject("varint longer than 8 bytes")

    def string(self):
        length = self.varint()
        if length > MAX_STRING:
            raise Reject("string over 1024 bytes")
        if self.at + length > len(self.data):
            raise Reject("string ends early")
        raw = self.data[self.at : self.at + length]
        self.at += length
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Reject("string is not UTF-8") from None

    def tagged(self, seen):
        tag = self.byte()
        seen.add(f"tag {tag}")
        if tag == 0:
            return None
        if tag == 1:
            return False
        if tag == 2:
            return True
        if tag == 3:
            return self.varint()
        if tag == 4:
            return -self.varint()
        if tag == 5:
            if self.at + 8 > len(self.data):
                raise Reject("number ends early")
            (x,) = struct.unpack("<d", self.data[self.at : self.at + 8])
            self.at += 8
            if not math.isfinite(x):
                raise Reject("number is not finite")
            return x
        if tag == 6:
            return self.string()
        if tag == 7:
            return EmptyArray()
        if tag == 8:
            return EmptyObject()
        raise Reject(f"unknown tag {tag}")


class Bits:
    """The value bits, most significant bit first."""

    def __init__(self, data):
        self.data = data
        self.at = 0

    def bits(self, width):
        if width > MAX_BITS:
            raise Reject("bit field wider than 53")
        if self.at + width > 8 * len(self.data):
            raise Reject("value bits end early")
        value = 0
        for _ in range(width):
            byte = self.data[self.at >> 3]
            value = (value << 1) | ((byte >> (7 - (self.at & 7))) & 1)
            self.at += 1
        return value

    def long(self):
        return self.bits(self.bits(6))

    def check_end(self):
        read_bytes = (self.at + 7) // 8
        if len(self.data) != read_bytes:
            raise Reject("bytes after the last value")
        if self.at % 8 and self.data[-1] & (0xFF >> (self.at % 8)):
            raise Reject("padding is not zero")


class EmptyArray:
    """Marker for a constant or tagged empty array: each row gets its own."""


class EmptyObject:
    """Marker for a constant or tagged empty object."""


class Arr:
    """An array while the batch is built: elements by index, checked dense at the end."""

    def __init__(self):
        self.items = {}


def fresh(value):
    if isinstance(value, EmptyArray):
        return Arr()
    if isinstance(value, EmptyObject):
        return {}
    return value


def parse_path(text):
    try:
        path = json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(Reject(c)))
    except ValueError:
        raise Reject("path is not JSON") from None
    if not isinstance(path, list) or not path:
        raise Reject("path is not a non-empty array")
    if len(path) > MAX_SEGMENTS:
        raise Reject("path over 8 segments")
    parts = []
    for seg in path:
        if isinstance(seg, str) and NAME.fullmatch(seg) and seg not in RESERVED:
            parts.append(json.dumps(seg))
        elif isinstance(seg, int) and not isinstance(seg, bool) and 0 <= seg <= MAX_INDEX:
            parts.append(str(seg))
        else:
            raise Reject(f"bad path segment {seg!r}")
    if "[" + ",".join(parts) + "]" != text:
        raise Reject("path is not in its canonical form")
    return path


def read_packed(bits, m):
    if m == 0:
        return []
    low = unzigzag(bits.long())
    width = bits.bits(6)
    return [safe(low + bits.bits(width)) for _ in range(m)]


def read_numbers(bits, present_rows, scale, earlier, seen):
    m = len(present_rows)
    delta = bits.bits(1) == 1
    referent = None
    divisor, drop = 1, 0
    if bits.bits(1) == 1:
        distance = bits.bits(4) + 1
        if distance > len(earlier) or earlier[-distance][0] != present_rows:
            raise Reject("bad reference")
        referent = earlier[-distance][1]
        seen.add(f"reference distance {distance}")
    else:
        divisor = DIVISORS[bits.bits(2)]
        if divisor != 1:
            drop = bits.bits(2)
            if drop > scale:
                raise Reject("drop over scale")
            seen.add(f"drop {drop}")
        seen.add(f"divisor {divisor}")
    seen.add("delta" if delta else "plain")
    if delta and m > 0:
        first = unzigzag(bits.long())
        ints = [first]
        for d in read_packed(bits, m - 1):
            ints.append(safe(ints[-1] + d))
    else:
        ints = read_packed(bits, m)
    f = float(10**scale)
    values = []
    for j, k in enumerate(ints):
        if referent is not None:
            k = safe(k + int(js_round(float(referent[j]) * f)))
        if divisor == 1:
            values.append(float(k) / f)
        else:
            values.append(js_round(float(k) * float(10**drop) / float(divisor)) / f)
    return values


def read_column(s, bits, n, fields, earlier, cells, seen):
    field = s.varint()
    if field == 0:
        path = parse_path(s.string())
        seen.add("field spelled out")
    elif field <= len(fields):
        path = fields[field - 1]
        seen.add("field from the list")
    else:
        raise Reject(f"unknown field {field}")
    header = s.byte()
    if header & 0xF8:
        raise Reject("bad header")
    kind = KINDS[header & 3]
    partial = bool(header & 4)
    seen.add(f"kind {kind}{' partial' if partial else ''}")
    rows = [i for i in range(n) if bits.bits(1) == 1] if partial else list(range(n))
    cells[0] += len(rows)
    if cells[0] > MAX_CELLS:
        raise Reject("too many cells")
    if kind == "constant":
        value = s.tagged(seen)
        return path, rows, [fresh(value) for _ in rows]
    if kind == "tagged":
        return path, rows, [fresh(s.tagged(seen)) for _ in rows]
    params = s.byte()
    if kind == "boolean":
        if params > 1:
            raise Reject("bad boolean parameter")
        nulls = params == 1
    else:
        if params & 0xD0 or params & 0x0F > 9:
            raise Reject("bad number parameter")
        nulls = bool(params & 0x20)
        seen.add(f"scale {params & 0x0F}")
    if nulls:
        seen.add(f"nulls in {kind}")
    is_null = [bits.bits(1) == 1 for _ in rows] if nulls else [False] * len(rows)
    present = [r for r, null in zip(rows, is_null) if not null]
    if kind == "boolean":
        present_values = [bits.bits(1) == 1 for _ in present]
    else:
        present_values = read_numbers(bits, present, params & 0x0F, earlier, seen)
        earlier.append((present, present_values))
    it = iter(present_values)
    return path, rows, [None if null else next(it) for null in is_null]


class Builder:
    """Sets each column's values at its path in the samples (docs/columnar.md, Building the batch)."""

    def __init__(self, n):
        self.samples = [{} for _ in range(n)]

    @staticmethod
    def _fits(node, seg):
        if isinstance(seg, int):
            if not isinstance(node, Arr):
                raise Reject("index where a name goes, or inside a plain value")
            return node.items
        if not isinstance(node, dict):
            raise Reject("name where an index goes, or inside a plain value")
        return node

    def place(self, path, row, value):
        node = self.samples[row]
        for k, seg in enumerate(path[:-1]):
            members = self._fits(node, seg)
            if seg not in members:
                members[seg] = Arr() if isinstance(path[k + 1], int) else {}
            node = members[seg]
        members = self._fits(node, path[-1])
        if path[-1] in members:
            raise Reject("field given twice")
        members[path[-1]] = value

    def result(self):
        return [plain(s) for s in self.samples]


def plain(node):
    if isinstance(node, Arr):
        if sorted(node.items) != list(range(len(node.items))):
            raise Reject("array with a missing element")
        return [plain(node.items[i]) for i in range(len(node.items))]
    if isinstance(node, dict):
        return {key: plain(value) for key, value in node.items()}
    return node


def inflate(deflated, dictionary):
    d = zlib.decompressobj(wbits=-15, zdict=dictionary)
    try:
        out = d.decompress(deflated, MAX_INFLATED + 1)
    except zlib.error as error:
        raise Reject(f"structure is not DEFLATE: {error}") from None
    if len(out) > MAX_INFLATED:
        raise Reject("structure inflates past 2 MiB")
    if not d.eof:
        raise Reject("structure stream ends early")
    if d.unused_data:
        raise Reject("bytes after the structure stream")
    return out


def decode(payload, site_id, dictionary, fields, seen):
    if not payload or payload[0] != 0x04:
        raise Reject("not a columnar payload")
    head = Bytes(payload[1:])
    length = head.varint()
    rest = payload[1 + head.at :]
    if length > len(rest):
        raise Reject("structure length past the payload")
    s = Bytes(inflate(rest[:length], dictionary))
    bits = Bits(rest[length:])
    v = s.varint()
    agent_version = s.string()
    n = s.varint()
    if n > MAX_SAMPLES:
        raise Reject("too many samples")
    columns = s.varint()
    if columns > MAX_COLUMNS:
        raise Reject("too many columns")
    builder = Builder(n)
    earlier = []
    cells = [0]
    placed = [read_column(s, bits, n, fields, earlier, cells, seen) for _ in range(columns)]
    if s.at != len(s.data):
        raise Reject("bytes after the last column")
    for path, rows, values in placed:
        for row, value in zip(rows, values):
            builder.place(path, row, value)
    samples = builder.result()
    if not samples or "wallMs" not in samples[0] or not is_number(samples[0]["wallMs"]):
        raise Reject("no wallMs in the first sample")
    offset = unzigzag(bits.long())
    seen.add("sentAtMs before wallMs" if offset < 0 else "sentAtMs from wallMs")
    bits.check_end()
    sent_at = float(samples[0]["wallMs"]) + float(offset)
    return {"v": v, "siteId": site_id, "agentVersion": agent_version, "sentAtMs": sent_at, "samples": samples}


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def main(argv):
    args = list(argv)
    options = {"--dictionary": DOCS / "dictionary-v2.bin", "--fields": DOCS / "fields-v1.json"}
    for name in list(options):
        if name in args:
            i = args.index(name)
            options[name] = Path(args[i + 1])
            del args[i : i + 2]
    dictionary = options["--dictionary"].read_bytes()
    fields = json.loads(options["--fields"].read_text())
    if args[:1] == ["--jsonl"]:
        coverage = set()
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            seen = set()
            try:
                batch = decode(bytes.fromhex(request["payloadHex"]), request["siteId"], dictionary, fields, seen)
                answer = {"id": request["id"], "ok": True, "batch": batch}
                coverage |= seen
            except Reject as error:
                answer = {"id": request["id"], "ok": False, "error": str(error)}
            print(json.dumps(answer, allow_nan=False, ensure_ascii=False))
        if "--coverage" in args:
            print(json.dumps({"coverage": sorted(coverage)}))
        return 0
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        print(json.dumps(decode(bytes.fromhex(args[1]), args[0], dictionary, fields, set()), indent=2))
        return 0
    except Reject as error:
        print(f"rejected: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
