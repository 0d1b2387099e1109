"""Hypotheses have a lifecycle: an event of kind hypothesis is open until it is ruled out or confirmed.

Settling one logs a timeline note with the reason (so the timeline reads as the reasoning went) and
records the settlement in the `hypotheses` table, pointing at that note. A hypothesis is named by its
event's number, shown as `#N` on its timeline row and by `warroom hypothesis list`. Undoing a
settlement removes the record and deletes the note (softly, like every delete).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from warroom.store.errors import InputError, NotFoundError
from warroom.store.kinds import MAX_TEXT, EventKind
from warroom.store.settlements import HypothesisStatus as HypothesisStatus
from warroom.store.settlements import Settlement as Settlement
from warroom.store.text import controls_visible_line
from warroom.store.timeparse import from_db, to_db
from warroom.store.wording import with_article

if TYPE_CHECKING:
    from warroom.store.reads import Reads
    from warroom.store.records import Event
    from warroom.store.store import Store

#: Longest part of a hypothesis's text quoted in the note that settles it.
QUOTE = 60

#: How the settling note starts, per status.
VERBS = {HypothesisStatus.RULED_OUT: "Ruled out", HypothesisStatus.CONFIRMED: "Confirmed"}


@dataclass(frozen=True)
class Hypothesis:
    """A hypothesis event with where it stands."""

    event: Event
    settlement: Settlement | None

    @property
    def number(self) -> int:
        """What a user types to name it (`/rule-out N`): the event's number."""
        return self.event.id or 0

    @property
    def status(self) -> HypothesisStatus:
        """Open until settled."""
        return self.settlement.status if self.settlement else HypothesisStatus.OPEN


def parse_status(word: str) -> HypothesisStatus:
    """`rule-out`, `ruled out`, `confirm`, ... as a settled status; InputError for anything else."""
    low = word.strip().lower().replace("-", " ").replace("_", " ")
    if low in ("rule out", "ruled out", "ruleout"):
        return HypothesisStatus.RULED_OUT
    if low in ("confirm", "confirmed"):
        return HypothesisStatus.CONFIRMED
    raise InputError(f"{word!r} is not a way to settle a hypothesis: use rule-out or confirm")


def settlements(store: Reads, incident_id: str) -> dict[int, Settlement]:
    """Every settlement of the incident's hypotheses, by hypothesis event id."""
    return store.hypothesis_settlements(incident_id)


def hypotheses(store: Reads, incident_id: str) -> list[Hypothesis]:
    """The incident's live hypotheses in timeline order, each with its settlement (None while open)."""
    settled = settlements(store, incident_id)
    # Only the hypothesis events: a review or the CLI never reads a 100k-event timeline for a handful.
    return [Hypothesis(e, settled.get(e.id or 0)) for e in store.hypothesis_events(incident_id)]


def first_open(store: Reads, incident_id: str, limit: int) -> list[Hypothesis]:
    """The first `limit` open hypotheses in timeline order (what a screen lists first), not every one."""
    return [Hypothesis(e, None) for e in store.first_open_hypotheses(incident_id, limit)]


def open_count(store: Reads, incident_id: str) -> int:
    """How many of the incident's live hypotheses are open (a count kept by SQLite's triggers: one row read)."""
    return store.open_hypothesis_total(incident_id)


def statuses(store: Reads, incident_id: str) -> dict[int, HypothesisStatus]:
    """Where each settled hypothesis stands, by event id (what the timeline marks); open ones are absent."""
    return store.hypothesis_statuses(incident_id)


def hypothesis(store: Store, incident_id: str, number: int) -> Hypothesis:
    """One live hypothesis of the incident by its number; NotFoundError names what to look at instead."""
    try:
        event = store.event(number)
    except NotFoundError:
        event = None
    if event is None or event.incident_id != incident_id or event.deleted_at is not None:
        raise NotFoundError(f"no hypothesis #{number} in {incident_id} (see `warroom hypothesis list`)")
    if event.kind is not EventKind.HYPOTHESIS:
        raise InputError(f"event #{number} is {with_article(event.kind.value)}, not a hypothesis")
    return Hypothesis(event, settlements(store, incident_id).get(number))


