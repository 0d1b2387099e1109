"""The JSON export as a pydantic model, and its JSON Schema (`warroom schema`), built from the same records."""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from warroom.store.export_json import FORMAT, VERSION
from warroom.store.models import ActionItem, Event, Factor, Incident

SCHEMA_ID = f"urn:warroom:{FORMAT}:{VERSION}"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class Metrics(BaseModel):
    """Seconds from the start to each key time; null while the moment is not known, or when it is before the start."""

    model_config = ConfigDict(extra="forbid")

    duration_seconds: int | None
    time_to_detect_seconds: int | None
    time_to_mitigate_seconds: int | None
    time_to_resolve_seconds: int | None


class ExportEvent(Event):
    """A timeline event as exported: its record, plus the evidence links found in its text."""

    links: list[str] = Field(description="The http(s) links in the text, in order (derived; ignored on import).")


class ExportHypothesis(BaseModel):
    """Where one hypothesis stands: open, or ruled out / confirmed, why, and the note that said so."""

    model_config = ConfigDict(extra="forbid")

    event_id: int
    status: Literal["open", "ruled out", "confirmed"]
    reason: str | None
    settled_by: int | None = Field(description="The event that settled it, when exported too.")
    settled_at: str | None


class SectionText(BaseModel):
    """One of the config file's extra post-mortem sections, as written for this incident."""

    model_config = ConfigDict(extra="forbid")

    title: str
    text: str


class RelatedEntry(BaseModel):
    """An earlier incident that looks like this one, and what the two share (derived; ignored on import)."""

    model_config = ConfigDict(extra="forbid")

    incident_id: str
    started_at: str | None
    title: str
    shared: list[str] = Field(description="Shared words, then `tag:NAME` and `@TEAM`.")


class ExportDocument(BaseModel):
    """One incident's post-mortem as `warroom export --format json` writes it (times in UTC)."""

    model_config = ConfigDict(
        extra="forbid",
        title="warroom post-mortem export",
        json_schema_extra={"$schema": JSON_SCHEMA_DIALECT, "$id": SCHEMA_ID, "version": VERSION},
    )

    format: Literal["warroom-postmortem"]
    version: Literal[1] = Field(description="The export format version; a reader refuses newer ones.")
    display_zone: str = Field(description="The zone the Markdown export would show times in (IANA name or UTC).")
    incident: Incident
    metrics: Metrics
    events: list[ExportEvent] = Field(description="Live timeline events in time order.")
    factors: list[Factor] = Field(description="Root causes, contributing factors and triggers, by number.")
    action_items: list[ActionItem] = Field(description="Live action items, by number.")
    hypotheses: list[ExportHypothesis] = Field(description="Live hypotheses by event id, with where each stands.")
    sections: list[SectionText] = Field(
        default_factory=list, description="The config file's extra sections, in its order; absent when none is written."
    )
    related: list[RelatedEntry] = Field(
        default_factory=list,
        description="Related Incidents, best first; present only when the post-mortem includes the section.",
    )


def export_schema() -> dict[str, object]:
    """The JSON Schema of the export document."""
    return ExportDocument.model_json_schema()


def schema_json() -> str:
    """The schema as pretty, key-sorted JSON text ending in a newline."""
    return json.dumps(export_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
