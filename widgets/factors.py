"""The root-cause pane: root cause, contributing factors and trigger, then the free-form notes."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from warroom.store.kinds import FactorKind
from warroom.store.records import Factor
from warroom.store.text import visible
from warroom.widgets.item_messages import DeleteItem, EditItem

KIND_TITLES = {FactorKind.ROOT: "ROOT", FactorKind.CONTRIBUTING: "CONTRIB", FactorKind.TRIGGER: "TRIGGER"}
KIND_STYLES = {FactorKind.ROOT: "bold red", FactorKind.CONTRIBUTING: "yellow", FactorKind.TRIGGER: "magenta"}
ORDER = [FactorKind.ROOT, FactorKind.TRIGGER, FactorKind.CONTRIBUTING]


class FactorsPane(OptionList):
    """Factors, root cause first; the notes follow as a last, read-only entry."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e,enter", "edit", "Edit"),
        Binding("d,delete", "delete", "Delete"),
    ]

    DEFAULT_CSS = """
    FactorsPane { background: $surface; border: none; padding: 0; }
    """

    def show(self, factors: list[Factor], notes: str) -> None:
        """Replace the contents, keeping the highlight where it was."""
        keep = self.highlighted
        self.clear_options()
        ordered = sorted(factors, key=lambda f: (ORDER.index(f.kind), f.number))
        for f in ordered:
            line = Text(no_wrap=False)
            line.append(f"{KIND_TITLES[f.kind]:<8}", KIND_STYLES[f.kind])
            line.append(visible(f.text))
            self.add_option(Option(line, id=f"factor-{f.number}"))
        if not ordered:
            self.add_option(Option(Text("No factors yet: /cause, /contrib, /trigger", "dim italic"), disabled=True))
        if notes.strip():
            self.add_option(Option(Text.assemble(("NOTES   ", "bold"), visible(notes)), id="notes"))
        if keep is not None and self.option_count:
            self.highlighted = min(keep, self.option_count - 1)

    def highlight_number(self, number: int) -> None:
        """Put the highlight on factor `number` (after it was restored), if it is shown."""
        for index in range(self.option_count):
            if self.get_option_at_index(index).id == f"factor-{number}":
                self.highlighted = index
                return

    def on_focus(self) -> None:
        # OptionList starts with nothing highlighted, so e and d would do nothing until an arrow key was pressed.
        if self.highlighted is None:
            self.action_first()

    def _current_number(self) -> int | None:
        if self.highlighted is None:
            return None
        option_id = self.get_option_at_index(self.highlighted).id or ""
        return int(option_id.removeprefix("factor-")) if option_id.startswith("factor-") else None

    def action_edit(self) -> None:
        """Edit the highlighted factor (or the notes)."""
        number = self._current_number()
        if number is not None:
            self.post_message(EditItem(self, number))
        elif self.highlighted is not None and self.get_option_at_index(self.highlighted).id == "notes":
            self.post_message(EditItem(self, 0))

    def action_delete(self) -> None:
        """Delete the highlighted factor."""
        number = self._current_number()
        if number is not None:
            self.post_message(DeleteItem(self, number))