def settle(
    store: Store,
    incident_id: str,
    number: int,
    status: HypothesisStatus,
    reason: str,
    *,
    source: str = "cli",
    at: dt.datetime | None = None,
) -> tuple[Hypothesis, Event]:
    """Rule out or confirm hypothesis `number` for `reason`: logs the note saying so (at `at`, default now)."""
    if status is HypothesisStatus.OPEN:
        raise InputError("a hypothesis is settled by ruling it out or confirming it")
    reason = " ".join(reason.split()).removeprefix("because ").strip()
    if not reason:
        raise InputError(f"say why: {VERBS[status].lower()} #{number} because ...")
    current = hypothesis(store, incident_id, number)
    if current.settlement is not None:
        state = current.status.value
        raise InputError(f"hypothesis #{number} is already {state} (reopen it first: `hypothesis reopen {number}`)")
    raised = current.event.occurred_at
    if at is not None and at < raised:
        # A note settling it before it was raised would put the reasoning out of order in the write-up.
        when = raised.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        raise InputError(f"hypothesis #{number} was raised at {when}: settle it at that time or later")
    quote = controls_visible_line(current.event.text)
    if len(quote) > QUOTE:
        quote = quote[: QUOTE - 1].rstrip() + "…"
    text = f"{VERBS[status]} #{number} ({quote}): {reason}"
    if len(text) > MAX_TEXT:
        raise InputError(f"the reason is too long: keep it under {MAX_TEXT - len(text) + len(reason)} characters")

    def do() -> Event:
        # One transaction: the note and the settlement are saved together or not at all.
        if store.is_settled(number):
            raise InputError(f"hypothesis #{number} was settled meanwhile (see `warroom hypothesis list`)")
        note = store.log_event(incident_id, text, source=source, occurred_at=at)
        store.record_settlement(incident_id, Settlement(number, status, reason, note.id, note.logged_at))
        return note

    note: Event = store.write(do)
    return hypothesis(store, incident_id, number), note


def unsettle(store: Store, incident_id: str, number: int) -> None:
    """Open hypothesis `number` again: its settlement is forgotten and the note that said so deleted."""
    current = hypothesis(store, incident_id, number)
    if current.settlement is None:
        raise InputError(f"hypothesis #{number} is open already")
    settled_by = current.settlement.settled_by

    store.forget_settlement(number)
    if settled_by is not None:
        try:
            if store.event(settled_by).deleted_at is None:
                store.delete_event(settled_by)
        except NotFoundError:
            pass


def restore_settlements(store: Store, found: list[Settlement], ids: dict[int, int]) -> int:
    """Record settlements read from an import, event ids mapped through `ids` (file id -> stored id).

    Each is kept only when its hypothesis was imported and is not settled already; returns how many.
    """
    kept = 0

    def do() -> None:
        nonlocal kept
        for s in found:
            event_id = ids.get(s.event_id)
            if event_id is None:
                continue
            try:
                incident_id = store.event(event_id).incident_id
            except NotFoundError:
                continue
            if store.is_settled(event_id):
                continue
            settled_by = ids.get(s.settled_by) if s.settled_by is not None else None
            store.record_settlement(incident_id, Settlement(event_id, s.status, s.reason, settled_by, s.settled_at))
            kept += 1

    store.write(do)
    return kept


def hypotheses_json(store: Reads, incident_id: str, live_ids: set[int]) -> list[dict[str, Any]]:
    """The incident's live hypotheses for the JSON export, by event id; a settling note not exported is null."""
    found: list[dict[str, Any]] = []
    for h in sorted(hypotheses(store, incident_id), key=lambda h: h.number):
        s = h.settlement
        settled_by = s.settled_by if s and s.settled_by in live_ids else None
        found.append(
            {
                "event_id": h.number,
                "reason": s.reason if s else None,
                "settled_at": to_db(s.settled_at) if s else None,
                "settled_by": settled_by,
                "status": h.status.value,
            }
        )
    return found


def settlements_from_json(items: object) -> tuple[list[Settlement], list[str]]:
    """Settlements read from a JSON export's `hypotheses` (open ones carry none), and what could not be read."""
    found: list[Settlement] = []
    problems: list[str] = []
    if not isinstance(items, list):
        return [], ["'hypotheses' is not a list; not imported"] if items is not None else []
    for index, item in enumerate(items):
        try:
            status = HypothesisStatus(item["status"])
            if status is HypothesisStatus.OPEN:
                continue
            settled_at = from_db(str(item["settled_at"]))
            settled_by = item.get("settled_by")
            if settled_at is None or not isinstance(item["event_id"], int) or not str(item["reason"]).strip():
                raise ValueError
            if settled_by is not None and not isinstance(settled_by, int):
                raise ValueError
            found.append(Settlement(item["event_id"], status, str(item["reason"]), settled_by, settled_at))
        except (KeyError, TypeError, ValueError, AttributeError):
            problems.append(f"hypotheses[{index}] is not a hypothesis settlement; not imported")
    return found, problems
