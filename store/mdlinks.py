"""Where markdown-it would read an inline link or image: labels, destinations and titles, as its helpers do.

store.mdinline asks this about each `[`; the answers follow markdown-it-py's parseLinkLabel,
parseLinkDestination and parseLinkTitle. An export has no reference definitions (a paragraph that
would start one is escaped), so only inline links `[text](destination "title")` count, and every
destination counts as valid: the escaping does not lean on one renderer's list of unsafe schemes.
"""

from __future__ import annotations

import re

ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_LABEL_SPECIAL = re.compile(r"[\[\]\\]")
_OPEN_BRACKET = re.compile(r"\[")
# A bound on recursion; `links` asks from the last bracket back, so it is never near.
MAX_NESTING = 32


def links(src: str) -> dict[tuple[int, bool], int]:
    """Where each `[` (and each image's `![`) would end a link, worked out from the last one back, so that
    a label's inner brackets are already known when it is read and nothing is worked out twice."""
    memo: dict[tuple[int, bool], int] = {}
    if "](" not in src:
        return memo
    starts = [m.start() for m in _OPEN_BRACKET.finditer(src) if not _escaped(src, m.start())]
    for start in reversed(starts):
        _link_after(src, start, memo, 0, nested=False)
        if start > 0 and src[start - 1] == "!":
            _link_after(src, start, memo, 0, nested=True)
    return memo


def _escaped(src: str, pos: int) -> bool:
    """Whether the character at `pos` follows an escaping backslash (an odd run of them)."""
    run = 0
    while pos - run > 0 and src[pos - run - 1] == "\\":
        run += 1
    return run % 2 == 1


def _label_end(src: str, start: int, memo: dict[tuple[int, bool], int], nested: bool, depth: int) -> int:
    """markdown-it's parseLinkLabel from the `[` at `start`: the index of its `]`, or -1."""
    level = 1
    pos = start + 1
    n = len(src)
    while pos < n:
        found = _LABEL_SPECIAL.search(src, pos)
        if found is None:
            return -1
        pos = found.start()
        c = src[pos]
        if c == "]":
            level -= 1
            if level == 0:
                return pos
            pos += 1
        elif c == "\\":
            pos += 2 if pos + 1 < n and (src[pos + 1] in ASCII_PUNCT or src[pos + 1] == "\n") else 1
        elif c == "[":
            if link_forms(src, pos, memo, nested=False, depth=depth + 1):
                if not nested:
                    return -1
                pos = _link_after(src, pos, memo, depth + 1)
            else:
                level += 1
                pos += 1
    return -1


def link_forms(src: str, start: int, memo: dict[tuple[int, bool], int], nested: bool, depth: int = 0) -> bool:
    """Whether an inline link (or, with `nested`, an image's brackets) starts at the `[` at `start`."""
    return _link_after(src, start, memo, depth, nested) > 0


def _link_after(src: str, start: int, memo: dict[tuple[int, bool], int], depth: int, nested: bool = False) -> int:
    """The index just past the link that starts at `start`, or -1. Every destination counts as valid.

    `memo` keeps each answer for this `src`: brackets inside brackets ask the same questions again."""
    key = (start, nested)
    if key not in memo:
        memo[key] = _find_link_end(src, start, memo, depth, nested)
    return memo[key]


def _find_link_end(src: str, start: int, memo: dict[tuple[int, bool], int], depth: int, nested: bool) -> int:
    if depth > MAX_NESTING or src.find("](", start) < 0:
        return -1  # (the depth never grows past 2: `_links` asks from the last bracket back)
    label = _label_end(src, start, memo, nested, depth)
    n = len(src)
    pos = label + 1
    if label < 0 or pos >= n or src[pos] != "(":
        return -1  # no reference definitions exist in an export, so `[x]` and `[x][y]` stay text
    pos = _skip_space(src, pos + 1)
    if pos >= n:
        return -1
    destination = destination_end(src, pos)
    if destination >= 0:
        pos = destination
        start_title = pos
        pos = _skip_space(src, pos)
        title = title_end(src, pos)
        if pos < n and start_title != pos and title >= 0:
            pos = _skip_space(src, title)
    return pos + 1 if pos < n and src[pos] == ")" else -1


def _skip_space(src: str, pos: int) -> int:
    while pos < len(src) and src[pos] in " \t\n":
        pos += 1
    return pos


def destination_end(src: str, pos: int) -> int:
    """markdown-it's parseLinkDestination: the index after the destination, or -1."""
    n = len(src)
    if src[pos] == "<":
        pos += 1
        while pos < n:
            c = src[pos]
            if c in "\n<":
                return -1
            if c == ">":
                return pos + 1
            pos += 2 if c == "\\" and pos + 1 < n else 1
        return -1
    start, level = pos, 0
    while pos < n:
        c = src[pos]
        if c == " " or ord(c) < 0x20 or c == "\x7f":
            break
        if c == "\\" and pos + 1 < n:
            if src[pos + 1] == " ":
                break
            pos += 2
            continue
        if c == "(":
            level += 1
            if level > 32:
                return -1
        if c == ")":
            if level == 0:
                break
            level -= 1
        pos += 1
    return -1 if start == pos or level != 0 else pos


def title_end(src: str, pos: int) -> int:
    """markdown-it's parseLinkTitle: the index after a quoted or bracketed title, or -1."""
    n = len(src)
    if pos >= n or src[pos] not in "\"'(":
        return -1
    close = ")" if src[pos] == "(" else src[pos]
    pos += 1
    while pos < n:
        c = src[pos]
        if c == close:
            return pos + 1
        if c == "(" and close == ")":
            return -1
        pos += 2 if c == "\\" and pos + 1 < n else 1
    return -1
