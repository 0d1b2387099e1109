"""The schema, step by step: each migration is literal SQL, frozen once released.

STEPS[n] takes a file at version n-1 to version n. Never edit a released step: a file migrated by it
must mean the same as one migrated by the new code. Change the schema by adding the next step (and
bump SCHEMA_VERSION); tests/test_migrations.py builds a file at every old version and migrates it.
"""

from __future__ import annotations

#: The first schema: incidents, events, factors, action items, drafts and revisions.
V1: tuple[str, ...] = (
    """CREATE TABLE "incidents" (
   "id" TEXT PRIMARY KEY,
   "title" TEXT NOT NULL,
   "severity" TEXT NOT NULL,
   "status" TEXT NOT NULL,
   "owner" TEXT NOT NULL,
   "commander" TEXT NOT NULL,
   "scribe" TEXT NOT NULL,
   "comms" TEXT NOT NULL,
   "started_at" TEXT NOT NULL,
   "detected_at" TEXT,
   "mitigated_at" TEXT,
   "resolved_at" TEXT,
   "summary" TEXT NOT NULL,
   "customers_affected" TEXT NOT NULL,
   "business_impact" TEXT NOT NULL,
   "went_well" TEXT NOT NULL,
   "went_wrong" TEXT NOT NULL,
   "got_lucky" TEXT NOT NULL,
   "notes" TEXT NOT NULL,
   "tags" TEXT NOT NULL,
   "created_at" TEXT NOT NULL,
   "updated_at" TEXT NOT NULL
)""",
    """CREATE TABLE "events" (
   "id" INTEGER PRIMARY KEY,
   "incident_id" TEXT NOT NULL REFERENCES "incidents"("id"),
   "occurred_at" TEXT NOT NULL,
   "logged_at" TEXT NOT NULL,
   "text" TEXT NOT NULL,
   "kind" TEXT NOT NULL,
   "team" TEXT NOT NULL,
   "author" TEXT NOT NULL,
   "milestone" TEXT,
   "starred" INTEGER NOT NULL,
   "source" TEXT NOT NULL,
   "deleted_at" TEXT
)""",
    """CREATE TABLE "factors" (
   "id" INTEGER PRIMARY KEY,
   "incident_id" TEXT NOT NULL REFERENCES "incidents"("id"),
   "number" INTEGER NOT NULL,
   "kind" TEXT NOT NULL,
   "text" TEXT NOT NULL,
   "created_at" TEXT NOT NULL,
   "updated_at" TEXT NOT NULL,
   "deleted_at" TEXT
)""",
    """CREATE TABLE "factor_events" (
   "factor_id" INTEGER REFERENCES "factors"("id"),
   "event_id" INTEGER REFERENCES "events"("id"),
   PRIMARY KEY ("factor_id", "event_id")
)""",
    """CREATE TABLE "action_items" (
   "id" INTEGER PRIMARY KEY,
   "incident_id" TEXT NOT NULL REFERENCES "incidents"("id"),
   "number" INTEGER NOT NULL,
   "title" TEXT NOT NULL,
   "owner" TEXT NOT NULL,
   "deadline" TEXT,
   "priority" TEXT NOT NULL,
   "status" TEXT NOT NULL,
   "type" TEXT NOT NULL,
   "ticket" TEXT NOT NULL,
   "event_id" INTEGER,
   "created_at" TEXT NOT NULL,
   "updated_at" TEXT NOT NULL,
   "done_at" TEXT,
   "deleted_at" TEXT
)""",
    """CREATE TABLE "drafts" (
   "incident_id" TEXT NOT NULL REFERENCES "incidents"("id"),
   "field" TEXT NOT NULL,
   "text" TEXT NOT NULL,
   "updated_at" TEXT NOT NULL,
   PRIMARY KEY ("incident_id", "field")
)""",
    """CREATE TABLE "revisions" (
   "id" INTEGER PRIMARY KEY,
   "record_type" TEXT NOT NULL,
   "record_id" TEXT NOT NULL,
   "data" TEXT NOT NULL,
   "replaced_at" TEXT NOT NULL
)""",
    "CREATE INDEX idx_events_timeline ON events (incident_id, occurred_at, id)",
    "CREATE INDEX idx_factors_incident ON factors (incident_id, number)",
    "CREATE UNIQUE INDEX idx_actions_number ON action_items (incident_id, number)",
    "CREATE INDEX idx_actions_deadline ON action_items (deadline)",
    "CREATE INDEX idx_revisions_record ON revisions (record_type, record_id, id)",
)

