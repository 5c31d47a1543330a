"""Test set-up shared by every test: Qt offscreen (no display), settings in a temporary
folder, and dialogs that never block."""

import os
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture(autouse=True)
def _no_dangling_threads():
    """Fail a test that leaves a Python thread running."""
    before = set(threading.enumerate())
    yield
    leftover = [
        t
        for t in threading.enumerate()
        if t not in before and t.is_alive() and not isinstance(t, threading._DummyThread)  # Qt's own threads
    ]
    assert not leftover, f"threads left running: {leftover}"
