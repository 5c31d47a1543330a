"""Background jobs: the garbage collector stays in the UI thread while they run."""

import gc
import threading

import numpy as np

from dnngui.core.errors import work_message
from dnngui.jobs.job import Job, running_jobs


def allocating_work(control):
    """Many container objects: enough to trigger the collector's thresholds many times over,
    reported item by item, like training."""
    while not control.stop_requested:
        for _ in range(20):
            junk = [[np.zeros(2)] for _ in range(2000)]
            del junk
        yield None
    return "stopped"


def test_a_plain_function_returns_its_value_then_the_job_finishes(qtbot):
    job = Job(lambda control: 6 * 7)
    returned = []
    job.returned.connect(returned.append)
    with qtbot.waitSignals([job.returned, job.finished], order="strict", timeout=5000):
        job.start()
    assert returned == [42]
    assert not job.is_running


def test_a_generator_yields_each_item_then_returns_its_value(qtbot):
    def work(control):
        yield 1
        yield 2
        return "done"

    job = Job(work)
    items, returned = [], []
    job.yielded.connect(items.append)
    job.returned.connect(returned.append)
    with qtbot.waitSignals([job.returned, job.finished], order="strict", timeout=5000):
        job.start()
    assert items == [1, 2] and returned == ["done"]


def test_garbage_is_collected_only_in_the_ui_thread_while_a_job_runs(qtbot):
    ui_thread = threading.get_ident()
    collections = []

    def record(phase, info):
        if phase == "start":
            collections.append(threading.get_ident())

    gc.callbacks.append(record)
    try:
        job = Job(allocating_work)
        job.start()
        for _ in range(20):  # cyclic garbage in the UI thread too, as closed windows leave
            a, b = [], []
            a.append(b)
            b.append(a)
            qtbot.wait(50)
        assert job.stop_and_wait(5000)
        qtbot.waitUntil(lambda: gc.isenabled(), timeout=2000)
    finally:
        gc.callbacks.remove(record)
    assert collections, "the timer collected nothing"
    assert set(collections) == {ui_thread}
    assert not running_jobs()


def test_a_training_child_stopped_by_sigstop_is_ended_after_the_deadline_and_said(window, qtbot, monkeypatch):
    """With the child stopped (SIGSTOP), Stop never completed and the window could not close."""
    import multiprocessing
    import os
    import signal

    from dnngui.jobs import training
    from tests.support.window import click, start_long_run

    monkeypatch.setattr(training, "STOP_DEADLINE_SECONDS", 1.0)
    start_long_run(window, qtbot)
    children = multiprocessing.active_children()
    assert len(children) == 1
    os.kill(children[0].pid, signal.SIGSTOP)
    try:
        click(qtbot, window.train_tab.stop_button)
        qtbot.waitUntil(lambda: not window.train_tab.running, timeout=30000)
    finally:
        if children[0].is_alive():
            os.kill(children[0].pid, signal.SIGCONT)
    message = window.train_tab.message.text()
    assert "did not answer Stop" in message and "was ended" in message
    assert not children[0].is_alive()


def test_work_that_fails_is_said_in_one_line_in_a_thread_as_in_the_training_process(qtbot):
    def refused(control):
        raise PermissionError(13, "Permission denied", "/some/folder/model.npz")

    job = Job(refused)
    errors = []
    job.errored.connect(errors.append)
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.start()
    assert errors == ["model.npz: Permission denied"]
    assert work_message(MemoryError()).startswith("not enough memory")
    assert work_message(KeyError("x")) == "unexpected KeyError: 'x'"
