"""Background jobs: the garbage collector stays in the UI thread while they run."""

import gc
import threading
import time

import numpy as np

from dnngui.jobs.job import Job, running_jobs


def allocating_work(control):
    """Many container objects: enough to trigger the collector's thresholds many times over,
    reported about 30 times a second, like training."""
    while not control.stop_requested:
        until = time.monotonic() + 0.03
        while time.monotonic() < until:
            junk = [[np.zeros(2)] for _ in range(2000)]
            del junk
        yield None
    return "stopped"


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
