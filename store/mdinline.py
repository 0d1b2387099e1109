"""Where inline Markdown would start in a line of text, found by following markdown-it's inline rules.

The export escapes a character only when leaving it would change what the renderer makes of the text,
so this module answers one question about already-escaped output: which character is the first to
start markup (a code span, emphasis, strikethrough, a link or image, an autolink, raw HTML, an entity)?
The rules are those of markdown-it-py's GFM-like preset with linkify off, taken from its source so
that both sides agree: code spans close on an equal backtick run, `*` `_` `~~` pair by CommonMark's
delimiter algorithm (flanking, the rule of three), links need `](` with a valid destination, HTML and
autolinks need the whole tag. The tests check the answers against the real renderer.
"""

from __future__ import annotations

import html.entities
import re
import unicodedata
from dataclasses import dataclass

from warroom.store.mdlinks import ASCII_PUNCT, destination_end, link_forms, links, title_end

__all__ = ["ASCII_PUNCT", "destination_end", "title_end"]

_SPECIAL = re.compile(r"[\\`*_~!\[<&]")
#: Besides a letter, what may follow `<` in a tag or `&` in an entity.
_TAG_OR_ENTITY = {"<": "!/?", "&": "#"}
#: Characters that can start inline markup (or, for `\\`, stop an escape from being literal).
TRIGGERS = frozenset("`*_~[<&\\")

# CommonMark's raw HTML (markdown-it's html_re), anchored by `match` at the `<`.
_ATTR_VALUE = "(?:[^\"'=<>`\\x00-\\x20]+|'[^']*'|\"[^\"]*\")"
_ATTRIBUTE = "(?:\\s+[a-zA-Z_:][a-zA-Z0-9:._-]*(?:\\s*=\\s*" + _ATTR_VALUE + ")?)"
_OPEN_TAG = "<[A-Za-z][A-Za-z0-9\\-]*" + _ATTRIBUTE + "*\\s*\\/?>"
_CLOSE_TAG = "<\\/[A-Za-z][A-Za-z0-9\\-]*\\s*>"
_HTML_TAG = re.compile(
    f"(?:{_OPEN_TAG}|{_CLOSE_TAG}|<!---?>|<!--(?:[^-]|-[^-]|--[^>])*-->|<[?][\\s\\S]*?[?]>"
    "|<![A-Za-z][^>]*>|<!\\[CDATA\\[[\\s\\S]*?\\]\\]>)"
)
#: CommonMark's HTML block tag names: a line starting with one of them starts raw HTML.
_BLOCK_TAG_NAMES = (
    "address article aside base basefont blockquote body caption center col colgroup dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html iframe legend li "
    "link main menu menuitem nav noframes ol optgroup option p param search section summary table tbody td tfoot th "
    "thead title tr track ul"
)
BLOCK_TAGS = tuple(_BLOCK_TAG_NAMES.split())
HTML_OPEN_CLOSE_TAG = f"(?:{_OPEN_TAG}|{_CLOSE_TAG})"
_AUTOLINK = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]{1,31}):([^<>\x00-\x20]*)$")
_EMAIL = re.compile(
    r"^([a-zA-Z0-9.!#$%&\'*+\/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)$"
)
_NUMERIC_ENTITY = re.compile(r"&#(?:x[a-f0-9]{1,6}|[0-9]{1,7});", re.IGNORECASE)
_NAMED_ENTITY = re.compile(r"&([a-z][a-z0-9]{1,31});", re.IGNORECASE)
_ENTITY_NAMES = frozenset(name.rstrip(";") for name in html.entities.html5)
_WHITESPACE = frozenset("\t\n\x0b\x0c\r \xa0\u1680\u202f\u205f\u3000") | frozenset(map(chr, range(0x2000, 0x200B)))


@dataclass
class _Delimiter:
    """One emphasis or strikethrough marker, as markdown-it's balance_pairs sees it."""

    marker: str
    length: int
    token: int
    run_start: int
    open: bool
    close: bool
    end: int = -1


