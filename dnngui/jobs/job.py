"""Background work: a function or a generator run in a QThread, reporting through signals.

The work is a function of a JobControl; the worker runs it in its own thread.
A plain function's value is emitted as ``returned``; a generator's items as
``yielded`` and its return value as ``returned``; what went wrong as a one-line
message (``errored``). ``finished`` follows either, once the thread has
stopped, as QThread's does. Between two items of a generator the worker
honours pause and stop requests; the work can ask ``control.stop_requested``
itself to end early with a result. Signals carry
whatever the generator yields or returns, which must be plain data (copies),
never objects the work is still changing.
"""

import gc
import inspect
import threading
import time
import weakref

from PySide6 import QtCore

from dnngui.core.errors import work_message

_running_jobs = weakref.WeakSet()
# Multiply-adds of a network's passes over a set of digits past which the work leaves the window's thread:
# about a tenth of a second on one core. The shipped model reads a validation set well below it; the largest
# network the Train form allows reads one in seconds.
HEAVY_WORK = 2e9


def is_heavy(network, columns):
    """Whether passes of ``network`` over ``columns`` digits would freeze the window: do them in a Job."""
    return network.n_params * columns > HEAVY_WORK


class _GarbageInTheUiThread:
    """While a job runs, Python's cyclic garbage collector runs only in the UI thread.

    Left automatic, it runs in whichever thread allocates when a threshold is
    crossed, the worker's included; if the garbage holds Qt objects (a closed
    window's, say), they are then destroyed in the worker while the UI thread
    destroys their relatives, and the two threads deadlock on Qt's and Python's
    locks (seen: a training run that froze the app). So automatic collection is
    off while jobs run, and a timer collects in the UI thread instead.
    """

    INTERVAL_MS = 500

    def __init__(self):
        self.jobs = 0
        self.was_enabled = True
        self.timer = None

    def job_started(self):
        if self.jobs == 0:
            self.was_enabled = gc.isenabled()
            gc.disable()
            self.timer = QtCore.QTimer()
            self.timer.timeout.connect(self._collect)
            self.timer.start(self.INTERVAL_MS)
        self.jobs += 1

    def job_ended(self):
        self.jobs -= 1
        if self.jobs == 0:
            self.timer.stop()
            self.timer = None
            if self.was_enabled:
                gc.enable()
            gc.collect()

    @staticmethod
    def _collect():
        threshold, counts = gc.get_threshold(), gc.get_count()
        generation = 2 if counts[2] > threshold[2] else 1 if counts[1] > threshold[1] else 0
        if counts[0] > threshold[0] or generation:
            gc.collect(generation)


_garbage = _GarbageInTheUiThread()


def running_jobs():
    """The jobs whose threads are still running (for tests and for shutdown)."""
    return [job for job in list(_running_jobs) if job.is_running]


class JobControl:
    """What the work may ask of its job: whether to stop. Thread-safe."""

    def __init__(self):
        self._stop = threading.Event()
        self._pause = threading.Event()
        self._listeners = []

    def listen(self, changed):
        """Call ``changed()`` (from the thread asking) whenever pause, resume or stop is asked: for work
        that passes them on at once, such as a child process."""
        self._listeners.append(changed)

    def _changed(self):
        for changed in self._listeners:
            changed()

    @property
    def stop_requested(self):
        return self._stop.is_set()

    @property
    def paused(self):
        return self._pause.is_set()

    def pause(self):
        self._pause.set()
        self._changed()

    def resume(self):
        self._pause.clear()
        self._changed()

    def stop(self):
        """Ask the work to stop at its next chance (a paused job stops too)."""
        self._stop.set()
        self._pause.clear()
        self._changed()

    def wait_while_paused(self):
        while self._pause.is_set() and not self._stop.is_set():
            time.sleep(0.02)


