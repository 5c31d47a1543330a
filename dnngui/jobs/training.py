"""The training work the app runs in a background job (plain Python, no Qt).

It runs the core trainer and turns its stream of records into at most ~30
updates a second, each carrying copies: the batches and epochs since the last
update and, every few hundred milliseconds, a snapshot of the weights so the
window can re-classify the drawing as the network learns. The run goes to a
child process (:func:`process_work`), whose updates the job passes on.
"""

import multiprocessing
import os
import time
from dataclasses import dataclass

from dnngui.core import blas
from dnngui.core import recipe as _recipe
from dnngui.core.errors import DnnguiError, TrainingDivergedError, work_message
from dnngui.core.trainer import BatchDone

# The plots' records arrive 20 times a second: still a live curve, and less of a core than 30 (docs/design.md).
UPDATE_INTERVAL = 1 / 20
HEALTH_EVERY = 10  # steps between the health figures of a run (core.health), for the Health tab
SNAPSHOT_INTERVAL = 0.3
SNAPSHOT_OVERDUE = 4  # snapshot intervals without one: the next goes right after the records


def copy_params(network):
    return {k: v.copy() for k, v in network.params.items()}


@dataclass(frozen=True)
class Progress:
    """What happened since the last update. ``params``: a weight snapshot, or None."""

    batches: tuple  # BatchDone records
    epochs: tuple  # EpochDone records
    steps: int  # batches per epoch
    params: dict | None


@dataclass(frozen=True)
class Outcome:
    """How training ended: ``network`` holds the weights to keep; ``completed``, whether every epoch ran;
    ``error``, why it stopped early (it diverged), or None."""

    network: object  # a new network (not the one training used) holding the kept weights
    completed: bool
    error: str | None = None


def cross_check_work(tuned, control):
    """The job of reading each drawing with a fine-tune that never saw it (core.recipe.cross_check);
    ``tuned``: a core.recipe.FineTune."""
    return _recipe.cross_check(tuned.before, tuned.mine, tuned.base)


def prepare(recipe, corpus, start_network):
    """Check everything and set up a run, in the UI thread: (network, the core trainer's generator).

    HyperParameterError comes out here, before any work. ``start_network``: a
    copy to continue training, or None to start fresh. The network returned
    belongs to the run from now on.
    """
    return _recipe.start(recipe, corpus, network=start_network, health_every=HEALTH_EVERY)


def training_work(network, run, control):
    """The run as a generator of Progress, returning an Outcome; stops between batches when asked.

    A weight snapshot travels alone, half an update interval after the records:
    the window redraws the plots for one and re-reads the drawing for the other
    in different frames, so neither waits for the other.
    """
    batches, epochs = [], []
    steps = 0
    last_update = last_snapshot = time.monotonic()
    snapshot_due = False
    try:
        for record in run:
            if isinstance(record, BatchDone):
                batches.append(record)
                steps = record.steps
            else:
                epochs.append(record)
                snapshot_due = True  # the weights at the end of an epoch
            now = time.monotonic()
            updated = now - last_update >= UPDATE_INTERVAL
            if updated:
                yield Progress(tuple(batches), tuple(epochs), steps, None)
                batches, epochs, last_update = [], [], now
            # a snapshot goes half an update interval after the records; when every batch is slower than an
            # update interval (an 8 × 4096 network) that moment never comes, so one long overdue goes at once
            overdue = now - last_snapshot >= SNAPSHOT_OVERDUE * SNAPSHOT_INTERVAL
            if (snapshot_due or now - last_snapshot >= SNAPSHOT_INTERVAL) and (
                (not updated and now - last_update >= UPDATE_INTERVAL / 2) or overdue
            ):
                yield Progress((), (), steps, copy_params(network))
                snapshot_due, last_snapshot = False, now
            if control.stop_requested:
                break
        else:
            yield Progress(tuple(batches), tuple(epochs), steps, copy_params(network))
            return Outcome(network.copy(), completed=True)
    except TrainingDivergedError as e:
        yield Progress(tuple(batches), tuple(epochs), steps, None)
        return Outcome(network.copy(), completed=False, error=str(e))
    yield Progress(tuple(batches), tuple(epochs), steps, copy_params(network))
    return Outcome(network.copy(), completed=False)


