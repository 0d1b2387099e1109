"""Follow-through: every open action item across incidents, overdue first; mark done or move a deadline here."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Static

from warroom.store.followup import GROUP_ORDER, WEEK_DAYS, Group, group_of, parse_deadline, plan, today_in
from warroom.store.records import ActionItem
from warroom.store.review_followup import OverdueReview, overdue_reviews
from warroom.store.text import visible_line
from warroom.store.timeparse import zone_name
from warroom.tui import jobs
from warroom.tui.screens.base import WriterScreen
from warroom.tui.screens.form import Field, FormScreen
from warroom.widgets.followup_list import FollowupList
from warroom.widgets.key_bar import KeyBar
from warroom.widgets.line_input import LineInput

#: Action items read for the first paint (a screenful and some), and seconds after that frame is put together
#: before the overdue reviews and every open item are read (room for it to reach the terminal).
HEAD = 50
REST_AFTER = 0.01


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
        #: Called once the screen's next frame is put together (the first screenful's, then the rest is read).

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
        self._hint(today)
        self.say(
            f"{sum(found)} open action items · {found[0]} overdue · {found[1]} due this week · overdue reviews …",
            keep=False,
        )
        return True

    def refresh_data(self, *, force: bool = False) -> None:
        """Read the action items again when the file changed (here or in another process)."""
        store = self.wapp.store
        version = store.data_version
        if version == self._data_version and not force:
            return
        self._data_version = version
        if self._head_highlight is not None and not force:
            # The first screenful's highlight, unmoved, goes where the full list puts it first (after a change
            # made meanwhile, it stays where the change left it).
            followup_list = self.query_one(FollowupList)
            if (followup_list.wanted_index,) == self._head_highlight:
                followup_list.forget_highlight()
        self._head_highlight = None
        self._show_reviews()  # first: the summary line counts them
        self._show(store.actions() if self.show_closed else store.open_actions())

    def _show_reviews(self) -> None:
        """Post-mortem reviews past their due date: listed first, above the action items (`_show`)."""
        store = self.wapp.store
        today = today_in(store.now(), self.wapp.tz)
        late = [pm for pm in store.postmortems(self.wapp.config, self.wapp.tz).values() if pm.overdue(today)]
        owner = None if not self.owner else "" if self.owner == "-" else self.owner
        self.overdue_reviews = overdue_reviews(late, store.incident_titles(pm.incident_id for pm in late), today, owner)

    def _show(self, items: list[ActionItem]) -> None:
        today = today_in(self.wapp.store.now(), self.wapp.tz)
        groups = plan(items, today, owner=self.owner, include_closed=self.show_closed)
        rows: list[tuple[str, int, ActionItem | None]] = []
        for group in groups:
            rows.append((group.group.value, group.count, None))
            rows.extend((group.group.value, 0, item) for item in group.items)
        reviews = [(r.incident_id, review_line(r)) for r in self.overdue_reviews]
        self.query_one(FollowupList).show(rows, today, reviews)
        self._hint(today)
        if not self.query_one("#status", Static).has_class("-keep"):
            self._summary(groups)

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
