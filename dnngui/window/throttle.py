"""The classify throttle: re-read the drawing about once per screen frame while the pen moves."""

from PySide6 import QtCore, QtGui


def frame_budget_ms(widget):
    """Three quarters of a screen frame: a pen move waits at most that, plus the ~1 ms the
    update takes, so its bars are ready within the frame it happened in."""
    screen = widget.screen() or QtGui.QGuiApplication.primaryScreen()
    rate = screen.refreshRate() if screen is not None else 60.0
    return max(4, int(0.75 * 1000 / (rate if rate > 1 else 60.0)))


class Throttle(QtCore.QObject):
    """Calls ``update`` at most once per ``interval_ms``: at once if the last call is old enough,
    else as soon as it is. ``now()`` calls it at once (the pen lifted)."""

    def __init__(self, update, interval_ms, parent=None):
        super().__init__(parent)
        self._update = update
        self.interval = interval_ms
        self._clock = QtCore.QElapsedTimer()
        self._clock.start()
        self._last = -interval_ms
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.now)

    def request(self):
        """Something changed: update within the interval."""
        if self._timer.isActive():
            return
        since = self._clock.elapsed() - self._last
        if since >= self.interval:
            self.now()
        else:
            self._timer.start(self.interval - since)

    def now(self):
        self._timer.stop()
        self._last = self._clock.elapsed()
        self._update()
