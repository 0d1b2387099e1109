"""`warroom log --link URL`: evidence links checked strictly and added to the event's text."""

from __future__ import annotations

from warroom.store.errors import InputError
from warroom.store.links import valid_url


def with_links(text: str, links: tuple[str, ...]) -> str:
    """The text with each link after it; anything but a plain http(s) URL is refused with one line."""
    if text == "-":
        raise InputError("--link goes with one event: give the TEXT instead of '-'")
    for url in links:
        if not valid_url(url.strip()):
            raise InputError(f"--link {url!r} is not an http(s) URL such as https://grafana.example/d/abc")
    return " ".join([text.strip(), *(url.strip() for url in links)])
