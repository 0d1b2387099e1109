"""`--json` output: exactly what json.dumps(indent=2, sort_keys=True) writes, made in Rust when it can be.

With `indent`, the standard library encodes in pure Python: ~3 s for 10,000 incidents listed. pydantic_core
writes the same text for strings, integers, booleans and null once keys are sorted and non-ASCII is escaped
as json.dumps escapes it; a value holding a float (written differently) takes the standard library's path.
"""

from __future__ import annotations

import json
import re
from typing import Any

# What ensure_ascii escapes beyond what pydantic_core does: DEL and everything past ASCII.
_NON_ASCII = re.compile(r"[^\x00-\x7e]")


def dumps(value: Any) -> str:
    """json.dumps(value, indent=2, sort_keys=True), faster for large documents."""
    import pydantic_core

    try:
        text = pydantic_core.to_json(_sorted(value), indent=2).decode()
    except (_NotPlain, pydantic_core.PydanticSerializationError, UnicodeError):  # a float, a lone surrogate
        return json.dumps(value, indent=2, sort_keys=True)
    return text if text.isascii() and "\x7f" not in text else _NON_ASCII.sub(_escape, text)


class _NotPlain(Exception):
    """A value both encoders may write differently (a float, a key that is not a string)."""


def _escape(match: re.Match[str]) -> str:
    """One non-ASCII character as json.dumps's ensure_ascii writes it (a surrogate pair beyond U+FFFF)."""
    code = ord(match[0])
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _sorted(value: Any) -> Any:
    """Every dict in `value` with its keys in sorted order (what sort_keys does); _NotPlain at a float."""
    if value is None or isinstance(value, str | int):
        return value
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise _NotPlain
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list | tuple):
        return [_sorted(item) for item in value]
    raise _NotPlain
