"""The warroom App, its screens and styles, and the `warroom` command line: the layer that wires widgets to the store.

Where to change: a screen, tui/screens/ (one module each); app-wide keys and which screen
opens first, app.py; styles, app.tcss and postmortem.tcss; a command, cli.py and the cli_*.py module
of its group (they import Textual only inside the TUI's commands, so shell commands start fast);
writes from the screens, jobs.py (run on the writer thread of writer.py); a long read off the UI thread,
read_apart.py; undo and redo, history.py.
"""
