"""The JSON post-mortem: every live record of one incident, in a stable shape that `warroom import` reads."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

import pydantic_core

from warroom.store.export_md import incident_metrics
from warroom.store.export_rows import (
    PIECE_SIZE,
    Timeline,
    live_linked,
    pieces,
    stream_hypotheses,
    stream_timeline,
    without_gc,
)
from warroom.store.links import links_in
from warroom.store.records import HypothesisRow, json_values
from warroom.store.sections import ordered, read_sections
from warroom.store.store import Store
from warroom.store.timeparse import from_db, to_db, zone_name

if TYPE_CHECKING:
    from warroom.store.lint_timeline import TimelineLint

FORMAT = "warroom-postmortem"
VERSION = 1
#: An event's keys in the JSON: its record's fields, sorted.
EVENT_KEYS = (
    "author",
    "deleted_at",
    "id",
    "incident_id",
    "kind",
    "links",
    "logged_at",
    "milestone",
    "occurred_at",
    "source",
    "starred",
    "team",
    "text",
)
# Valid inside JSON strings but acted on by some terminals or editors; written as \u escapes instead.
_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Line separators and bidi embeddings, overrides and isolates in UTF-8 (U+2028-9, U+202A-E, U+2066-9).
_UNSAFE_PUNCTUATION_UTF8 = re.compile(rb"\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]")
# The C1 controls (U+0080..U+009F) in UTF-8.
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")


def render_json(store: Store, incident_id: str, tz: dt.tzinfo, timeline: Timeline | None = None) -> str:
    """The post-mortem of one incident as pretty, key-sorted JSON; times are UTC, `tz` is recorded.

    `timeline` saves reading the events again.
    """
    return "".join(json_chunks(store, incident_id, tz, timeline))


def json_chunks(
    store: Store,
    incident_id: str,
    tz: dt.tzinfo,
    timeline: Timeline | None = None,
    order: Sequence[str] = (),
    related: bool = False,
    lint: TimelineLint | None = None,
) -> Generator[str, None, None]:
    """The same JSON in pieces that join to it, the events read a batch at a time (memory stays flat).

    `lint`, when given, is fed each batch of the events as it is read (the gap check's, so it reads none).

    The config file's extra sections (`order`: their titles) are a "sections" list, when any is written;
    with `related`, the Related Incidents section is a "related" list (store/related_section.py).
    """
    return without_gc(_json_chunks(store, incident_id, tz, timeline, order, related, lint))


def _json_chunks(
    store: Store,
    incident_id: str,
    tz: dt.tzinfo,
    timeline: Timeline | None,
    order: Sequence[str],
    related: bool,
    lint: TimelineLint | None,
) -> Generator[str, None, None]:
    incident = store.incident(incident_id)
    factors = store.factors(incident_id)
    live = {event_id for event_id, _ in live_linked(store, incident_id, (i for f in factors for i in f.event_ids))}
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "display_zone": zone_name(tz),
        "incident": json_values(incident),
        "metrics": {f"{name}_seconds": _seconds(delta) for name, delta in incident_metrics(incident).items()},
        "factors": [{**json_values(f), "event_ids": sorted(live & set(f.event_ids))} for f in factors],
        "action_items": [json_values(a) for a in sorted(store.actions(incident_id), key=lambda a: a.number)],
    }
    if written := ordered(read_sections(store, incident_id), order):
        document["sections"] = [{"text": text, "title": title} for title, text in written]
    if related:
        from warroom.store.related_section import json_list

        document["related"] = json_list(store, incident_id)
    batches: Iterable[list[tuple[Any, ...]]] = stream_timeline(store, incident_id, _EVENT_COLUMNS, timeline)
    if lint is not None:
        batches = lint.tap(batches, *(_EVENT_COLUMNS.index(name) for name in ("occurred_at", "text", "team")))
    templates = _Templates(incident_id)
    lists = {
        "events": (_events(rows, templates) for rows in batches),
        "hypotheses": (_hypotheses(rows) for rows in stream_hypotheses(store, incident_id, by_id=True)),
    }
    for text in _pretty(document, lists):
        if text.isascii() or not _maybe_unsafe(text.encode()):
            yield text
        else:
            yield _UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def _hypotheses(rows: list[HypothesisRow]) -> list[str]:
    """Items of the hypotheses list (by event id) as the document holds them, each settling note named only
    when it is a live event of the export; written directly, as the events are."""
    items: list[str] = []
    for h in rows:
        # As the record gives it: a time read back from a hand-edited file is written in to_db's form.
        settled_at = None if h.settled_at is None else to_db(from_db(h.settled_at))
        fields = (
            f'"event_id": {h.id}',
            f'"reason": {_string(h.reason)}',
            f'"settled_at": {_string(settled_at)}',
            f'"settled_by": {"null" if h.note_id is None else h.note_id}',
            f'"status": {_string(h.status or "open")}',
        )
        items.append("    {\n      " + ",\n      ".join(fields) + "\n    }")
    return items


#: The events columns the JSON reads, in the order `_events` unpacks them.
_EVENT_COLUMNS = ("id", "occurred_at", "logged_at", "text", "author", "kind", "milestone", "source", "starred", "team")


#: Where `_event_parts` splits an event's JSON: a NUL, which a JSON string always writes as an escape.
_GAP = "\0"


class _Templates(dict[tuple[Any, ...], tuple[str, ...]]):
    """Each (author, kind, milestone, source, starred, team) combination's `_event_parts`: a few repeat."""

    def __init__(self, incident_id: str) -> None:
        super().__init__()
        self.incident_id = incident_id

    def __missing__(self, shared: tuple[Any, ...]) -> tuple[str, ...]:
        parts = self[shared] = _event_parts(self.incident_id, *shared)
        return parts


def _events(rows: list[tuple[Any, ...]], templates: _Templates) -> list[str]:
    """The items of the events list as the document holds them, written directly rather than through 100k dicts.

    `rows` hold `_EVENT_COLUMNS`. Each item is what `json_values` gives for the event plus its `links` (the
    evidence links in its text, store/links.py), as pydantic_core writes it: strings as json.dumps writes
    them without ASCII escapes, times as `_json_time`, the flag as a boolean.
    """
    items: list[str] = []
    append = items.append
    for event_id, occurred_at, logged_at, text, author, kind, milestone, source, starred, team in rows:
        # _json_time, its usual case inlined: a whole second (as an import or a typed time gives it).
        if occurred_at.endswith(".000000Z") and len(occurred_at) == 27 and occurred_at[19] == ".":
            occurred = occurred_at[:19] + "Z"
        else:
            occurred = _json_time(occurred_at)
        logged = occurred if logged_at == occurred_at else _json_time(logged_at)  # unless logged live
        links = _links(text) if "://" in text else "[]"
        p0, p1, p2, p3, p4, p5 = templates[author, kind, milestone, source, starred, team]
        # The pieces put together by one f-string: a third of the time a %-template takes to fill in.
        append(f"{p0}{event_id}{p1}{links}{p2}{logged}{p3}{occurred}{p4}{encode_basestring(text)}{p5}")
    return items


def _event_parts(
    incident_id: str, author: str, kind: str, milestone: str | None, source: str, starred: int, team: str
) -> tuple[str, ...]:
    """One event's JSON in the six pieces around its id, links, logged and occurred times (quoted) and text."""
    fields = {
        "author": _string(author),
        "deleted_at": "null",
        "id": _GAP,
        "incident_id": _string(incident_id),
        "kind": _string(kind),
        "links": _GAP,
        "logged_at": f'"{_GAP}"',
        "milestone": _string(milestone),
        "occurred_at": f'"{_GAP}"',
        "source": _string(source),
        "starred": "true" if starred else "false",
        "team": _string(team),
        "text": _GAP,
    }
    whole = "    {\n" + ",\n".join(f'      "{key}": {fields[key]}' for key in EVENT_KEYS) + "\n    }"
    return tuple(whole.split(_GAP))


def _links(text: str) -> str:
    """An event's links as a JSON list indented where the events list holds it ("[]" when there are none)."""
    found = links_in(text)
    if not found:
        return "[]"
    return "[\n" + ",\n".join(f"        {encode_basestring(url)}" for url in found) + "\n      ]"


def _string(value: str | None) -> str:
    """A JSON string (or null) as pydantic_core writes it."""
    return "null" if value is None else encode_basestring(value)


def _json_time(stamp: str) -> str:
    """A stored time as pydantic's JSON shows it (unquoted): whole seconds lose the fraction, UTC is `Z`."""
    if len(stamp) == 27 and stamp[19] == "." and stamp[26] == "Z":
        return stamp[:19] + "Z" if stamp.endswith(".000000Z") else stamp
    return pydantic_core.to_json(from_db(stamp)).decode()[1:-1]


def _pretty(document: dict[str, Any], lists: Mapping[str, Iterable[list[str]]]) -> Iterator[str]:
    """What json.dumps(indent=2, sort_keys=True, ensure_ascii=False) writes, plus a newline, made in Rust, in pieces.

    `lists` are top-level lists (the events, the hypotheses) given as batches of their items, each already
    written. pydantic_core writes the same bytes for strings, integers, booleans and null (tests compare
    the two); floats differ in form, so a document holding one takes the standard library's path.
    """
    rest = _sorted(document)
    if _has_float(rest):
        text = json.dumps({**document, **{key: [] for key in lists}}, indent=2, sort_keys=True, ensure_ascii=False)
    else:
        whole = {key: [] if key in lists else rest[key] for key in sorted([*rest, *lists])}
        text = pydantic_core.to_json(whole, indent=2).decode()
    for key in sorted(lists):
        # A key at this depth is at the top level, and a string cannot hold a line break: this is the one place.
        head, text = text.split(f'\n  "{key}": []', 1)
        yield head
        started = False
        for items in lists[key]:
            if not items:
                continue
            for run in pieces(items, PIECE_SIZE):
                yield (",\n" if started else f'\n  "{key}": [\n') + ",\n".join(run)
                started = True
        yield "\n  ]" if started else f'\n  "{key}": []'
    yield text + "\n"


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
    if b"\x7f" in raw or (b"\xe2" in raw and _UNSAFE_PUNCTUATION_UTF8.search(raw) is not None):
        return True
    return b"\xc2" in raw and _C1_UTF8.search(raw) is not None


def _seconds(delta: dt.timedelta | None) -> int | None:
    """Whole seconds, or None when the moment is not known yet or is before the start (store/spans.py)."""
    return None if delta is None or delta < dt.timedelta(0) else int(delta.total_seconds())
