"""Follow-through: every open action item across incidents, overdue first; mark done or move a deadline here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from warroom.store.followup import (
    GROUP_ORDER,
    WEEK_DAYS,
    FollowupGroup,
    Group,
    group_of,
    parse_deadline,
    plan,
    today_in,
)
from warroom.store.records import ActionItem
from warroom.store.review_followup import OverdueReview, overdue_reviews
from warroom.store.text import visible_line
from warroom.store.timeparse import zone_name
from warroom.tui import jobs
from warroom.tui.read_apart import read_apart
from warroom.tui.screens.base import WriterScreen
from warroom.tui.screens.form import Field, FormScreen
from warroom.widgets.followup_list import FollowupList
from warroom.widgets.key_bar import KeyBar
from warroom.widgets.line_input import LineInput

if TYPE_CHECKING:
    from warroom.store.config import Config
    from warroom.store.reads import Reads

#: Action items read for the first paint (a screenful and some), and seconds after that frame is put together
#: before the overdue reviews and every open item are read (room for it to reach the terminal).
HEAD = 50
REST_AFTER = 0.01


@dataclass(frozen=True)
class Asked:
    """What a full read is for: the owner typed and whether closed items are shown."""

    owner: str
    show_closed: bool


@dataclass(frozen=True)
class Found:
    """Everything the screen shows, read in full: the overdue reviews (and their lines) and the groups."""

    asked: Asked
    today: dt.date
    reviews: list[OverdueReview]
    review_lines: list[tuple[str, Text]]
    groups: list[FollowupGroup]
    #: The list's rows: (group name, group size, None) for a heading, (group name, 0, item) for an item.
    rows: list[tuple[str, int, ActionItem | None]]


def read_all(store: Reads, config: Config, tz: dt.tzinfo, asked: Asked) -> Found:
    """Read and group every item the screen lists (on the UI thread for a small library, else in a worker)."""
    today = today_in(store.now(), tz)
    late = [pm for pm in store.postmortems(config, tz).values() if pm.overdue(today)]
    owner = None if not asked.owner else "" if asked.owner == "-" else asked.owner
    reviews = overdue_reviews(late, store.incident_titles(pm.incident_id for pm in late), today, owner)
    items = store.actions() if asked.show_closed else store.open_actions()
    groups = plan(items, today, owner=asked.owner, include_closed=asked.show_closed)
    rows: list[tuple[str, int, ActionItem | None]] = []
    for group in groups:
        name = group.group.value
        rows.append((name, group.count, None))
        rows.extend((name, 0, item) for owner in group.owners for item in owner.items)
    return Found(asked, today, reviews, [(r.incident_id, review_line(r)) for r in reviews], groups, rows)


class FullRead(Message):
    """A full read done off the UI thread (`found`), or why it failed. Handled by `on_full_read`."""

    def __init__(self, found: Found | None, error: BaseException | None) -> None:
        super().__init__()
        self.found = found
        self.error = error


class FollowupScreen(WriterScreen):
    """Action items of every incident grouped overdue / due this week / later / no deadline, by owner."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the previous screen"),
        Binding("slash,o", "focus_owner", "Owner", tooltip="Show only one owner's items (- for unassigned)"),
        Binding("c", "toggle_closed", "Closed", tooltip="Show or hide done and won't-do items"),
        Binding("ctrl+z", "undo", "Undo", priority=True, tooltip="Undo the last change made here"),
    ]

    DEFAULT_CSS = """
    FollowupScreen #followup-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    FollowupScreen #owner-row { height: 1; margin: 1 0 0 0; background: $boost; }
    FollowupScreen #owner-prompt { width: 9; padding-left: 1; color: $accent; text-style: bold; }
    FollowupScreen #owner { background: $boost; }
    FollowupScreen #followup-hint { height: 1; padding: 0 1; color: $text-muted; margin-bottom: 1; }
    FollowupScreen #status { height: auto; max-height: 3; padding: 0 1; color: $success; }
    FollowupScreen #status.-error { color: $error; text-style: bold; }
    """

    def __init__(self, owner: str = "") -> None:
        super().__init__()
        self.owner = owner
        self.show_closed = False
        self._data_version = -1
        self.overdue_reviews: list[OverdueReview] = []
        #: The highlight the first screenful was shown with, while the rest is still being read (else None).
        self._head_highlight: tuple[int | None] | None = None
        #: Whether the list is long enough to be read in a worker (the keys stay live meanwhile).
        self._in_worker = False
        #: A worker is reading; whether the file changed (or the owner or `c` did) since it started.
        self._reading = False
        self._read_again = False
        #: The first screenful's highlight, while the first full read is on its way (else None).
        self._head_pending: tuple[int | None] | None = None

    def compose(self) -> ComposeResult:
        yield Static("warroom · follow-through", id="followup-title", markup=False)
        with Horizontal(id="owner-row"):
            yield Static("owner › ", id="owner-prompt")
            yield LineInput(
                self.owner, placeholder="all owners (type a name, - for unassigned)", id="owner", compact=True
            )
        yield Static("", id="followup-hint", markup=False)
        yield FollowupList(id="followup")
        yield Static("", id="status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        if self.owner or self.show_closed or not self._show_head():
            self.refresh_data(force=True)
        else:
            # Textual runs this once the screen's next frame is put together: the rest is read after the first paint.
            self.call_after_refresh(lambda: self.set_timer(REST_AFTER, self.refresh_data))
        self.query_one(FollowupList).focus()
        self.set_interval(0.5, self.refresh_data)

    def _show_head(self) -> bool:
        """The first screenful from a small read, when there are more than HEAD open items: each group's count and
        the first items in order (by SQL). Whether it was shown.

        The overdue reviews and the rest of the items follow straight after the first paint (`refresh_data`);
        meanwhile the summary says the reviews are still being read.
        """
        store = self.wapp.store
        today = today_in(store.now(), self.wapp.tz)
        found, items = store.followup_head(today, HEAD + 1)
        if len(items) <= HEAD:
            return False  # all of them: read in full at once
        items = items[:HEAD]
        rows: list[tuple[str, int, ActionItem | None]] = []
        for n, group in enumerate(GROUP_ORDER[:4]):
            mine = [item for item in items if group_of(item, today) is group]
            if mine:
                rows.append((group.value, found[n], None))
                rows.extend((group.value, 0, item) for item in mine)
        followup_list = self.query_one(FollowupList)
        followup_list.show(rows, today, [])
        self._head_highlight = (followup_list.wanted_index,)
        self._in_worker = True
        self._hint(today)
        self.say(
            f"{sum(found)} open action items · {found[0]} overdue · {found[1]} due this week · overdue reviews …",
            keep=False,
        )
        return True

    def refresh_data(self, *, force: bool = False) -> None:
        """Read the action items again when the file changed (here or in another process).

        A long list is read in a worker on a connection of its own, so keys typed meanwhile are handled at once
        (on the first screenful, or on the list as it was); what it read replaces the list when it arrives.
        """
        store = self.wapp.store
        version = store.data_version
        if version == self._data_version and not force:
            return
        self._data_version = version
        if force:
            self._head_pending = None  # a change made meanwhile: the highlight stays where it was left
        elif self._head_highlight is not None:
            self._head_pending = self._head_highlight
        self._head_highlight = None
        if not self._in_worker or store.path is None:  # an in-memory database is only seen by this connection
            self._show_found(read_all(store, self.wapp.config, self.wapp.tz, self._asked()))
        elif self._reading:
            self._read_again = True
        else:
            self._start_read(store.path)

    def _start_read(self, path: Path) -> None:
        self._reading, self._read_again = True, False
        self._read_in_worker(path, self._asked())

    def _asked(self) -> Asked:
        return Asked(self.owner, self.show_closed)

    @work(thread=True, exit_on_error=False)
    def _read_in_worker(self, path: Path, asked: Asked) -> None:
        """Read everything on this worker's own connection; the result is a message (dropped if the screen closed)."""
        app = self.wapp
        found, error = read_apart(path, app.clock, lambda store: read_all(store, app.config, app.tz, asked))
        if not get_current_worker().is_cancelled:
            self.post_message(FullRead(found, error))

    def on_full_read(self, message: FullRead) -> None:
        self._reading = False
        if message.error is not None:
            self.say(f"could not read the action items: {message.error}", error=True)
        elif message.found is not None and message.found.asked == self._asked():
            self._show_found(message.found)
        else:
            self._read_again = True  # the owner or `c` changed while it read
        path = self.wapp.store.path
        if self._read_again and path is not None:
            self._start_read(path)

    def _show_found(self, found: Found) -> None:
        """Show a full read: reviews first (the summary line counts them), then the groups."""
        followup_list = self.query_one(FollowupList)
        if self._head_pending is not None:
            # The first screenful's highlight, unmoved, goes where the full list puts it first (after a change
            # made meanwhile, or a key that moved it, it stays where it was left).
            if (followup_list.wanted_index,) == self._head_pending:
                followup_list.forget_highlight()
            self._head_pending = None
        self.overdue_reviews = found.reviews
        self._in_worker = sum(g.count for g in found.groups) > HEAD
        followup_list.show(found.rows, found.today, found.review_lines)
        self._hint(found.today)
        if not self.query_one("#status", Static).has_class("-keep"):
            self._summary(found.groups)

    def _hint(self, today: dt.date) -> None:
        zone = zone_name(self.wapp.tz)
        self.query_one("#followup-hint", Static).update(
            f"today {today:%a %d %b %Y} ({zone}) · due this week = today to +{WEEK_DAYS} days · "
            + ("closed shown" if self.show_closed else "closed hidden (c)")
        )

    def _summary(self, groups: list[Any]) -> None:
        counted = {g.group: g.count for g in groups}
        open_items = sum(n for g, n in counted.items() if g is not Group.CLOSED)
        who = f" for {self.owner}" if self.owner else ""
        text = (
            f"{open_items} open action items{who} · {counted.get(Group.OVERDUE, 0)} overdue · "
            f"{counted.get(Group.THIS_WEEK, 0)} due this week"
        )
        text = text if open_items or self.show_closed else f"No open action items{who}."
        if self.overdue_reviews:
            n = len(self.overdue_reviews)
            text += f" · {n} {'review' if n == 1 else 'reviews'} overdue"
        self.say(text, keep=False)

    def say(self, message: str, *, error: bool = False, keep: bool = True) -> None:
        """One line of feedback under the list (kept until the next change when `keep`)."""
        status = self.query_one("#status", Static)
        status.update(("⚠ " if error else "✓ " if keep else "") + message)
        status.set_class(error, "-error")
        status.set_class(keep, "-keep")

    @on(Input.Changed, "#owner")
    def _owner_changed(self, event: Input.Changed) -> None:
        if self._head_highlight is not None and event.value.strip() == self.owner:
            return  # the line's first value, as it is mounted: the rest is read after the first paint
        self.owner = event.value.strip()
        self.query_one("#status", Static).remove_class("-keep")
        self.refresh_data(force=True)

    @on(Input.Submitted, "#owner")
    def _owner_done(self) -> None:
        self.query_one(FollowupList).focus()

    # -- changes, through the writer thread --------------------------------------------------

    def after_write(self, outcome: jobs.Outcome) -> None:
        self.refresh_data(force=True)

    @on(FollowupList.ToggleRequested)
    def _toggle(self, message: FollowupList.ToggleRequested) -> None:
        item = message.item
        status = "open" if item.is_closed else "done"
        what = f"{item.incident_id} #{item.number} {'open again' if status == 'open' else 'done'}"
        self.run_job(jobs.edit_action(item.incident_id, item.number, {"status": status}, what))

    @on(FollowupList.DeadlineRequested)
    def _deadline(self, message: FollowupList.DeadlineRequested) -> None:
        item = message.item
        today = today_in(self.wapp.store.now(), self.wapp.tz)

        def save(result: tuple[dt.date | None] | None) -> None:
            if result is None or result[0] == item.deadline:
                return
            deadline = result[0]
            what = f"{item.incident_id} #{item.number} " + (f"due {deadline:%d %b}" if deadline else "has no deadline")
            self.run_job(jobs.edit_action(item.incident_id, item.number, {"deadline": deadline}, what))

        self.app.push_screen(deadline_form(item, today), save)

    @on(FollowupList.OpenRequested)
    def _open(self, message: FollowupList.OpenRequested) -> None:
        self.wapp.open_incident(message.item.incident_id)

    @on(FollowupList.ItemKeyOnReview)
    def _not_for_reviews(self, message: FollowupList.ItemKeyOnReview) -> None:
        self.say(
            f"{message.key} acts on action items; Enter opens this review's post-mortem (p there changes its"
            " stage, owner or due date)",
            error=True,
        )

    @on(FollowupList.ReviewOpenRequested)
    def _open_review(self, message: FollowupList.ReviewOpenRequested) -> None:
        """The incident, with its export screen on top: `p` there changes the stage, owner or due date."""
        from warroom.tui.screens.export import ExportScreen

        app, incident_id = self.wapp, message.incident_id
        app.open_incident(incident_id)
        # The incident screen replaces the stack first (this screen included); the export screen goes on top of it.
        app.call_after_refresh(lambda: app.push_screen(ExportScreen(incident_id)))

    # -- actions -----------------------------------------------------------------------------

    def action_back(self) -> None:
        """Back where you came from (the owner line first gives focus back to the list)."""
        if self.query_one("#owner", Input).has_focus:
            self.query_one(FollowupList).focus()
            return
        self.app.pop_screen()

    def action_focus_owner(self) -> None:
        """Type an owner to see only their items."""
        self.query_one("#owner", Input).focus()

    def action_toggle_closed(self) -> None:
        """Show or hide done and won't-do items."""
        self.show_closed = not self.show_closed
        self.query_one("#status", Static).remove_class("-keep")
        self.refresh_data(force=True)


def review_line(r: OverdueReview) -> Text:
    """One overdue review: incident, due date, days late, stage, owner, title (Enter opens its post-mortem)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(visible_line(r.incident_id), "bold")
    text.append(f"  review due {r.due:%d %b} · ")
    text.append(f"{r.days_late} d late", "bold red")
    text.append(f" · {r.status} · ")
    text.append(visible_line(r.owner) or "unassigned", "" if r.owner.strip() else "italic yellow")
    text.append("  ")
    text.append(visible_line(r.title), "dim")
    return text


def deadline_form(item: ActionItem, today: dt.date) -> FormScreen:
    """Ask for a new deadline; the result is (date or None to clear it,), or None when cancelled."""
    return FormScreen(
        f"Deadline of {item.incident_id} #{item.number}: {visible_line(item.title)}",
        [Field("deadline", "Deadline", item.deadline.isoformat() if item.deadline else "", placeholder="YYYY-MM-DD")],
        lambda v: (parse_deadline(v["deadline"], today),),
        help="YYYY-MM-DD, +3d or +2w from today, empty for none · Enter saves · Escape cancels",
    )
