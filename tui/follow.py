"""Present or follow a review across terminals and browser tabs, through the database (store/presenting.py).

The presenting screen records every event it moves to; a following screen moves to that event whenever the
file changes (the review screen already re-reads on every change made elsewhere). A follower can still star,
link factors and add notes; stepping away on its own stops following.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

from textual.binding import Binding, BindingType

from warroom.store.presenting import present, presented, stop_presenting

if TYPE_CHECKING:
    from warroom.store.records import Event
    from warroom.tui.app import WarroomApp

Mode = Literal["", "presenting", "following"]


class FollowPresenter:
    """Mixed into the review screen: P presents this screen's event, F follows whoever presents."""

    FOLLOW_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("P", "present", "Present", show=False, tooltip="Present: whoever follows sees this event"),
        Binding("F", "follow", "Follow", show=False, tooltip="Follow the presenter's review (step away to stop)"),
    ]

    follow_mode: Mode = ""
    _presented_id: int | None = None

    if TYPE_CHECKING:  # provided by the review screen
        incident_id: str
        position: int
        window: Any

        def say(self, message: str, *, error: bool = False) -> None: ...

        @property
        def wapp(self) -> WarroomApp: ...

        @property
        def current(self) -> Event | None: ...

    def action_present(self) -> None:
        """Start presenting this review (taking over from anyone else), or stop."""
        if self.follow_mode == "presenting":
            self.follow_mode = ""
            self._presented_id = None
            self._write(lambda store: stop_presenting(store, self.incident_id))
            self.say("stopped presenting")
            return
        self.follow_mode = "presenting"
        self._presented_id = None
        self.presenter_moved()
        self.say("presenting: whoever follows (F) sees this event · P stops")

    def action_follow(self) -> None:
        """Follow whoever presents this incident's review, or stop following."""
        if self.follow_mode == "following":
            self.follow_mode = ""
            self.say("stopped following")
            return
        if self.follow_mode == "presenting":
            self._write(lambda store: stop_presenting(store, self.incident_id))
        self.follow_mode = "following"
        where = presented(self.wapp.store, self.incident_id)
        if where is None:
            self.say("following: nobody presents yet; this screen moves when someone does (F stops)")
            return
        self.follow_presenter()
        self.say(f"following {where.presenter or 'the presenter'} (F stops; stepping away stops too)")

    def presenter_moved(self) -> None:
        """Called after each step: record the event when presenting (one small write per move)."""
        event = self.current
        if self.follow_mode != "presenting" or event is None or event.id is None or event.id == self._presented_id:
            return
        self._presented_id = event_id = event.id
        author = self.wapp.author
        self._write(lambda store: present(store, self.incident_id, event_id, author))

    def follow_presenter(self) -> bool:
        """When following, make the presenter's event the current one (without a step of our own)."""
        if self.follow_mode != "following":
            return False
        where = presented(self.wapp.store, self.incident_id)
        if where is None:
            return False
        found = self.window.position_of(where.event_id)
        if found is None or found == self.position:
            return False
        self.position = found
        return True

    def stepped_away(self) -> None:
        """The user stepped on their own: a follower stops following."""
        if self.follow_mode == "following":
            self.follow_mode = ""
            self.say("stopped following (F follows again)")

    def stop_presenting_on_leave(self) -> None:
        """Leaving the screen ends a presentation, so followers are not left on a stale event."""
        if self.follow_mode == "presenting":
            self.follow_mode = ""
            self._write(lambda store: stop_presenting(store, self.incident_id))

    def _write(self, work: Any) -> None:
        """Through the writer thread, like every write of the TUI; an error is shown, never raised."""

        def done(_result: object, error: BaseException | None) -> None:
            if error is not None:
                self.say(f"could not share the review position: {error}", error=True)

        self.wapp.submit(lambda store: work(store), done, reply_to=self)  # type: ignore[arg-type]
