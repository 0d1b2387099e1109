"""`--json` output: exactly what json.dumps(indent=2, sort_keys=True) writes, made in Rust when it can be.

With `indent`, the standard library encodes in pure Python: ~3 s for 10,000 incidents listed. pydantic_core
writes the same text for strings, integers, booleans and null once keys are sorted and non-ASCII is escaped
as json.dumps escapes it. Floats it writes differently: each goes in as a placeholder string and comes out
as json.dumps writes it, so a document with a median in it (`warroom stats`) takes the fast path too.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

# What ensure_ascii escapes beyond what pydantic_core does: DEL and everything past ASCII.
_NON_ASCII = re.compile(r"[^\x00-\x7e]")
# A float's placeholder as pydantic_core writes it: a NUL (which no other string then holds) and its index.
_FLOAT = re.compile(r'"\\u0000(\d+)"')


def dumps(value: Any) -> str:
    """json.dumps(value, indent=2, sort_keys=True), faster for large documents."""
    import pydantic_core

    floats: list[float] = []
    try:
        text = pydantic_core.to_json(_sorted(value, floats), indent=2).decode()
    except (_NotPlain, pydantic_core.PydanticSerializationError, UnicodeError):  # a NUL, a lone surrogate
        return json.dumps(value, indent=2, sort_keys=True)
    if floats:
        text = _FLOAT.sub(lambda m: json.dumps(floats[int(m[1])]), text)
    return text if text.isascii() and "\x7f" not in text else _NON_ASCII.sub(_escape, text)


def dumps_sorted(value: Any) -> str:
    """`dumps` of a document whose dicts already have their keys in sorted order and which holds no float
    (`warroom list --json`): the same text, without the pass that sorts the keys."""
    return dumps_sorted_bytes(value).decode("ascii")


def dumps_sorted_bytes(value: Any) -> bytes:
    """`dumps_sorted` as the ASCII bytes it is, for writing megabytes out without decoding and encoding them."""
    import pydantic_core

    try:
        data = pydantic_core.to_json(value, indent=2)
    except (pydantic_core.PydanticSerializationError, UnicodeError):  # a lone surrogate
        return json.dumps(value, indent=2, sort_keys=True).encode("ascii")
    if data.isascii() and b"\x7f" not in data:
        return data
    return _NON_ASCII.sub(_escape, data.decode()).encode("ascii")


def echo_bytes(data: bytes) -> None:
    """Write ASCII output and a newline to stdout: as the bytes they are when stdout has a byte buffer (as
    click.echo writes bytes), else as text (a stream that takes only text)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("ascii") + "\n")
        return
    sys.stdout.flush()
    buffer.write(data + b"\n")
    buffer.flush()


def dumps_presorted(value: dict[str, Any], key: str) -> str:
    """`dumps` of a dict whose `key` holds a list that `dumps_sorted` can write (`warroom stats --json`: 10,000
    incidents, the floats elsewhere): the rest written by `dumps`, the list put in its place, one level in."""
    listed = value[key]
    if not listed:
        return dumps(value)
    name = json.dumps(key)
    text = dumps({**value, key: []})
    # At the top level, and a string's newline is written as \n: only the key itself starts a line this way.
    return text.replace(f"\n  {name}: []", f"\n  {name}: " + dumps_sorted(listed).replace("\n", "\n  "), 1)


class _NotPlain(Exception):
    """A value both encoders may write differently (a key that is not a string, a NUL in a string)."""


def _escape(match: re.Match[str]) -> str:
    """One non-ASCII character as json.dumps's ensure_ascii writes it (a surrogate pair beyond U+FFFF)."""
    code = ord(match[0])
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


_STR = frozenset({str})


def _sorted(value: Any, floats: list[float]) -> Any:
    """Every dict in `value` with its keys in sorted order (what sort_keys does), each float a placeholder
    string (its index in `floats`, which it is added to); _NotPlain at a NUL in a string or a key not a string.

    Exact types are tested first: this runs for every value of 10,000 listed incidents.
    """
    kind = type(value)
    if kind is str:
        if "\x00" in value:
            raise _NotPlain
        return value
    if value is None or kind is int or kind is bool:
        return value
    if kind is dict:
        if not _STR.issuperset(map(type, value)) and not all(isinstance(key, str) for key in value):
            raise _NotPlain
        return {key: _sorted(value[key], floats) for key in sorted(value)}
    if kind is list or kind is tuple:
        return [_sorted(item, floats) for item in value]
    if kind is float:
        floats.append(value)
        return f"\x00{len(floats) - 1}"
    if isinstance(value, str):  # an enum's value
        if "\x00" in value:
            raise _NotPlain
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise _NotPlain
        return {key: _sorted(value[key], floats) for key in sorted(value)}
    if isinstance(value, list | tuple):
        return [_sorted(item, floats) for item in value]
    raise _NotPlain