def first_markup(src: str) -> int | None:
    """The index in `src` of the first character that starts inline markup, or None when it is all literal."""
    n = len(src)
    delimiters: list[_Delimiter] = []
    link_ends = links(src)
    token = 0
    i = 0
    while i < n:
        next_special = _SPECIAL.search(src, i)
        if next_special is None:
            break
        i = next_special.start()
        c = src[i]
        if c == "\\":
            i += 2 if i + 1 < n and (src[i + 1] in ASCII_PUNCT or src[i + 1] == "\n") else 1
        elif c == "`":
            end = _run_end(src, i)
            if _code_span_closes(src, end, end - i):
                return i
            i = end
        elif c in "*_~":
            end = _run_end(src, i)
            token = _push_delimiters(src, i, end, token, delimiters)
            i = end
        elif c == "!" and src.startswith("[", i + 1):
            if link_forms(src, i + 1, link_ends, nested=True):
                return i + 1
            i += 1
        elif c == "[":
            if link_forms(src, i, link_ends, nested=False):
                return i
            i += 1
        elif c == "<":
            if _autolink(src, i) or _html(src, i):
                return i
            i += 1
        elif c == "&":
            if _NUMERIC_ENTITY.match(src, i) or _named_entity(src, i):
                return i
            i += 1
        else:
            i += 1
    if not any(d.close for d in delimiters):
        return None
    return _first_pair(delimiters, src)


def candidates(src: str) -> list[int]:
    """Every character of `src` (escaped output) that could take part in markup by its own surroundings,
    whatever else is in the text: backticks, `*` `_` runs that can open or close, `~~` runs, `[`, a `<`
    that could begin a tag or autolink, an `&` that could begin an entity. Escaping all of them leaves
    nothing to pair with; text with too many of them to search one by one is escaped that way."""
    found: list[int] = []
    n = len(src)
    i = 0
    while (special := _SPECIAL.search(src, i)) is not None:
        i = special.start()
        c = src[i]
        if c == "\\":
            i += 2 if i + 1 < n and (src[i + 1] in ASCII_PUNCT or src[i + 1] == "\n") else 1
            continue
        end = _run_end(src, i) if c in "`*_~" else i + 1
        if c in "*_":
            if any(_flanking(src, i, end, split_word=c != "_")):
                found += range(i, end)
        elif c == "`" or (c == "~" and end - i > 1) or c == "[":
            found += range(i, end)
        elif (
            c in "<&"
            and i + 1 < n
            and (src[i + 1] in _TAG_OR_ENTITY[c] or src[i + 1].isascii() and src[i + 1].isalpha())
        ):
            found.append(i)
        i = end
    return found


def _run_end(src: str, start: int) -> int:
    """Where the run of the character at `start` ends."""
    end = start + 1
    while end < len(src) and src[end] == src[start]:
        end += 1
    return end


def _code_span_closes(src: str, pos: int, length: int) -> bool:
    """Whether a later backtick run of exactly `length` closes a code span (backslashes do not count there)."""
    while (start := src.find("`", pos)) != -1:
        pos = _run_end(src, start)
        if pos - start == length:
            return True
    return False


def _is_punct(ch: str) -> bool:
    if ch.isascii():
        return ch in ASCII_PUNCT
    return unicodedata.category(ch).startswith(("P", "S"))


def _flanking(src: str, start: int, end: int, split_word: bool) -> tuple[bool, bool]:
    """(can open, can close) of the delimiter run src[start:end], as markdown-it's scanDelims decides."""
    last = src[start - 1] if start > 0 else " "
    after = src[end] if end < len(src) else " "
    last_punct, next_punct = _is_punct(last), _is_punct(after)
    last_space, next_space = last in _WHITESPACE, after in _WHITESPACE
    left = not (next_space or (next_punct and not (last_space or last_punct)))
    right = not (last_space or (last_punct and not (next_space or next_punct)))
    if split_word:
        return left, right
    return left and (not right or last_punct), right and (not left or next_punct)


