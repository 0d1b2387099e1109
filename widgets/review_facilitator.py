"""The facilitator's corner of a review: questions for this moment, and the ground rule, always."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

#: Open hypotheses listed before "and N more".
OPEN_SHOWN = 3
#: Open hypotheses numbered on the bottom border at most (more than the widest terminal shows).
BORDER_NUMBERS = 100
#: An `open_total` while the open hypotheses are still being counted.
NOT_COUNTED = -1


class FacilitatorPanel(Vertical):
    """Blameless prompts suited to the event's phase; the ground rule is docked so it is never cut off."""

    DEFAULT_CSS = """
    FacilitatorPanel {
        border: round $secondary;
        border-title-color: $secondary;
        border-title-style: bold;
        border-subtitle-color: $warning;
        padding: 0 1;
        height: auto;
    }
    FacilitatorPanel #facilitator-prompts { height: auto; }
    FacilitatorPanel #facilitator-rule { dock: bottom; height: auto; color: $success; text-style: italic bold; }
    """

    def __init__(self, ground_rule: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ground_rule = ground_rule
        self.prompts: list[str] = []
        #: What the panel shows now (`show`'s arguments): a step to an event with the same questions repaints nothing.
        self._shown: tuple[str, tuple[str, ...], tuple[str, ...], int | None] | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="facilitator-prompts", markup=False)
        yield Static(Text(f"⚖ {self.ground_rule}"), id="facilitator-rule", markup=False)

    def on_mount(self) -> None:
        self.border_title = Content("Facilitator")

    def show(
        self, phase: str, prompts: Sequence[str], open_hypotheses: Sequence[str] = (), open_total: int | None = None
    ) -> None:
        """Questions for the current event, under its phase's name; then the hypotheses nobody has settled yet.

        `open_hypotheses`: each already a line such as `#5 payments deploy broke it?` (shown literally): all of
        them, or only the first ones in timeline order, `open_total` saying how many there are (NOT_COUNTED while
        they are being counted: "and more" stands for the number).
        """
        wanted = (phase, tuple(prompts), tuple(open_hypotheses), open_total)
        if wanted == self._shown:
            return
        self._shown = wanted
        total = len(open_hypotheses) if open_total is None else open_total
        self.prompts = list(prompts)
        self.border_title = Content(f"Facilitator · {phase}")
        # A grid, so a question that wraps keeps its indent under the bullet.
        body = Table.grid(padding=(0, 1))
        body.add_column(no_wrap=True)
        body.add_column(ratio=1)
        for prompt in prompts:
            body.add_row(Text("•", "bold"), Text(prompt))
        # The numbers also go on the bottom border, which stays in sight when a short terminal cuts the list;
        # as many as a border could hold (an incident may have 100,000 open: not joined at every step).
        numbers = " ".join(line.split(" ", 1)[0] for line in open_hypotheses[:BORDER_NUMBERS])
        if (len(open_hypotheses) if total == NOT_COUNTED else total) > BORDER_NUMBERS:
            numbers += " …"
        self.border_subtitle = Content(f"open hypotheses {numbers}") if numbers else None
        shown = list(open_hypotheses[:OPEN_SHOWN])
        if total == NOT_COUNTED and len(open_hypotheses) > OPEN_SHOWN:
            shown.append("and more (warroom hypothesis list)")
        elif total > OPEN_SHOWN:
            shown.append(f"and {total - OPEN_SHOWN} more (warroom hypothesis list)")
        for n, line in enumerate(shown):
            label = Text("Open:" if n == 0 else "", "bold yellow")
            body.add_row(label, Text(line, no_wrap=True, overflow="ellipsis"))
        self.query_one("#facilitator-prompts", Static).update(body)