class _Worker(QtCore.QObject):
    yielded = QtCore.Signal(object)
    returned = QtCore.Signal(object)
    errored = QtCore.Signal(str)
    paused = QtCore.Signal()

    def __init__(self, make_work, control):
        super().__init__()
        self._make_work = make_work
        self._control = control

    @QtCore.Slot()
    def run(self):
        try:
            work = self._make_work(self._control)
            if not inspect.isgenerator(work):  # a plain function: it has done its work
                self.returned.emit(work)
                return
            while True:
                if self._control.paused:
                    self.paused.emit()  # everything yielded so far has been emitted: nothing more until resumed
                self._control.wait_while_paused()
                try:
                    item = next(work)
                except StopIteration as done:
                    self.returned.emit(done.value)
                    return
                self.yielded.emit(item)
        except Exception as e:  # reported to the person in one line, never as a traceback
            self.errored.emit(work_message(e))
        finally:
            QtCore.QThread.currentThread().quit()  # from this thread: the UI thread may be blocked in wait()


class Job(QtCore.QObject):
    """Runs ``make_work(control)`` (a function or a generator) in a new QThread once ``start`` is called.

    Signals ``yielded``, ``returned``, ``errored`` come from the worker;
    ``finished`` fires after either of the last two, once the thread has stopped.
    """

    yielded = QtCore.Signal(object)
    returned = QtCore.Signal(object)  # the work's result
    errored = QtCore.Signal(str)
    paused = QtCore.Signal()  # the work has stopped between two items, as asked
    finished = QtCore.Signal()  # the thread has stopped, after returned or errored

    def __init__(self, make_work, parent=None):
        super().__init__(parent)
        self.control = JobControl()
        self._thread = QtCore.QThread()
        self._worker = _Worker(make_work, self.control)
        self._worker.moveToThread(self._thread)
        # Queued, so the work runs inside the thread's event loop and its quit() ends that loop.
        self._thread.started.connect(self._worker.run, QtCore.Qt.ConnectionType.QueuedConnection)
        self._worker.yielded.connect(self.yielded)
        self._worker.returned.connect(self.returned)
        self._worker.errored.connect(self.errored)
        self._worker.paused.connect(self.paused)
        self._thread.finished.connect(self._on_thread_finished)

    @property
    def is_running(self):
        return self._thread.isRunning()

    def start(self):
        _running_jobs.add(self)
        _garbage.job_started()
        self._thread.start()

    def _on_thread_finished(self):
        _garbage.job_ended()
        self.finished.emit()

    def pause(self):
        self.control.pause()

    def resume(self):
        self.control.resume()

    def stop(self):
        """Ask the work to stop at its next chance (between two items)."""
        self.control.stop()

    def stop_and_wait(self, ms=5000):
        """Stop and wait for the thread to end; True if it did within ``ms``."""
        self.stop()
        return self._thread.wait(ms)


class Background:
    """A view's one piece of background work at a time, and the button that starts it (disabled meanwhile).

    ``start(work, returned, errored)`` runs ``work(control)`` in a Job, ``returned`` getting its value and
    ``errored`` its one-line message; ``job`` is the Job under way, or None; ``shutdown`` waits for it."""

    def __init__(self, parent, button):
        self.parent, self.button = parent, button
        self.job = None

    def start(self, work, returned, errored):
        self.job = Job(work, self.parent)
        self.job.returned.connect(returned)
        self.job.errored.connect(errored)
        self.job.finished.connect(self._on_finished)
        self.button.setEnabled(False)
        self.job.start()

    def _on_finished(self):
        self.job.deleteLater()
        self.job = None
        self.button.setEnabled(True)

    def shutdown(self, ms=3000):
        """Wait for the work under way, if any (closing the window)."""
        if self.job is not None:
            self.job.stop_and_wait(ms)


class WorksInTheBackground:
    """For a view whose background work goes through a Background, ``self._background``: the window asks
    every view with work of its own for ``job`` (None when idle) and calls ``shutdown`` as it closes."""

    @property
    def job(self):
        """The work under way in the background, or None."""
        return self._background.job

    def shutdown(self, ms=3000):
        """Wait for the work under way, if any (closing the window)."""
        self._background.shutdown(ms)