# ---------------------------------------------------------------- in a child process
# The run itself goes to a child process: the window's thread then shares no GIL with training, and it
# trains a third faster beside the window than in a thread (docs/design.md).
# False runs it in the job's thread instead: only tests that patch the trainer (a slow or failing batch) do,
# since a spawned child imports its modules afresh.
IN_CHILD_PROCESS = True
POLL_SECONDS = 0.05  # how often the job looks at stop and pause while waiting for the child
CHILD_ENDED = "the training process ended unexpectedly"
STOP_DEADLINE_SECONDS = 10.0  # after Stop, a child silent this long (stopped, hung) is ended, or
STOP_DEADLINE_GAPS = 3  # this many times its longest silence so far, if longer: a slow batch is not a hang
CHILD_SILENT = "the training process did not answer Stop for {:.0f} s (it was stopped or hung) and was ended"
CHILD_NICENESS = 19  # added to the child's nice value: the lowest priority


class _ChildControl:
    """The child's view of the job's control: stop and pause, through events the parent sets."""

    def __init__(self, stop, pause):
        self._stop, self._pause = stop, pause

    @property
    def stop_requested(self):
        while self._pause.is_set() and not self._stop.is_set():  # paused: between two batches, as asked
            time.sleep(0.02)
        return self._stop.is_set()


def _child(connection, stop, pause, make_run):
    """The child process: set up the run with ``make_run()``, send each Progress, then ("outcome", Outcome)
    or ("error", a one-line message).

    BLAS runs on one thread, and the thread preparing the batches (core.batches) shares the window's
    core, at the lowest priority: the window wakes first whenever it has work. Measured (docs/design.md):
    without the lower priority the Train tab's p99 tick gap rose to 22–25 ms."""
    blas.set_threads(1)
    if hasattr(os, "nice"):  # not on Windows
        os.nice(CHILD_NICENESS)
    try:
        network, run = make_run()
        work = training_work(network, run, _ChildControl(stop, pause))
        while True:
            try:
                connection.send(("progress", next(work)))
            except StopIteration as done:
                connection.send(("outcome", done.value))
                return
    except Exception as e:  # one line for the window, never a traceback
        connection.send(("error", work_message(e)))
    finally:
        connection.close()


def process_work(make_run, control):
    """The job's work when the run goes to a child process: a generator of Progress returning an Outcome.

    ``make_run``: a picklable callable returning (network, the core trainer's generator), called in
    the child. Stop and pause requests are passed on to the child between two batches.
    """
    context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt's threads
    receiving, sending = context.Pipe(duplex=False)
    stop, pause = context.Event(), context.Event()
    child = context.Process(target=_child, args=(sending, stop, pause, make_run), daemon=True)
    child.start()
    sending.close()

    def pass_on():
        (pause.set if control.paused else pause.clear)()
        if control.stop_requested:
            stop.set()

    control.listen(pass_on)
    pass_on()
    stop_asked = None  # when Stop was asked: the child then has a deadline to answer
    last_heard, longest_silence = None, 0.0  # between two messages: about a batch, when batches are slow
    try:
        while True:
            if not receiving.poll(POLL_SECONDS):
                if not child.is_alive() and not receiving.poll(0):
                    raise DnnguiError(CHILD_ENDED)
                if control.stop_requested:
                    stop_asked = stop_asked or time.monotonic()
                    deadline = max(STOP_DEADLINE_SECONDS, STOP_DEADLINE_GAPS * longest_silence)
                    if time.monotonic() - stop_asked > deadline:
                        child.kill()  # SIGKILL ends a stopped process too
                        raise DnnguiError(CHILD_SILENT.format(deadline))
                if control.paused:  # the child has stopped between batches and sent all it had:
                    yield Progress((), (), 0, None)  # an empty update, so the job can say it is paused
                continue
            try:
                kind, item = receiving.recv()
            except (EOFError, OSError):
                raise DnnguiError(CHILD_ENDED) from None
            now = time.monotonic()
            if last_heard is not None:
                longest_silence = max(longest_silence, now - last_heard)
            last_heard = now
            if kind == "progress":
                yield item
            elif kind == "outcome":
                return item
            else:
                raise DnnguiError(item)
    finally:
        stop.set()
        child.join(5)
        if child.is_alive():
            child.kill()
        receiving.close()