#: Phrases the blameless-language check is told to accept, per incident.
V2: tuple[str, ...] = (
    """CREATE TABLE "lint_allow" (
   "incident_id" TEXT NOT NULL REFERENCES "incidents"("id"),
   "phrase" TEXT NOT NULL,
   PRIMARY KEY ("incident_id", "phrase")
)""",
)

#: Instant at any size: partial indexes for the live timeline and milestones, one full-text index kept by triggers.
V3: tuple[str, ...] = (
    "CREATE INDEX idx_events_live ON events (incident_id, occurred_at, id) WHERE deleted_at IS NULL",
    "CREATE INDEX idx_events_milestones ON events (incident_id, milestone, occurred_at) WHERE milestone IS NOT NULL AND deleted_at IS NULL",
    "CREATE VIRTUAL TABLE search_index USING fts5(text, record_type UNINDEXED, record_id UNINDEXED, incident_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_events_insert AFTER INSERT ON events BEGIN INSERT INTO search_index (rowid, text, record_type, record_id, incident_id) SELECT NEW.id * 4, NEW.text, 'event', NEW.id, NEW.incident_id WHERE NEW.deleted_at IS NULL; END",
    "CREATE TRIGGER search_events_update AFTER UPDATE OF text, deleted_at, incident_id ON events BEGIN DELETE FROM search_index WHERE rowid = OLD.id * 4; INSERT INTO search_index (rowid, text, record_type, record_id, incident_id) SELECT NEW.id * 4, NEW.text, 'event', NEW.id, NEW.incident_id WHERE NEW.deleted_at IS NULL; END",
    "CREATE TRIGGER search_events_delete AFTER DELETE ON events BEGIN DELETE FROM search_index WHERE rowid = OLD.id * 4; END",
    "CREATE TRIGGER search_factors_insert AFTER INSERT ON factors BEGIN INSERT INTO search_index (rowid, text, record_type, record_id, incident_id) SELECT NEW.id * 4 + 1, NEW.text, 'factor', NEW.id, NEW.incident_id WHERE NEW.deleted_at IS NULL; END",
    "CREATE TRIGGER search_factors_update AFTER UPDATE OF text, deleted_at, incident_id ON factors BEGIN DELETE FROM search_index WHERE rowid = OLD.id * 4 + 1; INSERT INTO search_index (rowid, text, record_type, record_id, incident_id) SELECT NEW.id * 4 + 1, NEW.text, 'factor', NEW.id, NEW.incident_id WHERE NEW.deleted_at IS NULL; END",
    "CREATE TRIGGER search_factors_delete AFTER DELETE ON factors BEGIN DELETE FROM search_index WHERE rowid = OLD.id * 4 + 1; END",
    "CREATE TRIGGER search_action_items_insert AFTER INSERT ON action_items BEGIN INSERT INTO search_index (rowid, text, record_type, record_id, incident_id) SELECT NEW.id * 4 + 2, NEW.title, 'action', NEW.id, NEW.incident_id WHERE NEW.deleted_at IS NULL; END",
    "CREATE TRIGGER search_action_items_update AFTER UPDATE OF title, deleted_at, incident_id ON action_items BEGIN DELETE FROM search_index WHERE rowid = OLD.id * 4 + 2; INSERT INTO search_index (rowid, text, record_type, record_id, incident_id) SELECT NEW.id * 4 + 2, NEW.title, 'action', NEW.id, NEW.incident_id WHERE NEW.deleted_at IS NULL; END",
    "CREATE TRIGGER search_action_items_delete AFTER DELETE ON action_items BEGIN DELETE FROM search_index WHERE rowid = OLD.id * 4 + 2; END",
    "CREATE TRIGGER search_incidents_insert AFTER INSERT ON incidents BEGIN INSERT INTO search_index (rowid, text, record_type, record_id, incident_id) SELECT NEW.rowid * 4 + 3, COALESCE(NEW.title, '') || char(10) || COALESCE(NEW.summary, '') || char(10) || COALESCE(NEW.customers_affected, '') || char(10) || COALESCE(NEW.business_impact, '') || char(10) || COALESCE(NEW.went_well, '') || char(10) || COALESCE(NEW.went_wrong, '') || char(10) || COALESCE(NEW.got_lucky, '') || char(10) || COALESCE(NEW.notes, ''), 'incident', NEW.id, NEW.id WHERE 1; END",
    "CREATE TRIGGER search_incidents_update AFTER UPDATE OF title, summary, customers_affected, business_impact, went_well, went_wrong, got_lucky, notes ON incidents BEGIN DELETE FROM search_index WHERE rowid = OLD.rowid * 4 + 3; INSERT INTO search_index (rowid, text, record_type, record_id, incident_id) SELECT NEW.rowid * 4 + 3, COALESCE(NEW.title, '') || char(10) || COALESCE(NEW.summary, '') || char(10) || COALESCE(NEW.customers_affected, '') || char(10) || COALESCE(NEW.business_impact, '') || char(10) || COALESCE(NEW.went_well, '') || char(10) || COALESCE(NEW.went_wrong, '') || char(10) || COALESCE(NEW.got_lucky, '') || char(10) || COALESCE(NEW.notes, ''), 'incident', NEW.id, NEW.id WHERE 1; END",
    "CREATE TRIGGER search_incidents_delete AFTER DELETE ON incidents BEGIN DELETE FROM search_index WHERE rowid = OLD.rowid * 4 + 3; END",
    "INSERT INTO search_index (rowid, text, record_type, record_id, incident_id) SELECT r.id * 4, r.text, 'event', r.id, r.incident_id FROM events AS r WHERE r.deleted_at IS NULL",
    "INSERT INTO search_index (rowid, text, record_type, record_id, incident_id) SELECT r.id * 4 + 1, r.text, 'factor', r.id, r.incident_id FROM factors AS r WHERE r.deleted_at IS NULL",
    "INSERT INTO search_index (rowid, text, record_type, record_id, incident_id) SELECT r.id * 4 + 2, r.title, 'action', r.id, r.incident_id FROM action_items AS r WHERE r.deleted_at IS NULL",
    "INSERT INTO search_index (rowid, text, record_type, record_id, incident_id) SELECT r.rowid * 4 + 3, COALESCE(r.title, '') || char(10) || COALESCE(r.summary, '') || char(10) || COALESCE(r.customers_affected, '') || char(10) || COALESCE(r.business_impact, '') || char(10) || COALESCE(r.went_well, '') || char(10) || COALESCE(r.went_wrong, '') || char(10) || COALESCE(r.got_lucky, '') || char(10) || COALESCE(r.notes, ''), 'incident', r.id, r.id FROM incidents AS r WHERE 1",
)

