"""A browser tab's driver: textual-serve's web driver, passing on `warroom serve`'s word that the file changed."""

from __future__ import annotations

from typing import Any

from textual.drivers.web_driver import WebDriver

from warroom.tui.tab_signal import CHANGED, FileChanged, told_of_changes


class TabDriver(WebDriver):
    """The web driver, posting FileChanged to the app when the serve process says so."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        told_of_changes()

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type == CHANGED:
            self.send_message(FileChanged())  # called on the input thread: send_message is thread-safe
        else:
            super().on_meta(packet_type, payload)
