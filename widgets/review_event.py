"""The event under discussion in a review, large enough to read on a projector."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Digits, Static

from warroom.store.records import Event
from warroom.store.text import visible, visible_line


@dataclass(frozen=True)
class StepFacts:
    """What the screen works out about the event: where it stands, its phase, its timing."""

    position: int
    total: int
    phase: str
    phase_description: str
    since_start: str
    since_previous: str
    gap: str = ""
    show_date: bool = False


class ReviewEventPanel(Vertical):
    """A bordered panel: the time in big digits, its marks and timing beside it, the text in bold below."""

    DEFAULT_CSS = """
    ReviewEventPanel {
        height: auto;
        border: heavy $primary;
        border-title-style: bold;
        border-title-color: $text;
        border-subtitle-color: $text-muted;
        padding: 0 1;
        background: $surface;
    }
    ReviewEventPanel.-milestone { border: heavy $warning; border-title-color: $warning; }
    ReviewEventPanel.-starred { border: heavy $accent; border-title-color: $accent; }
    ReviewEventPanel #review-top { height: 3; }
    ReviewEventPanel Digits { width: auto; color: $text; margin-right: 2; }
    ReviewEventPanel #review-meta { width: 1fr; height: 3; text-wrap: nowrap; text-overflow: ellipsis; }
    ReviewEventPanel #review-gap { color: $warning; text-style: bold; height: auto; display: none; }
    ReviewEventPanel #review-gap.-shown { display: block; }
    ReviewEventPanel #review-text { text-style: bold; height: auto; max-height: 6; margin-top: 1; }
    """

    def __init__(self, tz: dt.tzinfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tz = tz
        self.event: Event | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="review-top"):
            yield Digits("--:--", id="review-time")
            yield Static("", id="review-meta", markup=False)
        yield Static("", id="review-gap", markup=False)
        yield Static("", id="review-text", markup=False)

    def show(self, event: Event | None, facts: StepFacts | None) -> None:
        """Show an event (or say there is none) with the facts about it."""
        self.event = event
        text = self.query_one("#review-text", Static)
        gap = self.query_one("#review-gap", Static)
        if event is None or facts is None:
            self.border_title = Content("Nothing to review yet")
            self.border_subtitle = ""
            self.query_one(Digits).update("--:--")
            self.query_one("#review-meta", Static).update("")
            gap.set_class(False, "-shown")
            text.update(Text("This incident has no timeline events. Log some, then review them here.", "italic"))
            self.set_class(False, "-milestone")
            self.set_class(False, "-starred")
            return
        local = event.occurred_at.astimezone(self.tz)
        self.query_one(Digits).update(local.strftime("%H:%M"))
        self.border_title = Content(self._title(event))
        self.border_subtitle = Content(f"event {facts.position + 1:,} of {facts.total:,}")
        self.query_one("#review-meta", Static).update(self._meta(event, facts, local))
        gap.update(Text(f"⏸ {facts.gap} before this event"))
        gap.set_class(bool(facts.gap), "-shown")
        text.update(Text(visible(event.text)))
        self.set_class(event.milestone is not None, "-milestone")
        self.set_class(event.starred, "-starred")

    @staticmethod
    def _title(event: Event) -> str:
        """★ and the milestone or kind, then the team and who logged it; their text is the user's, so plain."""
        parts = []
        if event.starred:
            parts.append("★ STARRED")
        parts.append(f"◆ {event.milestone.value.upper()}" if event.milestone else event.kind.value.upper())
        if event.team:
            parts.append("@" + visible_line(event.team)[:40])
        if event.author:
            parts.append("by " + visible_line(event.author)[:40])
        return " · ".join(parts)

    @staticmethod
    def _meta(event: Event, facts: StepFacts, local: dt.datetime) -> Text:
        """Three lines beside the digits: the phase, the timing, the exact moment."""
        meta = Text(no_wrap=True, overflow="ellipsis")
        meta.append(facts.phase, "bold")
        meta.append(f" — {facts.phase_description}\n", "italic")
        meta.append(f"{facts.since_start} from the start", "bold")
        meta.append(f" · {facts.since_previous} after the previous event\n")
        stamp = local.strftime("%Y-%m-%d %H:%M:%S %Z" if facts.show_date else "%H:%M:%S %Z")
        logged = event.logged_at.astimezone(local.tzinfo)
        late = event.logged_at - event.occurred_at
        meta.append(stamp, "dim")
        if late >= dt.timedelta(minutes=1):
            meta.append(f" · logged later, at {logged.strftime('%H:%M')}", "dim")
        return meta
