"""A browser tab's driver: textual-serve's web driver, passing on `warroom serve`'s word that the file changed."""

from __future__ import annotations

from typing import Any

from textual.drivers.web_driver import WebDriver

from warroom.tui.tab_signal import CHANGED, READ, FileChanged, told_of_changes


class TabDriver(WebDriver):
    """The web driver, posting FileChanged to the app when the serve process says so, and saying when it is read."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        told_of_changes()

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type == CHANGED:
            # Called on the input thread (send_message is thread-safe); `done` runs on the app's own.
            self.send_message(FileChanged(done=self.read_done))
        else:
            super().on_meta(packet_type, payload)

    def read_done(self) -> None:
        """Tell the serve process this tab has read the change and drawn it (the next tab's turn)."""
        self.write_meta({"type": READ})
