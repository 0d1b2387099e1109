"""Reusable Textual widgets: they take data in and post messages out; they never open the database."""
