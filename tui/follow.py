"""Present or follow a review across terminals and browser tabs, through the database (`Writes.present`).

The presenting screen records every event it moves to; a following screen moves to that event whenever the
file changes (the review screen already re-reads on every change made elsewhere). A follower can still star,
link factors and add notes; stepping away on its own stops following.

Composed into `ReviewScreen` (`screen.follow`); the screen's P and F actions, its steps and its reloads call it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, Literal

from textual.binding import Binding, BindingType

if TYPE_CHECKING:
    from warroom.store.store import Store
    from warroom.tui.screens.review import ReviewScreen

Mode = Literal["", "presenting", "following"]


class FollowPresenter:
    """The review screen's P (present this screen's event) and F (follow whoever presents)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("P", "present", "Present", show=False, tooltip="Present: whoever follows sees this event"),
        Binding("F", "follow", "Follow", show=False, tooltip="Follow the presenter's review (step away to stop)"),
    ]

    def __init__(self, screen: ReviewScreen) -> None:
        self.screen = screen
        self.mode: Mode = ""
        #: The event last recorded as presented (a step onto the same event writes nothing).
        self._presented_id: int | None = None

    def toggle_present(self) -> None:
        """Start presenting this review (taking over from anyone else), or stop."""
        screen = self.screen
        if self.mode == "presenting":
            self.mode = ""
            self._presented_id = None
            self._write(lambda store: store.stop_presenting(screen.incident_id))
            screen.say("stopped presenting")
            return
        self.mode = "presenting"
        self._presented_id = None
        self.moved()
        screen.say("presenting: whoever follows (F) sees this event · P stops")

    def toggle_follow(self) -> None:
        """Follow whoever presents this incident's review, or stop following."""
        screen = self.screen
        if self.mode == "following":
            self.mode = ""
            screen.say("stopped following")
            return
        if self.mode == "presenting":
            self._write(lambda store: store.stop_presenting(screen.incident_id))
        self.mode = "following"
        where = screen.wapp.store.presented(screen.incident_id)
        if where is None:
            screen.say("following: nobody presents yet; this screen moves when someone does (F stops)")
            return
        self.catch_up()
        screen.say(f"following {where.presenter or 'the presenter'} (F stops; stepping away stops too)")

    def moved(self) -> None:
        """Called after each step: record the event when presenting (one small write per move)."""
        screen = self.screen
        event = screen.current
        if self.mode != "presenting" or event is None or event.id is None or event.id == self._presented_id:
            return
        self._presented_id = event_id = event.id
        author, incident_id = screen.wapp.author, screen.incident_id
        self._write(lambda store: store.present(incident_id, event_id, author))

    def catch_up(self) -> bool:
        """When following, make the presenter's event the screen's current one (without a step of our own)."""
        screen = self.screen
        if self.mode != "following":
            return False
        where = screen.wapp.store.presented(screen.incident_id)
        if where is None:
            return False
        found = screen.window.position_of(where.event_id)
        if found is None or found == screen.position:
            return False
        screen.position = found
        return True

    def stepped_away(self) -> None:
        """The user stepped on their own: a follower stops following."""
        if self.mode == "following":
            self.mode = ""
            self.screen.say("stopped following (F follows again)")

    def leaving(self) -> None:
        """Leaving the screen ends a presentation, so followers are not left on a stale event."""
        if self.mode == "presenting":
            self.mode = ""
            incident_id = self.screen.incident_id
            self._write(lambda store: store.stop_presenting(incident_id))

    def _write(self, work: Callable[[Store], None]) -> None:
        """Through the writer thread, like every write of the TUI; an error is shown, never raised."""
        screen = self.screen

        def done(_result: object, error: BaseException | None) -> None:
            if error is not None:
                screen.say(f"could not share the review position: {error}", error=True)

        screen.wapp.submit(work, done, reply_to=screen)
