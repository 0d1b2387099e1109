"""warroom: keyboard-first incident capture and blameless post-mortems.

Three layers, one direction of dependency (import-linter contracts in pyproject.toml):

- ``warroom.store``: records, the SQLite store, time parsing, the quick-entry grammar, import and
  export. Plain Python; never imports Textual.
- ``warroom.widgets``: Textual widgets that take plain records in and post messages out; they never
  open the database.
- ``warroom.tui``: the App, its screens and styles, and the ``warroom`` command line; it wires the
  widgets to the store.
"""
