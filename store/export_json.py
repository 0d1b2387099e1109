"""The JSON post-mortem: every live record of one incident, in a stable shape that `warroom import` reads."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pydantic_core

from store.export_md import incident_metrics
from store.models import Factor
from store.store import Store
from store.timeparse import zone_name

FORMAT = "warroom-postmortem"
VERSION = 1
# Valid inside JSON strings but acted on by some terminals or editors; written as \u escapes instead.
_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029]")
# The C1 controls (U+0080..U+009F) in UTF-8.
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")


def render_json(store: Store, incident_id: str, tz: dt.tzinfo) -> str:
    """The post-mortem of one incident as pretty, key-sorted JSON; times are UTC, `tz` is recorded."""
    incident = store.incident(incident_id)
    # Events come as ready JSON documents, keys sorted: building 100k models to dump them costs seconds.
    events = store.event_documents(incident_id)
    live_ids = [event["id"] for event in events]
    factors = [
        {**f.model_dump(mode="json"), "event_ids": sorted(_linked_ids(f, live_ids))} for f in store.factors(incident_id)
    ]
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "display_zone": zone_name(tz),
        "incident": incident.model_dump(mode="json"),
        "metrics": {f"{name}_seconds": _seconds(delta) for name, delta in incident_metrics(incident).items()},
        "factors": factors,
        "action_items": [a.model_dump(mode="json") for a in sorted(store.actions(incident_id), key=lambda a: a.number)],
    }
    raw = _pretty(document, events)
    text = raw.decode()
    return _UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text) if _maybe_unsafe(raw) else text


def _linked_ids(factor: Factor, live_ids: list[int]) -> list[int]:
    """The factor's links to live events, in timeline order."""
    linked = set(factor.event_ids)
    return [event_id for event_id in live_ids if event_id in linked]


def _pretty(document: dict[str, Any], events: list[dict[str, Any]]) -> bytes:
    """What json.dumps(indent=2, sort_keys=True, ensure_ascii=False) writes, plus a newline, as UTF-8, made in Rust.

    pydantic_core writes the same bytes for strings, integers, booleans and null (tests compare the two);
    floats differ in form, so a document holding one takes the standard library's path.
    """
    rest = _sorted(document)
    if _has_float(rest):
        text = json.dumps({**document, "events": events}, indent=2, sort_keys=True, ensure_ascii=False)
        return text.encode() + b"\n"
    whole = {key: events if key == "events" else rest[key] for key in sorted([*rest, "events"])}
    return pydantic_core.to_json(whole, indent=2) + b"\n"


def _sorted(value: Any) -> Any:
    """Every dict in `value` with its keys in sorted order (what sort_keys does)."""
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


def _has_float(value: Any) -> bool:
    """Whether a float is anywhere in `value`."""
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_float(v) for v in value)
    return isinstance(value, float)


def _maybe_unsafe(raw: bytes) -> bool:
    """Whether the UTF-8 holds a character _UNSAFE replaces (byte searches: a regex over 40 MB of text takes 0.5 s)."""
    if b"\x7f" in raw or b"\xe2\x80\xa8" in raw or b"\xe2\x80\xa9" in raw:
        return True
    return b"\xc2" in raw and _C1_UTF8.search(raw) is not None


def _seconds(delta: dt.timedelta | None) -> int | None:
    """Whole seconds, or None when the moment is not known yet."""
    return None if delta is None else int(delta.total_seconds())
