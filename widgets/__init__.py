"""Reusable Textual widgets: they take data in and post messages out; they never open the database.

From the store they may import only records, kinds, text, span and time helpers (a `lint-imports`
contract): a widget is given plain records by its screen and asks for changes with a message. A key
that acts on a pane is in that widget's `BINDINGS` and its `action_*` method; the screen handles the
message it posts.
"""
