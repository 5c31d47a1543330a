"""Soak: many train/stop cycles and canvas classifications must not leak memory.

Slow (minutes): not part of the default run. Run it with  pytest -m slow -s
and note the figures it prints.
"""

import gc
import time

import pytest

from dnngui.jobs.job import running_jobs
from tests.support.window import click, draw, small_settings

CYCLES = 200
CLASSIFICATIONS = 100_000
ALLOWED_GROWTH_MB = 5


def rss_mb():
    with open("/proc/self/status") as f:
        kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return kb / 1024


def train_and_stop(window, qtbot):
    tab = window.train_tab
    click(qtbot, tab.train_button)
    qtbot.waitUntil(lambda: len(tab.history.batch_x) > 2, timeout=10000)
    click(qtbot, tab.stop_button)
    qtbot.waitUntil(lambda: not tab.running, timeout=5000)


@pytest.mark.slow
def test_train_stop_cycles_and_classifications_keep_memory_flat(window, qtbot):
    small_settings(window, epochs=100)
    draw(qtbot, window.canvas, [(14.0, 5.0 + i * 0.5) for i in range(37)])
    for _ in range(5):  # warm up caches, buffers and Qt's pools
        train_and_stop(window, qtbot)
    for _ in range(2000):
        window.update_prediction()
    gc.collect()
    before = rss_mb()
    started = time.monotonic()
    for _ in range(CYCLES):
        train_and_stop(window, qtbot)
    gc.collect()
    after_training = rss_mb()
    cycle_seconds = time.monotonic() - started
    started = time.monotonic()
    for i in range(CLASSIFICATIONS):
        window.update_prediction()
        if i % 1000 == 0:
            qtbot.wait(1)  # let Qt process its events, as it would between pen moves
    gc.collect()
    after = rss_mb()
    print(
        f"\nsoak: RSS {before:.1f} MB before; {after_training:.1f} MB after {CYCLES} train/stop cycles "
        f"({cycle_seconds:.0f} s); {after:.1f} MB after {CLASSIFICATIONS:,} classifications "
        f"({time.monotonic() - started:.0f} s): growth {after - before:+.1f} MB"
    )
    assert not running_jobs()
    assert after_training - before < ALLOWED_GROWTH_MB
    assert after - before < ALLOWED_GROWTH_MB
