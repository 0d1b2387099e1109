"""Action items across incidents, one line each under their follow-through group's heading."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from warroom.store.records import ActionItem
from warroom.store.text import visible_line
from warroom.widgets.lazy_line import LazyLine

#: Heading style per group name (see store/followup.py for the groups).
GROUP_STYLES = {"overdue": "bold red", "due this week": "bold yellow", "later": "bold", "no deadline": "bold"}
REVIEWS_HEADING = "OVERDUE POST-MORTEM REVIEWS"
#: Lines added to the list at a time, and seconds between batches (room for keys and frames in between).
BATCH = 100
PAUSE = 0.03
#: What starts the option id of an overdue review's row (an action item's is `INCIDENT#NUMBER`).
_REVIEW = "review:"


def due_words(item: ActionItem, today: dt.date) -> str:
    """How the deadline stands: `3 d late`, `today`, `in 5 d`, or the closing status."""
    if item.is_closed:
        return item.status.value
    if item.deadline is None:
        return ""
    ahead = (item.deadline - today).days
    if ahead < 0:
        return f"{-ahead} d late"
    return "today" if ahead == 0 else f"in {ahead} d"


class FollowupList(OptionList):
    """Group headings (not selectable) and action items; asks for changes with messages."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x,space", "toggle_done", "Done", tooltip="Mark the highlighted item done (or open again)"),
        Binding("e", "deadline", "Deadline", tooltip="Change the highlighted item's deadline"),
        Binding("enter", "open", "Open", tooltip="Open the item's incident, or an overdue review's post-mortem"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    DEFAULT_CSS = """
    FollowupList { border: none; padding: 0; height: 1fr; max-height: 100%; scrollbar-gutter: stable; }
    FollowupList:focus { border: none; }
    FollowupList > .option-list--option-disabled { color: $foreground; }
    """

    class ListMessage(Message):
        """What every message of the list carries (never posted itself)."""

        def __init__(self, followup_list: FollowupList) -> None:
            super().__init__()
            self.followup_list = followup_list

        @property
        def control(self) -> FollowupList:
            """The list that sent it."""
            return self.followup_list

    class ItemMessage(ListMessage):
        """Something was asked of one action item (never posted itself)."""

        def __init__(self, followup_list: FollowupList, item: ActionItem) -> None:
            super().__init__(followup_list)
            self.item = item

    class ToggleRequested(ItemMessage):
        """Mark the item done, or open again. Handled by `on_followup_list_toggle_requested`."""

    class DeadlineRequested(ItemMessage):
        """Change the item's deadline. Handled by `on_followup_list_deadline_requested`."""

    class OpenRequested(ItemMessage):
        """Open the item's incident. Handled by `on_followup_list_open_requested`."""

    class ReviewOpenRequested(ListMessage):
        """Open an overdue review's post-mortem. Handled by `on_followup_list_review_open_requested`."""

        def __init__(self, followup_list: FollowupList, incident_id: str) -> None:
            super().__init__(followup_list)
            self.incident_id = incident_id

    class ItemKeyOnReview(ListMessage):
        """`x` or `e`, keys for action items, pressed on an overdue review. Handled by
        `on_followup_list_item_key_on_review`."""

        def __init__(self, followup_list: FollowupList, key: str) -> None:
            super().__init__(followup_list)
            #: The key as the key bar names it.
            self.key = key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True)
        self._rows: list[tuple[str, int, ActionItem | None]] = []
        self._reviews: list[tuple[str, Text]] = []
        self._items: dict[str, ActionItem] = {}
        self._today = dt.date.today()
        self._width = 0
        #: The highlight (key, index) `show` chose before the list was laid out, for the first resize to apply.
        self._wanted: tuple[str | None, int | None] | None = None
        #: What each line shows, in order: (kind, text, item); the list holds the first ones so far.
        self._entries: list[tuple[str, str, ActionItem | None]] = []
        #: Each line's key as last shown (None for a heading), to find the line after one that went away.
        self._keys: list[str | None] = []

    def show(
        self,
        rows: list[tuple[str, int, ActionItem | None]],
        today: dt.date,
        reviews: Sequence[tuple[str, Text]] = (),
    ) -> None:
        """Replace the lines: (group name, group size, None) for a heading, (group name, 0, item) for an item.

        `reviews` (incident id, line) are overdue post-mortem reviews, listed first under a heading of their
        own and selectable like items. The highlight stays on the same row when it is still listed, else at
        the same place.
        """
        kept_key = self.current_key if self._wanted is None else self._wanted[0]
        kept_index = self.highlighted if self._wanted is None else self._wanted[1]
        self._rows, self._today, self._reviews = rows, today, list(reviews)
        item_keys = [_key(item) if item else None for _, _, item in rows]
        self._items = {key: item for key, (_, _, item) in zip(item_keys, rows, strict=True) if key and item}
        keys: list[str | None] = [None, *(_REVIEW + incident_id for incident_id, _ in reviews)] if reviews else []
        keys += item_keys
        old_keys, self._keys = self._keys, keys
        found: int | None = None
        if kept_key is not None and kept_key in keys:
            found = keys.index(kept_key)
        elif kept_key is not None and kept_index is not None:
            # Gone (marked done, say): the line that came after it, wherever the new list puts it.
            on_review = kept_key.startswith(_REVIEW)
            where = {k: i for i, k in enumerate(keys) if k is not None}
            after = old_keys[kept_index + 1 :] if old_keys[kept_index : kept_index + 1] == [kept_key] else []
            found = next((where[k] for k in after if k in where and k.startswith(_REVIEW) == on_review), None)
        if found is None:
            # Stay on the same kind of row (an action item, what x and e act on, unless a review was chosen).
            on_review = kept_key is not None and kept_key.startswith(_REVIEW)
            start = min(kept_index, len(keys) - 1) if kept_index is not None else 0
            found = _nearest(keys, start, lambda k: k.startswith(_REVIEW) == on_review)
            if found is None:
                found = _nearest(keys, start, lambda k: True)
        if not self.scrollable_content_region.width:
            # Not laid out yet: the first resize lays the lines out for the width they get, once.
            self._wanted = (keys[found] if found is not None else None, found)
            return
        self._rebuild()
        if found is not None:
            self._extend_to(found + 1)
        self.highlighted = found

    @property
    def wanted_index(self) -> int | None:
        """The highlighted line, or the one to be highlighted once the list is laid out."""
        return self.highlighted if self._wanted is None else self._wanted[1]

    def forget_highlight(self) -> None:
        """The next `show` highlights its first action item, as a list shown for the first time does."""
        self._wanted = None
        self.highlighted = None

    @property
    def current_key(self) -> str | None:
        """`INCIDENT#NUMBER` of the highlighted item."""
        if self.highlighted is None or self.highlighted >= self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id

    @property
    def current_review(self) -> str | None:
        """The incident id of the highlighted overdue review."""
        key = self.current_key
        return key.removeprefix(_REVIEW) if key and key.startswith(_REVIEW) else None

    @property
    def current(self) -> ActionItem | None:
        """The highlighted action item."""
        key = self.current_key
        return self._items.get(key) if key else None

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._width:
            kept = self.highlighted if self._wanted is None else self._wanted[1]
            self._wanted = None
            self._rebuild()
            if kept is not None:
                self._extend_to(kept + 1)
            self.highlighted = kept

    def _rebuild(self) -> None:
        """Lay the lines out for the current width: a screenful now, the rest a batch at a time (made one by one,
        50,000 lines would hold up the first paint for seconds)."""
        self._width = self.scrollable_content_region.width
        entries: list[tuple[str, str, ActionItem | None]] = []
        if self._reviews:
            entries.append(("reviews", "", None))
            entries.extend(("review", incident_id, None) for incident_id, _ in self._reviews)
        entries.extend((group, str(count), item) for group, count, item in self._rows)
        self._entries = entries
        self.set_options([self._option(n) for n in range(min(BATCH, len(entries)))])
        if self.option_count < len(entries):
            self.set_timer(PAUSE, lambda: self._add_more(entries))

    def _add_more(self, entries: list[tuple[str, str, ActionItem | None]]) -> None:
        """The next batch of lines, unless they were laid out again meanwhile."""
        if entries is self._entries:
            self._extend_to(self.option_count + BATCH)
            if self.option_count < len(entries):
                self.set_timer(PAUSE, lambda: self._add_more(entries))

    def _extend_to(self, count: int) -> None:
        """Make sure the first `count` lines (or all there are) are in the list."""
        end = min(count, len(self._entries))
        if self.option_count < end:
            self.add_options([self._option(n) for n in range(self.option_count, end)])

    def _option(self, n: int) -> Option:
        """Line `n`: the reviews' heading, an overdue review, a group's heading or an action item (made into Textual
        content only when drawn: laying out the 5,000 lines above a highlight costs little)."""
        kind, text, item = self._entries[n]
        if kind == "reviews":
            heading = Text(f" {REVIEWS_HEADING} · {len(self._reviews)}", "bold red", no_wrap=True)
            return Option(LazyLine(heading), disabled=True)
        if kind == "review":
            review, width = self._reviews[n - 1][1], max(self._width, 40)

            def shown() -> Text:
                line = Text(" ", no_wrap=True, overflow="ellipsis")
                line.append_text(review)
                line.truncate(width, overflow="ellipsis")  # one line each, as items are
                return line

            if "\n" in review.plain:
                return Option(LazyLine(shown()), id=_REVIEW + text)
            return Option(LazyLine.later(shown, min(1 + review.cell_len, width)), id=_REVIEW + text)
        if item is None:
            heading = Text(f" {kind.upper()} · {text}", GROUP_STYLES.get(kind, "bold dim"), no_wrap=True)
            return Option(LazyLine(heading), disabled=True)
        return Option(LazyLine(self._line(item)), id=_key(item))

    def _line(self, item: ActionItem) -> Text:
        """One item: incident, number, title (the flexible part), owner, deadline, how it stands, priority."""
        width = max(self._width, 40)
        closed = item.is_closed
        late = item.is_overdue(self._today)
        style = "dim strike" if closed else ""
        owner = visible_line(item.owner.strip(" ")) or "unassigned"  # spaces alone are no one, as the order has it
        owner = set_cell_size(owner, min(cell_len(owner), 12))
        due = item.deadline.strftime("%d %b") if item.deadline else "—"
        stand = due_words(item, self._today)
        head = f" {visible_line(item.incident_id)} #{item.number}"
        tail_width = 13 + 7 + 10 + 3  # owner, deadline, how it stands, priority (each with its leading space)
        title_width = max(width - cell_len(head) - 2 - tail_width, 8)
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(head, "bold" if not closed else "dim")
        line.append("  " + _fit(visible_line(item.title), title_width), style)
        line.append(" " + set_cell_size(owner, 12), "italic yellow" if not item.owner.strip(" ") else style)
        line.append(" " + set_cell_size(due, 6), "italic yellow" if not item.deadline and not closed else style)
        line.append(" " + f"{stand:>9}", "bold red" if late else ("dim" if closed else ""))
        line.append(f" P{item.priority.value[1]}", style)
        return line

    def action_toggle_done(self) -> None:
        """Ask for the highlighted item to be marked done (or open again)."""
        if (item := self.current) is not None:
            self.post_message(self.ToggleRequested(self, item))
        elif self.current_review is not None:
            self.post_message(self.ItemKeyOnReview(self, "x"))

    def action_deadline(self) -> None:
        """Ask to change the highlighted item's deadline."""
        if (item := self.current) is not None:
            self.post_message(self.DeadlineRequested(self, item))
        elif self.current_review is not None:
            self.post_message(self.ItemKeyOnReview(self, "e"))

    def action_open(self) -> None:
        """Ask to open the highlighted item's incident, or the highlighted review's post-mortem."""
        if (item := self.current) is not None:
            self.post_message(self.OpenRequested(self, item))
        elif (incident_id := self.current_review) is not None:
            self.post_message(self.ReviewOpenRequested(self, incident_id))


def _nearest(keys: list[str | None], start: int, fits: Callable[[str], bool]) -> int | None:
    """The first line at or below `start` whose key fits, else the last one above it (None when none does)."""
    if not keys:
        return None
    below = next((i for i in range(start, len(keys)) if (k := keys[i]) is not None and fits(k)), None)
    if below is not None:
        return below
    return next((i for i in range(start, -1, -1) if (k := keys[i]) is not None and fits(k)), None)


def _key(item: ActionItem) -> str:
    """A unique key for an action item (incident ids never hold `#`)."""
    return f"{item.incident_id}#{item.number}"


def _fit(text: str, width: int) -> str:
    """Text cut (with an ellipsis) or padded to exactly `width` cells."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)
