"""The export screen: the post-mortem as it will be written, what it still lacks, and writing the file."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from warroom.store.config import Config
from warroom.store.export_md import render_markdown
from warroom.store.files import is_database_file, standard_stream, write_atomic
from warroom.store.kinds import FactorKind
from warroom.store.quality import Gap, GapKind, gaps
from warroom.store.related import RelatedIncident
from warroom.store.store import Store
from warroom.store.text import controls_visible_line, visible, visible_line
from warroom.tui import jobs
from warroom.tui.breakpoints import set_breakpoints_now
from warroom.tui.editors import action_form, factor_form, new_factor_form, path_form
from warroom.tui.postmortem_form import describe, postmortem_form, state_line
from warroom.tui.postmortem_jobs import set_postmortem
from warroom.tui.read_apart import read_apart
from warroom.tui.related_jobs import toggle_related
from warroom.tui.related_view import related_line
from warroom.tui.screens.form import ConfirmScreen
from warroom.tui.screens.postmortem import PostMortemScreen
from warroom.widgets.key_bar import KeyBar

#: Timeline rows the preview shows at most; the file always has all of them.
PREVIEW_ROWS = 100
_WRITEUP_GAPS = (GapKind.SUMMARY, GapKind.IMPACT, GapKind.LESSONS)
#: Where the blameless-language check finds text, and the write-up field or factor kind holding it.
LINT_FIELDS = {
    "summary": "summary",
    "customers affected": "customers_affected",
    "business impact": "business_impact",
    "what went well": "went_well",
    "what went wrong": "went_wrong",
    "where we got lucky": "got_lucky",
}
LINT_FACTORS = {
    "root cause": FactorKind.ROOT,
    "contributing factor": FactorKind.CONTRIBUTING,
    "trigger": FactorKind.TRIGGER,
}


def preview_text(markdown: str, max_rows: int = PREVIEW_ROWS) -> str:
    """The document with a very long timeline table shortened in the middle, so the preview stays quick."""
    lines = markdown.split("\n")
    try:
        start = lines.index("## Incident Timeline")
    except ValueError:
        return markdown
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    rows = [i for i in range(start + 1, end) if lines[i].startswith("|")][2:]  # after the header and separator
    if len(rows) <= max_rows:
        return markdown
    keep = max_rows // 2
    first_cut, last_cut = rows[keep], rows[-keep]
    note = f"| … | _{len(rows) - 2 * keep:,} more rows in the file; the preview skips them_ | … |"
    return "\n".join(lines[:first_cut] + [note] + lines[last_cut:])


#: What the export screen shows: the document, what is missing, and incidents like this one.
Preview = tuple[str, list[Gap], list[RelatedIncident]]


def _render(incident_id: str, tz: dt.tzinfo, config: Config) -> Callable[[Store], Preview]:
    """The preview, the checklist and the related incidents of one incident, read from `store`."""

    def render(store: Store) -> Preview:
        text = render_markdown(
            store, incident_id, tz, order=config.section_titles, related=store.shows_related_section(incident_id)
        )
        found = gaps(store, incident_id, tz, allow=config.lint_allow, required=config.required_sections)
        return text, found, store.related(incident_id)

    return render


class Rendered(Message, bubble=False):
    """The preview rendered off the UI thread (or why it could not be); handled by `ExportScreen.on_rendered`."""

    def __init__(self, result: Preview | None, error: BaseException | None) -> None:
        super().__init__()
        self.result = result
        self.error = error


class ExportScreen(PostMortemScreen):
    """The rendered post-mortem beside a checklist of what is missing; Enter on an item goes to its fix."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "write", "Write file", tooltip="Write the post-mortem as Markdown"),
        Binding("ctrl+y", "writeup", "Write-up", tooltip="Summary, impact and lessons"),
        Binding("p", "postmortem", "Stage/owner", tooltip="The post-mortem's stage, owner and review due date"),
        Binding("r", "related", "Related on/off", tooltip="Include the Related Incidents section, or leave it out"),
        Binding("ctrl+z", "undo", "Undo", tooltip="Undo the last change"),
        Binding("ctrl+g", "redo", "Redo", show=False, tooltip="Redo what ctrl+z took back"),
        Binding("escape", "back", "Back", tooltip="Back to the previous screen"),
    ]

    def __init__(self, incident_id: str) -> None:
        super().__init__(incident_id)
        self.markdown = ""
        self.gaps: list[Gap] = []
        self.written: Path | None = None

    def compose(self) -> ComposeResult:
        set_breakpoints_now(self)
        yield Static("", id="export-title", markup=False)
        yield Static("", id="pm-state", markup=False)
        with Horizontal(id="export-body"):
            with Vertical(id="preview-box"):
                yield Static("Preview: what `warroom export` writes", classes="pane-title", markup=False)
                with VerticalScroll(id="preview"):
                    yield Markdown("_Rendering the post-mortem…_", id="preview-md", open_links=False)
            with Vertical(id="checklist-box"):
                yield Static("Before it is finished (Enter fixes)", classes="pane-title", markup=False)
                yield OptionList(id="checklist")
        yield Static("", id="status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        super().on_mount()
        incident = self.wapp.store.incident(self.incident_id)
        title = Text(f" Export · {visible_line(incident.id)} · ", "bold")
        title.append(visible_line(incident.title))
        self.query_one("#export-title", Static).update(title)
        self.query_one("#checklist", OptionList).focus()
        self.reload()
        self.say("w writes the file · Enter on an item goes to its fix · Tab: preview")

    # -- reading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Render the document and the checklist again, in a worker: new entries never queue behind it."""
        super().reload()
        self._show_postmortem()
        path = self.wapp.store.path
        render = _render(self.incident_id, self.wapp.tz, self.wapp.config)
        if path is None:  # an in-memory database is only seen by its own connections: the writer renders it
            self.wapp.submit(render, self._show, reply_to=self)
            return
        self._render_in_worker(path, render)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _render_in_worker(self, path: Path, render: Callable[[Store], Preview]) -> None:
        """Render on a connection of this worker's own; the result is a message (dropped if the screen closed)."""
        result, error = read_apart(path, self.wapp.clock, render)
        if not get_current_worker().is_cancelled:  # a newer render replaced this one
            self.post_message(Rendered(result, error))

    def on_rendered(self, message: Rendered) -> None:
        self._show(message.result, message.error)

    def _show_postmortem(self) -> None:
        """The post-mortem's stage, owner and due date (one small query, read here)."""
        store = self.wapp.store
        pm = store.postmortem(self.incident_id, self.wapp.config, self.wapp.tz)
        self.query_one("#pm-state", Static).update(state_line(pm, store.now().astimezone(self.wapp.tz).date()))

    def action_postmortem(self) -> None:
        """Change the post-mortem's stage, owner or review due date (ctrl+z takes it back)."""
        pm = self.wapp.store.postmortem(self.incident_id, self.wapp.config, self.wapp.tz)

        def save(changes: dict[str, Any] | None) -> None:
            if changes is None:
                return
            if not changes:
                self.say("post-mortem unchanged")
                return
            self.run_job(set_postmortem(self.incident_id, describe(changes), **changes))

        self.app.push_screen(postmortem_form(pm), save)

    def action_related(self) -> None:
        """Include the Related Incidents section in the post-mortem, or leave it out (kept for the incident)."""
        self.run_job(toggle_related(self.incident_id))

    def _show(self, result: Preview | None, error: BaseException | None) -> None:
        if error is not None or result is None:
            self.say(f"could not render the post-mortem: {error}", error=True)
            return
        text, found, related = result
        if text != self.markdown:
            self.markdown = text
            self.query_one("#preview-md", Markdown).update(preview_text(text))
        self.gaps = found
        checklist = self.query_one("#checklist", OptionList)
        keep = checklist.highlighted
        checklist.clear_options()
        for i, gap in enumerate(found):
            checklist.add_option(Option(Text.assemble(("☐ ", "bold yellow"), gap.message), id=f"gap-{i}"))
        if not found:
            checklist.add_option(Option(Text("✓ Nothing missing: ready to share", "bold green"), disabled=True))
        if related:
            checklist.add_option(Option(Text("Related incidents (Enter opens)", "bold"), disabled=True))
            for item in related:
                checklist.add_option(Option(related_line(item, self.wapp.tz), id=f"related-{item.incident_id}"))
        if keep is not None and keep < checklist.option_count and not checklist.get_option_at_index(keep).disabled:
            checklist.highlighted = keep  # a re-read (a write here or elsewhere) leaves the cursor where it was
        elif found:
            checklist.highlighted = 0

    # -- fixing what is missing --------------------------------------------------------------

    @on(OptionList.OptionSelected, "#checklist")
    def _fix(self, message: OptionList.OptionSelected) -> None:
        option_id = message.option.id or ""
        if option_id.startswith("gap-"):
            self.fix(self.gaps[int(option_id.removeprefix("gap-"))])
        elif option_id.startswith("related-"):
            self.wapp.open_incident(option_id.removeprefix("related-"))

    def fix(self, gap: Gap) -> None:
        """Go to where a missing piece is filled in."""
        if gap.kind in _WRITEUP_GAPS:
            self.action_writeup(gap.where)
        elif gap.kind is GapKind.ROOT_CAUSE:
            self._new_root_cause()
        elif gap.kind in (GapKind.ACTION_OWNER, GapKind.ACTION_DEADLINE):
            field = "owner" if gap.kind is GapKind.ACTION_OWNER else "deadline"
            self._edit_action(int(gap.where.removeprefix("action:")), field)
        elif gap.kind is GapKind.ACTION_OVERDUE:
            self._edit_action(int(gap.where.removeprefix("action:")), "deadline")
        elif gap.kind is GapKind.RESOLVED:
            self.back_to_entry("!resolved ")
        elif gap.kind is GapKind.BEFORE_START:
            self.action_writeup(gap.where)  # the write-up form, on "Impact began"
        elif gap.kind is GapKind.OWNER:
            self.back_to_entry("/owner ")
        elif gap.kind is GapKind.STATUS:
            self.back_to_entry("/status resolved")
        elif gap.kind is GapKind.LANGUAGE:
            self._fix_wording(gap.where.removeprefix("lint:"))
        elif gap.kind is GapKind.SECTION:
            titles = self.wapp.config.section_titles
            title = gap.where.removeprefix("section:")
            self.action_writeup(f"section_{titles.index(title)}" if title in titles else None)

    def _fix_wording(self, location: str) -> None:
        """Open the text a blameless-language finding is in (locations as `warroom lint` names them)."""
        store = self.wapp.store
        label, _, number = location.rpartition(" ")
        if location in LINT_FIELDS:
            self.action_writeup(LINT_FIELDS[location])
        elif location == "title":
            # Into the line as stored (controls shown, as a paste is): Enter must not store zero-width marks.
            self.back_to_entry("/title " + controls_visible_line(store.incident(self.incident_id).title))
        elif label == "action item":
            self._edit_action(int(number), "title")
        elif location.startswith("timeline "):
            self._review_at(location.removeprefix("timeline "))
        elif label in LINT_FACTORS:
            factor = store.factor(self.incident_id, int(number))  # the factor's own number, as the form shows

            def save(changes: dict[str, Any] | None) -> None:
                if changes:
                    self.run_job(jobs.edit_factor(self.incident_id, factor.number, changes, "factor updated"))

            self.app.push_screen(factor_form(factor), save)

    def _review_at(self, stamp: str) -> None:
        """Open the review on the first event of the minute a finding names (HH:MM, or with the date)."""
        from warroom.tui.screens.review import ReviewScreen

        store, tz = self.wapp.store, self.wapp.tz
        first = store.events_page(self.incident_id, 0, 1)
        day = first[0].occurred_at.astimezone(tz).date().isoformat() if first else ""
        moment = dt.datetime.fromisoformat(stamp if " " in stamp else f"{day} {stamp}").replace(tzinfo=tz)
        found = store.first_event_from(self.incident_id, moment)
        self.app.push_screen(ReviewScreen(self.incident_id, start_event_id=found.id if found else None))

    def _new_root_cause(self) -> None:
        def save(result: dict[str, str] | None) -> None:
            if result:
                self.run_job(jobs.add_factor(self.incident_id, result["kind"], result["text"]))

        self.app.push_screen(new_factor_form("Root cause", FactorKind.ROOT), save)

    def _edit_action(self, number: int, field: str) -> None:
        item = self.wapp.store.action(self.incident_id, number)
        form = action_form(item)
        form.start_field = field

        def save(changes: dict[str, Any] | None) -> None:
            if changes:
                self.run_job(jobs.edit_action(self.incident_id, number, changes, f"action item {number} updated"))

        self.app.push_screen(form, save)

    def back_to_entry(self, text: str) -> None:
        """Return to the incident screen with `text` waiting in its entry line."""
        from warroom.tui.screens.incident import IncidentScreen

        stack = self.app.screen_stack
        target = next((s for s in reversed(stack) if isinstance(s, IncidentScreen)), None)
        if target is None:
            self.wapp.open_incident(self.incident_id)
            return
        for _ in range(len(stack) - 1 - stack.index(target)):
            self.app.pop_screen()
        self.app.call_after_refresh(target.prefill_entry, text)

    # -- writing the file --------------------------------------------------------------------

    def action_write(self) -> None:
        """Ask for a path and write the post-mortem there (never replacing anything unasked)."""
        default = f"{self.incident_id}-postmortem.md"
        self.app.push_screen(path_form("Write the post-mortem to", default), self._write_to)

    def _write_to(self, typed: str | None) -> None:
        if not typed:
            return
        path = Path(typed).expanduser()
        path = path if path.is_absolute() else Path.cwd() / path
        shown = visible(str(path))
        if standard_stream(path) is not None:
            # /dev/stdout here is the terminal the TUI is drawn on: the post-mortem would scramble the screen.
            self.say(f"{shown} is this terminal; give a file name", error=True)
        elif path.exists() and not path.is_file() and not path.is_dir():
            # Opening a named pipe waits for a reader: the writer thread, and every entry after it, would wait too.
            self.say(
                f"{shown} is a pipe or a device, not a file; give a file name (warroom export -o writes there)",
                error=True,
            )
        elif (database := self.wapp.store.path) is not None and is_database_file(path, database):
            self.say(f"{shown} is warroom's database; give another file name", error=True)
        elif path.is_symlink():
            target = visible(os.readlink(path))
            question = (
                f"{shown} is a symbolic link to {target}.\n"
                "Write the post-mortem to what it points to? The link itself is kept."
            )
            self._confirm(question, path, follow_symlink=True)
        elif path.is_dir():
            self.say(f"{shown} is a folder; give a file name", error=True)
        elif path.exists():
            self._confirm(f"{shown} already exists. Replace it?", path, follow_symlink=False)
        else:
            self._write(path, overwrite=False)

    def _confirm(self, question: str, path: Path, *, follow_symlink: bool) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._write(path, overwrite=True, follow_symlink=follow_symlink)
            else:
                self.say(f"nothing written; {visible(str(path))} was left as it was", error=True)

        self.app.push_screen(ConfirmScreen(question), answered)

    def _write(self, path: Path, *, overwrite: bool, follow_symlink: bool = False) -> None:
        """Render afresh and write atomically on the writer thread, so the file equals `warroom export`."""
        incident_id, tz, order = self.incident_id, self.wapp.tz, self.wapp.config.section_titles

        def job(store: Store) -> jobs.Outcome:
            text = render_markdown(
                store, incident_id, tz, order=order, related=store.shows_related_section(incident_id)
            )
            write_atomic(path, text, follow_symlink=follow_symlink, overwrite=overwrite, database=store.path)
            return jobs.Outcome(f"wrote {visible(str(path))}")

        def written(_: jobs.Outcome) -> None:
            self.written = path

        self.run_job(job, then=written)
