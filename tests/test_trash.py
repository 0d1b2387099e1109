"""Deleted events, factors and action items: listed, restored, and never edited by mistake while deleted."""

from __future__ import annotations

from pathlib import Path

from tests.process_support import warroom_on
from warroom.store.store import Store

INC = "INC-1"


def test_action_set_on_a_deleted_item_refuses_in_one_line(db_path: Path, store: Store) -> None:
    """`action set 1 --status open` on a deleted item: exit 1, one line saying how to restore it, nothing changed."""
    store.create_incident("Checkout failing", id=INC)
    store.add_action(INC, "Alert on pool saturation")
    done = warroom_on(db_path, "action", "delete", "1")
    assert done.returncode == 0, done.stderr
    assert "action item 1 deleted" in done.stdout
    refused = warroom_on(db_path, "action", "set", "1", "--status", "done")
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr.count("\n") == 1 and "deleted" in refused.stderr and "action restore 1" in refused.stderr
    assert store.action(INC, 1).status.value == "open"
    assert warroom_on(db_path, "action", "done", "1").returncode == 1


def test_action_and_cause_restore_bring_items_back(db_path: Path, store: Store) -> None:
    """delete then restore: the item is listed again, with its previous version kept."""
    store.create_incident("Checkout failing", id=INC)
    store.add_action(INC, "Alert on pool saturation")
    store.add_factor(INC, "Pool too small", kind="root")
    for group in ("action", "cause"):
        assert warroom_on(db_path, group, "delete", "1").returncode == 0
    assert store.actions(INC) == [] and store.factors(INC) == []
    restored = warroom_on(db_path, "action", "restore", "1")
    assert (restored.returncode, restored.stdout) == (0, "action item 1 restored\n")
    restored = warroom_on(db_path, "cause", "restore", "1")
    assert (restored.returncode, restored.stdout) == (0, "factor 1 restored\n")
    assert [a.title for a in store.actions(INC)] == ["Alert on pool saturation"]
    assert [f.text for f in store.factors(INC)] == ["Pool too small"]
    again = warroom_on(db_path, "action", "restore", "1")
    assert again.returncode == 1 and "not deleted" in again.stderr


def test_editing_a_deleted_event_or_factor_refuses(db_path: Path, store: Store) -> None:
    """`event edit` and `cause edit` on deleted records: exit 1, nothing changed."""
    store.create_incident("Checkout failing", id=INC)
    event = store.log_event(INC, "pager fired")
    store.add_factor(INC, "Pool too small", kind="root")
    store.delete_event(event.id or 0)
    assert warroom_on(db_path, "cause", "delete", "1").returncode == 0
    edit = warroom_on(db_path, "event", "edit", str(event.id), "--text", "changed")
    assert edit.returncode == 1 and "event restore" in edit.stderr
    edit = warroom_on(db_path, "cause", "edit", "1", "--text", "changed")
    assert edit.returncode == 1 and "cause restore 1" in edit.stderr
    assert store.event(event.id or 0).text == "pager fired"
    assert store.factor(INC, 1).text == "Pool too small"


def test_a_version_5_file_gets_the_settings_table(db_path: Path, store: Store) -> None:
    """A file from before the settings table is migrated when opened: the theme can be kept, nothing else changes."""
    import sqlite3
    from contextlib import closing

    store.create_incident("Checkout failing", id=INC)
    store.close()
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("DROP TABLE settings")
        conn.execute("PRAGMA user_version=5")
        conn.commit()
    reopened = Store(db_path)
    try:
        reopened.save_setting("theme", "nord")
        assert reopened.setting("theme") == "nord"
        assert [i.incident.id for i in reopened.list_incidents()] == [INC]
    finally:
        reopened.close()