def _push_delimiters(src: str, start: int, end: int, token: int, delimiters: list[_Delimiter]) -> int:
    """Add the run's delimiters as markdown-it's emphasis and strikethrough rules do; the next token number."""
    marker = src[start]
    if marker == "_" and start > 0 and end < len(src) and src[start - 1].isalnum() and src[end].isalnum():
        return token + 1  # `max_wal_senders`: inside a word `_` neither opens nor closes
    length = end - start
    can_open, can_close = _flanking(src, start, end, split_word=marker != "_")
    if not (can_open or can_close):
        return token + 1  # `max_wal_senders`: a run that can do neither takes part in nothing
    if marker == "~":
        if length < 2:
            return token + 1
        token += length % 2  # an odd `~` is plain text before the pairs
        for _ in range(length // 2):
            delimiters.append(_Delimiter("~", 0, token, start, can_open, can_close))
            token += 1
    else:
        for _ in range(length):
            delimiters.append(_Delimiter(marker, length, token, start, can_open, can_close))
            token += 1
    return token + 1  # whatever follows the run is another token


def _first_pair(delimiters: list[_Delimiter], src: str) -> int | None:
    """markdown-it's processDelimiters; the start of the first opener's run that found a closer."""
    openers_bottom: dict[str, list[int]] = {}
    header = 0
    last_token = -2
    jumps: list[int] = []
    for closer_idx, closer in enumerate(delimiters):
        jumps.append(0)
        if delimiters[header].marker != closer.marker or last_token != closer.token - 1:
            header = closer_idx
        last_token = closer.token
        if not closer.close:
            continue
        bottoms = openers_bottom.setdefault(closer.marker, [-1] * 6)
        slot = (3 if closer.open else 0) + closer.length % 3
        opener_idx = header - jumps[header] - 1
        new_min = opener_idx
        while opener_idx > bottoms[slot]:
            opener = delimiters[opener_idx]
            if opener.marker != closer.marker:
                opener_idx -= jumps[opener_idx] + 1
                continue
            if opener.open and opener.end < 0:
                odd = (
                    (opener.close or closer.open)
                    and (opener.length + closer.length) % 3 == 0
                    and (opener.length % 3 != 0 or closer.length % 3 != 0)
                )
                if not odd:
                    before_open = opener_idx > 0 and not delimiters[opener_idx - 1].open
                    last_jump = jumps[opener_idx - 1] + 1 if before_open else 0
                    jumps[closer_idx] = closer_idx - opener_idx + last_jump
                    jumps[opener_idx] = last_jump
                    closer.open = False
                    opener.end = closer_idx
                    opener.close = False
                    new_min = -1
                    last_token = -2
                    break
            opener_idx -= jumps[opener_idx] + 1
        if new_min != -1:
            bottoms[slot] = new_min
    matched = [d for d in delimiters if d.end >= 0]
    return _trigger(min(matched, key=lambda d: d.run_start), src) if matched else None


def _trigger(delimiter: _Delimiter, src: str) -> int:
    """Where an opener's run starts (for an odd `~~~` run, its first pair)."""
    start = delimiter.run_start
    if delimiter.marker == "~" and (_run_end(src, start) - start) % 2:
        return start + 1  # `~\\~~` leaves a lone `~` on each side: neither strikes
    return start


def escape_choices(src: str, pos: int) -> tuple[list[int], int]:
    """Characters to try escaping, best first, to stop the markup `first_markup` found at `pos`, and the one
    to escape when none of them settles the whole run.

    For a run of `*` or `_`, escaping its last character may leave the rest unable to open (`a*\\*b**`),
    where escaping its first leaves a shorter run that still can. For a backtick run, escaping one in the
    middle may leave two runs that match nothing (`` `\\``a``a``` ``). Which works is for the caller to see.
    """
    if src[pos] not in "*_`":
        return [pos], pos
    end = _run_end(src, pos)
    if src[pos] == "`":
        return list(range(pos, end)), pos
    return ([end - 1, pos] if end - pos > 1 else [pos]), pos


def _autolink(src: str, start: int) -> bool:
    """`<scheme:...>` or `<user@host>`."""
    end = start + 1
    while end < len(src) and src[end] not in "<>":
        end += 1
    if end >= len(src) or src[end] != ">":
        return False
    url = src[start + 1 : end]
    return _AUTOLINK.search(url) is not None or _EMAIL.search(url) is not None


def _html(src: str, start: int) -> bool:
    """A whole raw HTML tag, comment, declaration or processing instruction at `start`."""
    if start + 2 >= len(src):
        return False
    second = src[start + 1]
    if second not in "!?/" and not ("a" <= second.lower() <= "z" and second.isascii()):
        return False
    if src.find(">", start) < 0:
        return False  # nothing can close it; and the regex would scan to the end for every `<`
    return _HTML_TAG.match(src, start) is not None


def _named_entity(src: str, start: int) -> bool:
    match = _NAMED_ENTITY.match(src, start)
    return match is not None and match[1] in _ENTITY_NAMES
