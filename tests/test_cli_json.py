"""`--json` output made in Rust is byte for byte what json.dumps(indent=2, sort_keys=True) writes."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from warroom.tui.cli_json import dumps

SCALARS = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text() | st.floats(allow_nan=False)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4)
)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_same_text_as_json_dumps(value: Any) -> None:
    """Any JSON value, hostile strings (controls, DEL, astral, surrogates) and floats included."""
    assert dumps(value) == json.dumps(value, indent=2, sort_keys=True)


def test_same_text_for_edge_strings() -> None:
    """Characters where escaping rules differ between encoders."""
    value = {"b": ["\x7f", "\x00\x1f\u2028\u2029", "é😀", "\ud800", '\\"/'], "a": {"z": 1, "y": [True, None]}}
    assert dumps(value) == json.dumps(value, indent=2, sort_keys=True)
    assert dumps(["del \x7f only"]) == json.dumps(["del \x7f only"], indent=2, sort_keys=True)


def test_same_text_with_floats_among_hostile_strings() -> None:
    """Floats (NaN and infinities too) go the fast way as placeholders; a NUL beside them still reads as typed."""
    value = {"m": [0.5, float("nan"), float("inf"), -0.0, 1e16], "s": "\x000", "t": ["\x00", "\\u0000"], "n": 2.5}
    assert dumps(value) == json.dumps(value, indent=2, sort_keys=True)
    floats = {"median_seconds": 1800.5, "p90": 1e-07, "title": "p90 \u00e9 \\u0000 1"}
    assert dumps(floats) == json.dumps(floats, indent=2, sort_keys=True)
