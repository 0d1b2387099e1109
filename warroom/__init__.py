"""warroom: keyboard-first incident capture and blameless post-mortems.

Three layers, one direction of dependency (the `lint-imports` contracts in pyproject.toml; `mypy`
checks the whole package strictly, configured there too):

- ``warroom.store``: records, the SQLite store, migrations, time parsing, the quick-entry grammar,
  import and export. Plain Python; never imports Textual. Go here to change a table, a field, the
  export or a slash command.
- ``warroom.widgets``: Textual widgets that take plain records in and post messages out; they never
  open the database. Go here to change how a pane looks or the keys it handles.
- ``warroom.tui``: the App, its screens (``warroom.tui.screens``) and styles, and the ``warroom``
  command line; it wires the widgets to the store. Go here to change a screen, an app-wide key or a
  command.

The layers live in the repository's top-level folders store/, widgets/ and tui/; this folder links
to them, so one package holds all three. The README's "Layout of the code" lists the files for each
kind of change.
"""