#: SQL views of the metrics (incident_metrics, action_followthrough, incidents_by_month) for SQL readers.
V4: tuple[str, ...] = (
    "DROP VIEW IF EXISTS incident_metrics",
    "DROP VIEW IF EXISTS action_followthrough",
    "DROP VIEW IF EXISTS incidents_by_month",
    """CREATE VIEW incident_metrics AS
WITH milestones AS (
    SELECT incident_id, milestone, MIN(occurred_at) AS at
    FROM events
    WHERE deleted_at IS NULL AND milestone IS NOT NULL
    GROUP BY incident_id, milestone
),
times AS (
    SELECT i.id, i.title, i.severity, i.status, i.owner, i.started_at,
        COALESCE(d.at, i.detected_at) AS detected_at,
        COALESCE(m.at, i.mitigated_at) AS mitigated_at,
        COALESCE(r.at, i.resolved_at) AS resolved_at
    FROM incidents i
    LEFT JOIN milestones d ON d.incident_id = i.id AND d.milestone = 'detected'
    LEFT JOIN milestones m ON m.incident_id = i.id AND m.milestone = 'mitigated'
    LEFT JOIN milestones r ON r.incident_id = i.id AND r.milestone = 'resolved'
)
SELECT
    id AS incident_id, title, severity, status, owner,
    substr(started_at, 1, 7) AS started_month,
    started_at, detected_at, mitigated_at, resolved_at,
    CAST(strftime('%s', detected_at) AS INTEGER) - CAST(strftime('%s', started_at) AS INTEGER) AS seconds_to_detect,
    CAST(strftime('%s', mitigated_at) AS INTEGER) - CAST(strftime('%s', started_at) AS INTEGER) AS seconds_to_mitigate,
    CAST(strftime('%s', resolved_at) AS INTEGER) - CAST(strftime('%s', started_at) AS INTEGER) AS seconds_to_resolve
FROM times""",
    """CREATE VIEW action_followthrough AS
SELECT
    a.incident_id, a.number, a.title, a.owner, a.priority, a.status, a.deadline,
    date(a.done_at) AS closed_on,
    a.status IN ('done', 'won''t do') AS closed,
    COALESCE(a.status NOT IN ('done', 'won''t do') AND a.deadline < date('now'), 0) AS overdue,
    CASE
        WHEN a.deadline IS NULL THEN NULL
        WHEN a.status IN ('done', 'won''t do') THEN date(a.done_at) <= a.deadline
        WHEN a.deadline < date('now') THEN 0
    END AS closed_by_deadline
FROM action_items a
WHERE a.deleted_at IS NULL""",
    """CREATE VIEW incidents_by_month AS
SELECT started_month AS month, severity, COUNT(*) AS incidents
FROM incident_metrics
GROUP BY started_month, severity""",
)

