"""The JSON post-mortem: every live record of one incident, in a stable shape that `warroom import` reads."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from store.export_md import incident_metrics, linked_event_ids
from store.store import Store
from store.timeparse import zone_name

FORMAT = "warroom-postmortem"
VERSION = 1
# Valid inside JSON strings but acted on by some terminals or editors; written as \u escapes instead.
_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029]")


def render_json(store: Store, incident_id: str, tz: dt.tzinfo) -> str:
    """The post-mortem of one incident as pretty, key-sorted JSON; times are UTC, `tz` is recorded."""
    incident = store.incident(incident_id)
    events = store.events(incident_id)
    factors = [
        {**f.model_dump(mode="json"), "event_ids": sorted(linked_event_ids(f, events))}
        for f in store.factors(incident_id)
    ]
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "display_zone": zone_name(tz),
        "incident": incident.model_dump(mode="json"),
        "metrics": {f"{name}_seconds": _seconds(delta) for name, delta in incident_metrics(incident).items()},
        "events": [e.model_dump(mode="json") for e in events],
        "factors": factors,
        "action_items": [a.model_dump(mode="json") for a in sorted(store.actions(incident_id), key=lambda a: a.number)],
    }
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text) + "\n"


def _seconds(delta: dt.timedelta | None) -> int | None:
    """Whole seconds, or None when the moment is not known yet."""
    return None if delta is None else int(delta.total_seconds())
