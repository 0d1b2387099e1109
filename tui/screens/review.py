"""The post-mortem meeting: one event at a time, large, with its context and blameless questions."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from warroom.store.kinds import FactorKind
from warroom.store.prompts import GROUND_RULE, prompts_for
from warroom.store.records import Event, Incident
from warroom.store.review import signed_duration, step_context
from warroom.tui import jobs
from warroom.tui.breakpoints import set_breakpoints_now
from warroom.tui.editors import event_form, new_action_form, new_factor_form, note_form
from warroom.tui.follow import FollowPresenter
from warroom.tui.screens.postmortem import PostMortemScreen
from warroom.tui.sources import StoreTimelineSource, TimelineWindow
from warroom.widgets.incident_header import IncidentHeader
from warroom.widgets.key_bar import KeyBar
from warroom.widgets.review_event import ReviewEventPanel, StepFacts
from warroom.widgets.review_facilitator import BORDER_NUMBERS, FacilitatorPanel
from warroom.widgets.review_neighbours import NeighbourList

#: Events fetched either side of the current one; the lists show as many as fit.
NEIGHBOURS = 12


class ReviewScreen(PostMortemScreen):
    """Step through the timeline in the meeting; star, link factors, add actions and notes as you go."""

    window: TimelineWindow

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "step(1)", "Next event", show=False),
        Binding("k,up", "step(-1)", "Previous event", show=False),
        Binding("pagedown", "step(10)", "10 events on", show=False),
        Binding("pageup", "step(-10)", "10 events back", show=False),
        Binding("home,g", "first", "First event", show=False),
        Binding("end,G", "last", "Last event", show=False),
        Binding("n", "jump(1)", "Next ◆★", tooltip="Jump to the next milestone or starred event"),
        Binding("N", "jump(-1)", "Prev ◆★", tooltip="Jump to the previous milestone or starred event"),
        Binding("s", "star", "Star", tooltip="Star or unstar this event (★ in the export)"),
        Binding("f", "factor", "Factor", tooltip="Record a factor linked to this event"),
        Binding("a", "add_action", "Action", tooltip="Add an action item linked to this event"),
        Binding("m", "note", "Note", tooltip="Add a meeting note about this event"),
        Binding("e", "edit", "Edit", tooltip="Correct this event's text or time"),
        Binding("ctrl+y", "writeup", "Write-up", tooltip="Summary, impact and lessons"),
        Binding("ctrl+e", "export", "Export", tooltip="Preview and write the post-mortem"),
        Binding("r", "related", "Related", tooltip="Earlier incidents like this one (Enter opens one)"),
        Binding("ctrl+z", "undo", "Undo", tooltip="Undo the last change"),
        Binding("ctrl+g", "redo", "Redo", show=False, tooltip="Redo what ctrl+z took back"),
        Binding("escape", "back", "Back", tooltip="Back to the incident screen"),
        *FollowPresenter.BINDINGS,
    ]

    def __init__(self, incident_id: str, *, start_event_id: int | None = None) -> None:
        super().__init__(incident_id)
        self.start_event_id = start_event_id
        self.position = 0
        self.incident: Incident | None = None
        self.show_date = False
        #: The first hypotheses nobody has ruled out or confirmed, as shown: `#5 payments deploy broke it?`.
        self.open_hypotheses: list[str] = []
        #: How many there are.
        self.open_total = 0
        self.follow = FollowPresenter(self)

    def compose(self) -> ComposeResult:
        set_breakpoints_now(self)
        app = self.wapp
        self.window = TimelineWindow(StoreTimelineSource(app.store, self.incident_id))
        yield IncidentHeader(app.clock, app.tz, id="header")
        with Horizontal(id="review-body"):
            with Vertical(id="review-main"):
                yield NeighbourList(app.tz, before=True, id="before")
                yield ReviewEventPanel(app.tz, id="current")
                yield NeighbourList(app.tz, before=False, id="after")
            yield FacilitatorPanel(GROUND_RULE, id="facilitator")
        yield Static("", id="status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        super().on_mount()
        self.reload()
        if self.start_event_id is not None:
            self.position = self.window.position_of(self.start_event_id) or 0
        self.show_step()
        self.say("j/k or ↑/↓ step · n/N next/previous milestone or star · Escape goes back")

    def on_unmount(self) -> None:
        self.follow.leaving()

    # -- reading -----------------------------------------------------------------------------

    @property
    def current(self) -> Event | None:
        """The event under discussion."""
        return self.window.row(self.position)

    def reload(self) -> None:
        """Re-read the incident and the timeline, staying on the same event if it still exists."""
        super().reload()
        keep = self.current.id if self.incident is not None and self.current else None
        store = self.wapp.store
        self.incident = store.incident(self.incident_id)
        self.window.reload()
        first, last = self.window.row(0), self.window.row(self.window.count - 1)
        tz = self.wapp.tz
        self.show_date = bool(
            first and last and first.occurred_at.astimezone(tz).date() != last.occurred_at.astimezone(tz).date()
        )
        if keep is not None:
            found = self.window.position_of(keep)
            self.position = found if found is not None else self.position
        self.follow.catch_up()
        self.position = max(0, min(self.position, self.window.count - 1))
        header = self.query_one(IncidentHeader)
        header.incident = self.incident
        header.refresh()
        self._read_open_hypotheses()
        self.show_step()

    def _read_open_hypotheses(self) -> None:
        """The hypotheses nobody ruled out or confirmed, for the facilitator to ask about: the first ones, and how
        many there are (one row SQLite's triggers keep: a 1M-event incident's 125,000 are not counted here)."""
        from warroom.store.hypotheses import first_open, open_count
        from warroom.store.text import visible_line

        found = first_open(self.wapp.store, self.incident_id, BORDER_NUMBERS + 1)
        self.open_hypotheses = [f"#{h.number} {visible_line(h.event.text)}" for h in found]
        # Never fewer than were just read (a count a hand-edited file got wrong would hide "and N more").
        many = len(found) > BORDER_NUMBERS
        self.open_total = max(open_count(self.wapp.store, self.incident_id), len(found)) if many else len(found)

    def show_step(self) -> None:
        """Show the current event, its neighbours, its context and the questions for it."""
        event, incident = self.current, self.incident
        if event is None or incident is None:
            self.query_one(ReviewEventPanel).show(None, None)
            self.query_one("#before", NeighbourList).show([])
            self.query_one("#after", NeighbourList).show([])
            self.query_one(FacilitatorPanel).show("no events", [])
            return
        pos = self.position
        context = step_context(incident, event, self.window.row(pos - 1))
        facts = StepFacts(
            position=pos,
            total=self.window.count,
            phase=context.phase.value.capitalize(),
            phase_description=context.phase_description,
            since_start=signed_duration(context.since_start),
            since_previous="—" if context.since_previous is None else signed_duration(context.since_previous),
            gap=context.gap,
            show_date=self.show_date,
        )
        self.query_one(ReviewEventPanel).show(event, facts)
        self.query_one("#before", NeighbourList).show(self.window.rows(pos - NEIGHBOURS, pos), show_date=self.show_date)
        after = self.window.rows(pos + 1, pos + 1 + NEIGHBOURS)
        self.query_one("#after", NeighbourList).show(after, show_date=self.show_date)
        prompts = prompts_for(context.phase, event.kind, event.milestone)
        phase = context.phase.value.capitalize()
        self.query_one(FacilitatorPanel).show(phase, prompts, self.open_hypotheses, self.open_total)
        self.follow.moved()

    def stamp(self, event: Event) -> str:
        """The event's time as the export writes it (with the date when the timeline spans days)."""
        return event.occurred_at.astimezone(self.wapp.tz).strftime("%Y-%m-%d %H:%M" if self.show_date else "%H:%M")

    def move_to(self, position: int) -> None:
        """Make another event the current one."""
        self.position = max(0, min(position, self.window.count - 1))
        self.show_step()

    # -- presenting and following (tui/follow.py) --------------------------------------------

    def action_present(self) -> None:
        """Start presenting this review (taking over from anyone else), or stop."""
        self.follow.toggle_present()

    def action_follow(self) -> None:
        """Follow whoever presents this incident's review, or stop following."""
        self.follow.toggle_follow()

    # -- stepping ----------------------------------------------------------------------------

    def action_step(self, delta: int) -> None:
        """Step forwards or back through the timeline."""
        self.follow.stepped_away()
        self.move_to(self.position + delta)

    def action_first(self) -> None:
        """Go to the first event."""
        self.follow.stepped_away()
        self.move_to(0)

    def action_last(self) -> None:
        """Go to the last event."""
        self.follow.stepped_away()
        self.move_to(self.window.count - 1)

    def action_jump(self, direction: int) -> None:
        """Jump to the next (1) or previous (-1) milestone or starred event."""
        event = self.current
        if event is None or event.id is None:
            return
        found = self.wapp.store.next_marked_position(self.incident_id, event.id, direction)
        if found is None:
            self.say(f"no {'later' if direction > 0 else 'earlier'} milestone or starred event", error=True)
            return
        self.follow.stepped_away()
        self.move_to(found)

    # -- changes -----------------------------------------------------------------------------

    def action_star(self) -> None:
        """Star or unstar the current event."""
        event = self.current
        if event is None or event.id is None:
            return
        starred = not event.starred
        message = f"{'starred' if starred else 'unstarred'} the {self.stamp(event)} event"
        self.run_job(jobs.edit_event(event.id, {"starred": starred}, message))

    def action_factor(self) -> None:
        """Record a factor (contributing unless chosen otherwise) linked to the current event."""
        event = self.current
        if event is None or event.id is None:
            return
        event_id = event.id

        def save(result: dict[str, str] | None) -> None:
            if result:
                self.run_job(jobs.add_factor(self.incident_id, result["kind"], result["text"], (event_id,)))

        form = new_factor_form(f"Factor behind the {self.stamp(event)} event", FactorKind.CONTRIBUTING)
        self.app.push_screen(form, save)

    def action_add_action(self) -> None:
        """Add an action item linked to the current event."""
        event = self.current
        if event is None or event.id is None:
            return
        event_id = event.id

        def save(result: dict[str, Any] | None) -> None:
            if result:
                fields = dict(result)
                title = fields.pop("title")
                self.run_job(jobs.add_action(self.incident_id, title, event_id=event_id, **fields))

        self.app.push_screen(new_action_form(f"Action item from the {self.stamp(event)} event"), save)

    def action_note(self) -> None:
        """Add a meeting note, prefixed with the current event's time, to the incident's notes."""
        event = self.current
        if event is None:
            return
        stamp = self.stamp(event)

        def save(text: str | None) -> None:
            if text:
                self.run_job(jobs.append_note(self.incident_id, f"[{stamp}] {text}"))

        self.app.push_screen(note_form(f"Meeting note on the {stamp} event"), save)

    def action_edit(self) -> None:
        """Correct the current event's text, time, kind, team or milestone."""
        event = self.current
        if event is None or event.id is None:
            return
        event_id = event.id

        def save(changes: dict[str, Any] | None) -> None:
            if changes is None:
                return
            if not changes:
                self.say("event unchanged")
                return
            self.run_job(jobs.edit_event(event_id, changes, tz=self.wapp.tz))

        self.app.push_screen(event_form(event, self.wapp.store.now(), self.wapp.tz), save)

    def action_related(self) -> None:
        """List the incidents like this one; the one chosen opens in place of this incident."""
        from warroom.tui.screens.related import RelatedScreen

        found = self.wapp.store.related(self.incident_id)

        def chosen(incident_id: str | None) -> None:
            if incident_id:
                self.wapp.open_incident(incident_id)

        self.app.push_screen(RelatedScreen(self.incident_id, found, self.wapp.tz), chosen)

    def action_export(self) -> None:
        """Preview the post-mortem and write it to a file."""
        from warroom.tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self.incident_id))