#: The full-text index merges its segments when a program is idle, not inside someone's write.
V5: tuple[str, ...] = ("INSERT INTO search_index(search_index, rank) VALUES('automerge', 0)",)

#: Post-mortem workflow: stage, owner and review due date per incident (store/postmortem_flow.py).
V6: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS postmortems (
   incident_id TEXT PRIMARY KEY REFERENCES incidents(id),
   status TEXT NOT NULL,
   owner TEXT NOT NULL,
   review_due TEXT,
   reviewed_at TEXT,
   published_at TEXT,
   updated_at TEXT NOT NULL
)""",
)

#: Follow the presenter: the event each incident's presenting review screen shows (Writes.present, Reads.presented).
V7: tuple[str, ...] = (
    "CREATE TABLE IF NOT EXISTS presenting ("
    " incident_id TEXT PRIMARY KEY REFERENCES incidents(id),"
    " event_id INTEGER NOT NULL,"
    " presenter TEXT NOT NULL DEFAULT '',"
    " moved_at TEXT NOT NULL"
    ")",
)

#: Settings of the person using the file (the TUI's theme), one row per name.
V8: tuple[str, ...] = (
    "CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)",
)

#: Each incident's count of live events, kept by triggers: opening a million-event timeline reads one row.
#: Safe to run again (a file whose version was set back): the counts are made afresh.
V9: tuple[str, ...] = (
    "CREATE TABLE IF NOT EXISTS live_event_counts (incident_id TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID",
    "DELETE FROM live_event_counts",
    "DROP TRIGGER IF EXISTS live_count_insert",
    "DROP TRIGGER IF EXISTS live_count_delete",
    "DROP TRIGGER IF EXISTS live_count_update",
    "INSERT INTO live_event_counts (incident_id, n) "
    "SELECT incident_id, COUNT(*) FROM events WHERE deleted_at IS NULL GROUP BY incident_id",
    "CREATE TRIGGER live_count_insert AFTER INSERT ON events WHEN NEW.deleted_at IS NULL BEGIN "
    "INSERT INTO live_event_counts (incident_id, n) VALUES (NEW.incident_id, 1) "
    "ON CONFLICT (incident_id) DO UPDATE SET n = n + 1; END",
    "CREATE TRIGGER live_count_delete AFTER DELETE ON events WHEN OLD.deleted_at IS NULL BEGIN "
    "UPDATE live_event_counts SET n = n - 1 WHERE incident_id = OLD.incident_id; END",
    "CREATE TRIGGER live_count_update AFTER UPDATE OF deleted_at, incident_id ON events BEGIN "
    "UPDATE live_event_counts SET n = n - 1 WHERE incident_id = OLD.incident_id AND OLD.deleted_at IS NULL; "
    "INSERT INTO live_event_counts (incident_id, n) SELECT NEW.incident_id, 1 WHERE NEW.deleted_at IS NULL "
    "ON CONFLICT (incident_id) DO UPDATE SET n = n + 1; END",
)

#: Hypotheses settled: ruled out or confirmed, why, and the note that said so (store/hypotheses.py).
V10: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS hypotheses (
   event_id INTEGER PRIMARY KEY REFERENCES events(id),
   incident_id TEXT NOT NULL REFERENCES incidents(id),
   status TEXT NOT NULL,
   reason TEXT NOT NULL,
   settled_by INTEGER REFERENCES events(id),
   settled_at TEXT NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS idx_hypotheses_incident ON hypotheses (incident_id)",
    "CREATE INDEX IF NOT EXISTS idx_events_hypotheses ON events (incident_id, occurred_at, id)"
    " WHERE kind = 'hypothesis' AND deleted_at IS NULL",
)

#: Stakeholder updates (store/comms.py): only they are in this index, so the latest is one step away.
V11: tuple[str, ...] = (
    "CREATE INDEX IF NOT EXISTS idx_events_updates ON events (incident_id, occurred_at, id)"
    " WHERE kind = 'comms' AND deleted_at IS NULL AND lower(substr(text, 1, 18)) = 'stakeholder update'",
)

#: The config file's extra post-mortem sections (Detection, ...): each incident's text for each title.
V12: tuple[str, ...] = (
    "CREATE TABLE IF NOT EXISTS sections ("
    " incident_id TEXT NOT NULL REFERENCES incidents(id),"
    " title TEXT NOT NULL,"
    " text TEXT NOT NULL,"
    " updated_at TEXT NOT NULL,"
    " PRIMARY KEY (incident_id, title)"
    ") WITHOUT ROWID",
)

#: Per-incident export choices: whether the post-mortem includes "Related Incidents" (store/related_section.py).
V13: tuple[str, ...] = (
    "CREATE TABLE IF NOT EXISTS export_choices ("
    " incident_id TEXT PRIMARY KEY REFERENCES incidents(id),"
    " related INTEGER NOT NULL CHECK (related IN (0, 1)),"
    " updated_at TEXT NOT NULL"
    ") WITHOUT ROWID",
)

#: A large library's follow-through screen and a huge incident's review, instant at any size.
#: idx_actions_followup holds only the open live action items, in the follow-through screen's order within a
#: group (owner, unassigned last, then deadline, priority, incident, number): its first screenful is read by
#: walking it, and idx_actions_open_deadline counts each group, instead of scanning every action item twice.
#: open_hypothesis_counts is each incident's count of live hypotheses nobody has ruled out or confirmed, kept
#: by triggers on events and hypotheses: the review screen reads one row instead of counting 125,000.
#: Safe to run again (a file whose version was set back): the counts are made afresh.
V14: tuple[str, ...] = (
    "CREATE INDEX IF NOT EXISTS idx_actions_followup ON action_items"
    " (trim(owner) = '', lower(trim(owner)), deadline, priority, incident_id, number)"
    " WHERE deleted_at IS NULL AND status NOT IN ('done', 'won''t do')",
    "CREATE INDEX IF NOT EXISTS idx_actions_open_deadline ON action_items (deadline)"
    " WHERE deleted_at IS NULL AND status NOT IN ('done', 'won''t do')",
    "CREATE TABLE IF NOT EXISTS open_hypothesis_counts (incident_id TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID",
    "DELETE FROM open_hypothesis_counts",
    "DROP TRIGGER IF EXISTS open_hypotheses_insert",
    "DROP TRIGGER IF EXISTS open_hypotheses_delete",
    "DROP TRIGGER IF EXISTS open_hypotheses_update",
    "DROP TRIGGER IF EXISTS open_hypotheses_settled",
    "DROP TRIGGER IF EXISTS open_hypotheses_unsettled",
    "DROP TRIGGER IF EXISTS open_hypotheses_resettled",
    "INSERT INTO open_hypothesis_counts (incident_id, n) SELECT e.incident_id, COUNT(*) FROM events e"
    " WHERE e.kind = 'hypothesis' AND e.deleted_at IS NULL"
    " AND NOT EXISTS (SELECT 1 FROM hypotheses h WHERE h.event_id = e.id) GROUP BY e.incident_id",
    "CREATE TRIGGER open_hypotheses_insert AFTER INSERT ON events"
    " WHEN NEW.kind = 'hypothesis' AND NEW.deleted_at IS NULL"
    " AND NOT EXISTS (SELECT 1 FROM hypotheses h WHERE h.event_id = NEW.id) BEGIN"
    " INSERT INTO open_hypothesis_counts (incident_id, n) VALUES (NEW.incident_id, 1)"
    " ON CONFLICT (incident_id) DO UPDATE SET n = n + 1; END",
    "CREATE TRIGGER open_hypotheses_delete AFTER DELETE ON events"
    " WHEN OLD.kind = 'hypothesis' AND OLD.deleted_at IS NULL"
    " AND NOT EXISTS (SELECT 1 FROM hypotheses h WHERE h.event_id = OLD.id) BEGIN"
    " UPDATE open_hypothesis_counts SET n = n - 1 WHERE incident_id = OLD.incident_id; END",
    "CREATE TRIGGER open_hypotheses_update AFTER UPDATE OF id, kind, deleted_at, incident_id ON events BEGIN"
    " UPDATE open_hypothesis_counts SET n = n - 1 WHERE incident_id = OLD.incident_id"
    " AND OLD.kind = 'hypothesis' AND OLD.deleted_at IS NULL"
    " AND NOT EXISTS (SELECT 1 FROM hypotheses h WHERE h.event_id = OLD.id);"
    " INSERT INTO open_hypothesis_counts (incident_id, n) SELECT NEW.incident_id, 1"
    " WHERE NEW.kind = 'hypothesis' AND NEW.deleted_at IS NULL"
    " AND NOT EXISTS (SELECT 1 FROM hypotheses h WHERE h.event_id = NEW.id)"
    " ON CONFLICT (incident_id) DO UPDATE SET n = n + 1; END",
    "CREATE TRIGGER open_hypotheses_settled AFTER INSERT ON hypotheses BEGIN"
    " UPDATE open_hypothesis_counts SET n = n - 1 WHERE incident_id = (SELECT e.incident_id FROM events e"
    " WHERE e.id = NEW.event_id AND e.kind = 'hypothesis' AND e.deleted_at IS NULL); END",
    "CREATE TRIGGER open_hypotheses_unsettled AFTER DELETE ON hypotheses BEGIN"
    " INSERT INTO open_hypothesis_counts (incident_id, n) SELECT e.incident_id, 1 FROM events e"
    " WHERE e.id = OLD.event_id AND e.kind = 'hypothesis' AND e.deleted_at IS NULL"
    " ON CONFLICT (incident_id) DO UPDATE SET n = n + 1; END",
    "CREATE TRIGGER open_hypotheses_resettled AFTER UPDATE OF event_id ON hypotheses"
    " WHEN OLD.event_id IS NOT NEW.event_id BEGIN"
    " INSERT INTO open_hypothesis_counts (incident_id, n) SELECT e.incident_id, 1 FROM events e"
    " WHERE e.id = OLD.event_id AND e.kind = 'hypothesis' AND e.deleted_at IS NULL"
    " ON CONFLICT (incident_id) DO UPDATE SET n = n + 1;"
    " UPDATE open_hypothesis_counts SET n = n - 1 WHERE incident_id = (SELECT e.incident_id FROM events e"
    " WHERE e.id = NEW.event_id AND e.kind = 'hypothesis' AND e.deleted_at IS NULL); END",
)

STEPS: dict[int, tuple[str, ...]] = {
    1: V1,
    2: V2,
    3: V3,
    4: V4,
    5: V5,
    6: V6,
    7: V7,
    8: V8,
    9: V9,
    10: V10,
    11: V11,
    12: V12,
    13: V13,
    14: V14,
}
SCHEMA_VERSION = max(STEPS)
