"""One modal form for every edit: labelled fields, Enter (or ctrl+s) to save, Escape to cancel."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static, TextArea

from warroom.store.errors import WarroomError
from warroom.store.text import visible, zero_width_back
from warroom.widgets.line_input import LineInput
from warroom.widgets.text_box import TextBox


@dataclass
class Field:
    """One input of a form."""

    name: str
    label: str
    value: str = ""
    options: list[str] = field(default_factory=list)  # a Select when given
    #: What each option is shown as, when more than its value helps (a severity and its meaning).
    option_labels: list[str] = field(default_factory=list)
    multiline: bool = False  # a TextArea when true
    placeholder: str = ""


Validate = Callable[[dict[str, str]], Any]


class FormScreen(ModalScreen[Any]):
    """Edit some fields; the `validate` callback turns them into a result or raises a clear error."""

    AUTO_FOCUS = "Input, Select, TextArea"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]

    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > Vertical {
        width: 90%; max-width: 100; height: auto; max-height: 95%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    FormScreen .form-title { text-style: bold; width: 1fr; }
    FormScreen VerticalScroll { height: auto; max-height: 1fr; }
    FormScreen .form-row { height: 1; margin-top: 1; }
    FormScreen .form-row Label { width: 14; color: $text-muted; }
    FormScreen .form-row Input, FormScreen .form-row Select { width: 1fr; }
    FormScreen Input.-textual-compact { background: $boost; }
    FormScreen TextArea { height: 8; }
    FormScreen VerticalScroll > Label { width: 1fr; height: auto; }
    FormScreen .form-error { color: $error; text-style: bold; height: auto; }
    FormScreen .form-help { color: $text-muted; }
    """

    def __init__(
        self,
        title: str,
        fields: list[Field],
        validate: Validate,
        *,
        help: str = "",
        focus: str | None = None,
        draft: tuple[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.validate = validate
        self.help = help or "Enter or ctrl+s saves · Escape cancels · Tab moves between fields"
        self.start_field = focus
        # (incident id, name): what is typed here is kept as a draft under that name if the app closes first.
        self.draft = draft
        self._opened: dict[str, str] | None = None
        # The field widgets by name, kept: their text is still read when the form closes, after they are removed.
        self._widgets: dict[str, Input | Select[str] | TextArea] = {}
        self._answered = False
        # What was typed on a closed Select, and which one: "1" or "sev1" picks SEV1 (see on_key).
        self._typed: tuple[str, str] = ("", "")
        #: Multi-line fields whose restored draft was over their limit: (the text shown, the draft's whole text).
        self._cut: dict[str, tuple[str, str]] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.form_title, classes="form-title", markup=False)
            with VerticalScroll():
                for f in self.fields:
                    if f.multiline:
                        yield Label(f.label, markup=False)  # a config section's title and prompt, as written
                        area = TextBox(visible(f.value), id=f"f-{f.name}", soft_wrap=True)
                        self._widgets[f.name] = area
                        yield area
                        continue
                    with Horizontal(classes="form-row"):
                        yield Label(f.label)
                        widget: Input | Select[str]
                        if f.options:
                            widget = Select(
                                list(zip(f.option_labels or f.options, f.options, strict=True)),
                                value=f.value if f.value in f.options else Select.NULL,
                                id=f"f-{f.name}",
                                allow_blank=f.value not in f.options,
                                compact=True,
                            )
                        else:
                            widget = LineInput(
                                visible(f.value),
                                placeholder=f.placeholder,
                                id=f"f-{f.name}",
                                compact=True,
                                select_on_focus=False,
                            )
                        self._widgets[f.name] = widget
                        yield widget
            yield Static("", classes="form-error", markup=False)
            yield Static(self.help, classes="form-help", markup=False)

    def on_mount(self) -> None:
        self._opened = self.values()
        self._restore_draft()
        if self.start_field is not None:
            # Opened to fix one thing (from the export checklist): start on that field.
            self.query_one(f"#f-{self.start_field}").focus()

    def values(self) -> dict[str, str]:
        """What each field holds now."""
        out: dict[str, str] = {}
        for f in self.fields:
            widget = self._widgets[f.name] if f.name in self._widgets else self.query_one(f"#f-{f.name}")
            if isinstance(widget, Select):
                out[f.name] = "" if widget.value is Select.NULL else str(widget.value)
            else:
                assert isinstance(widget, (Input, TextArea))
                shown = widget.text if isinstance(widget, TextArea) else widget.value
                # Control characters were shown as symbols (never sent to the terminal): untouched text keeps them.
                # Edited text keeps its zero-width characters, shown as marks (⟨U+200B⟩) the user may delete.
                out[f.name] = f.value if shown == visible(f.value) else zero_width_back(shown)
        return out

    def changed(self) -> bool:
        """Whether anything was typed since the form opened."""
        return self._opened is not None and self.values() != self._opened

    def loses_on_quit(self) -> bool:
        """Whether quitting now would throw away typed text (a form with no draft to keep it in)."""
        return self.draft is None and self.changed()

    def _restore_draft(self) -> None:
        store = getattr(self.app, "store", None)
        if self.draft is None or store is None:
            return
        raw = store.draft(*self.draft)
        if not raw:
            return
        saved = json.loads(raw)
        said = "restored what you typed before the app closed"
        for f in self.fields:
            if f.name not in saved:
                continue
            widget = self.query_one(f"#f-{f.name}")
            value = str(saved[f.name])
            if isinstance(widget, Select):
                if value in f.options:
                    widget.value = value
            elif isinstance(widget, TextBox) and len(value) > widget.max_length:
                # Loading bypasses the box's cap: a draft from before the cap (or the file of a version with a
                # higher one) would fill it past what a save accepts. It shows what fits, and the draft keeps
                # the whole text while that field is left as restored (see on_unmount).
                widget.load_text(value[: widget.max_length])
                self._cut[f.name] = (widget.text, value)
                said = (
                    f"restored your draft; {f.label.splitlines()[0] if f.label else f.name}: cut to the limit of"
                    f" {widget.max_length:,} characters (the draft keeps all {len(value):,} until you edit it or save)"
                )
            elif isinstance(widget, TextArea):
                widget.load_text(value)
            elif isinstance(widget, Input):
                widget.value = value
        self.query_one(".form-error", Static).update(said)

    def _write_draft(self, values: dict[str, str] | None) -> None:
        """Keep (or with None, clear) this form's draft; the writer finishes it even while the app closes."""
        submit = getattr(self.app, "submit", None)
        if self.draft is None or submit is None:
            return
        incident_id, name = self.draft
        text = json.dumps(values, sort_keys=True) if values is not None else ""

        def job(store: Any) -> Any:
            store.save_draft(incident_id, name, text)

        submit(job, lambda _result, _error: None)

    def on_unmount(self) -> None:
        # Closed without save or cancel (ctrl+q, a crash of the screen under it): what was typed is kept.
        if not self._answered and self.changed():
            values = self.values()
            for name, (shown, whole) in self._cut.items():
                box = self._widgets.get(name)
                if isinstance(box, TextArea) and box.text == shown:
                    values[name] = whole  # still as restored: what did not fit stays in the draft
            self._write_draft(values)

    def _finish(self, result: Any) -> None:
        self._answered = True
        if self.draft is not None:
            self._write_draft(None)
        self.dismiss(result)

    def on_key(self, event: events.Key) -> None:
        """A letter or digit on a closed Select picks an option, so typing `1` in Severity never goes nowhere."""
        select = self.focused
        if not isinstance(select, Select) or select.expanded or not event.is_printable or not event.character:
            return
        options = [f.options for f in self.fields if f"f-{f.name}" == select.id]
        if not options or event.character.isspace():
            return
        event.stop()
        event.prevent_default()
        typed = self._typed[1] if self._typed[0] == select.id else ""
        for wanted in (typed + event.character.lower(), event.character.lower()):
            # The start of an option first ("sev1", "res"), then one it ends with ("1" for SEV1).
            found = next((o for o in options[0] if o.lower().startswith(wanted)), None)
            found = found or next((o for o in options[0] if o.lower().endswith(wanted)), None)
            if found is not None:
                self._typed = (select.id or "", wanted)
                select.value = found
                return
        self._typed = ("", "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        """Validate and close with the result, or show why not."""
        try:
            result = self.validate(self.values())
        except WarroomError as exc:
            self.query_one(".form-error", Static).update(str(exc))
            return
        self._finish(result)

    def action_cancel(self) -> None:
        """Close without saving; what was typed is only thrown away when you say so."""
        if not self.changed():
            self._finish(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._finish(None)

        self.app.push_screen(DiscardScreen("Throw away what you typed in this form?  (n keeps editing)"), answered)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; y or Enter confirms, n or Escape declines."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Static {
        width: 70%; max-width: 80; height: auto; border: thick $warning; background: $surface; padding: 1 2;
    }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        yield Static(f"{self.question}\n\n[y] yes   [n] no", markup=False)

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)


class DiscardScreen(ConfirmScreen):
    """Throw typed text away? Only y says yes: Enter typed in the same burst as Escape keeps the text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Throw away"),
        Binding("n,escape,enter", "answer(False)", "Keep editing"),
    ]
