"""The screens of the App, one module each; a screen reads the store and hands writes to the writer thread.

A screen's keys are its `BINDINGS` and `action_*` methods (the help screen and the key bar are built
from them; the README keys table lists them); keys of a pane inside it belong to the widget in
widgets/. Screens derive from base.py: `WarroomScreen` (the typed app, write results sent to the
screen), `WriterScreen` for those that change things (status line, `run_job`, undo).
A new or changed screen gets snapshot tests at 80x24 and 120x40 (tests/test_snapshots*.py).
"""
