"""Evidence links: the http(s) URLs in an event's text, recognised strictly; anything else stays literal text.

A link is a whole whitespace-separated word that is an http or https URL with a host name (or IPv4
address), optional port, path, query and fragment, made only of the characters RFC 3986 allows
(no `<`, `>`, `"`, `|`, backslash, brackets or controls). Trailing sentence punctuation is not
part of it ("see https://grafana.example/d/1." links the dashboard). So a link is always safe to
place in a Markdown autolink, a table cell or a terminal hyperlink as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

MAX_URL = 2000

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = rf"(?:{_LABEL}(?:\.{_LABEL})*\.?)"
# Every part spells out both cases, the scheme too: ignoring case would also let in the letters Unicode folds
# onto ASCII ones (the Kelvin sign for k, long s for s, dotted and dotless i), "http\u017f://" among them.
_URL = re.compile(
    rf"[Hh][Tt][Tt][Pp][Ss]?://{_HOST}(?::[0-9]{{1,5}})?"
    r"(?:/[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*)?"
    r"(?:\?[A-Za-z0-9\-._~%!$&'()*+,;=:@/?]*)?"
    r"(?:#[A-Za-z0-9\-._~%!$&'()*+,;=:@/?]*)?"
)
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_WORD = re.compile(r"\S+")
_TRAILING = ".,;:!?'"


@dataclass(frozen=True)
class Piece:
    """A stretch of text: literal, or a link (then `text` is the URL)."""

    text: str
    is_link: bool


def valid_url(text: str) -> bool:
    """Whether `text` as a whole is an http(s) URL warroom accepts as a link."""
    return len(text) <= MAX_URL and _URL.fullmatch(text) is not None and _PERCENT.search(text) is None


def _link_in(word: str) -> str:
    """The link a word is (trailing punctuation and an unmatched closing parenthesis left off), or ""."""
    if "://" not in word:
        return ""
    url = word.rstrip(_TRAILING)
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1].rstrip(_TRAILING)
    return url if valid_url(url) else ""


def split_links(text: str) -> Iterator[Piece]:
    """The text as literal pieces and links, in order; joined back they are `text` exactly."""
    if "://" not in text:
        if text:
            yield Piece(text, False)
        return
    pos = 0
    for word in _WORD.finditer(text):
        url = _link_in(word[0])
        if not url:
            continue
        if word.start() > pos:
            yield Piece(text[pos : word.start()], False)
        yield Piece(url, True)
        pos = word.start() + len(url)
    if pos < len(text):
        yield Piece(text[pos:], False)


def links_in(text: str) -> list[str]:
    """The links of a text in order of appearance, each once."""
    if "://" not in text:
        return []
    return list(dict.fromkeys(p.text for p in split_links(text) if p.is_link))
