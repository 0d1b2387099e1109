"""The config in effect written back as TOML: what `warroom config show` prints (it reads back the same)."""

from __future__ import annotations

import datetime as dt
import json

from warroom.store.config import Config


def to_toml(config: Config) -> str:
    """The config as TOML, defaults included: what `warroom config show` prints."""

    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    def minutes(delta: dt.timedelta | None) -> str:
        if delta is None:
            return q("none")
        total = int(delta.total_seconds() // 60)
        hours, mins = divmod(total, 60)
        return q((f"{hours}h" if hours else "") + (f"{mins}m" if mins or not hours else ""))

    out = []
    if config.timezone:
        out.append(f"timezone = {q(config.timezone)}")
    out.append(f"author = {q(config.author)}")
    out.append(f"teams = [{', '.join(q(t) for t in config.teams)}]")
    out.append(f"lint_allow = [{', '.join(q(p) for p in config.lint_allow)}]")
    for level in config.severities:
        out += ["", f"[severities.{level.name}]", f"meaning = {q(level.meaning)}"]
        out.append(f"update_every = {minutes(level.update_every)}")
        out.append(f"review_within = {q(str(level.review_within) if level.review_within else 'none')}")
    for section in config.sections:
        out += ["", "[[sections]]", f"title = {q(section.title)}", f"prompt = {q(section.prompt)}"]
        out.append(f"required = {'true' if section.required else 'false'}")
    return "\n".join(out) + "\n"
