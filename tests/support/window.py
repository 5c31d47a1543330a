"""Acting on the real window as a person would: drawing with the mouse, clicking, setting up a run."""

import numpy as np
from PySide6 import QtCore


def draw(qtbot, canvas, points, button=QtCore.Qt.MouseButton.LeftButton):
    """Drag the mouse on the canvas through ``points`` given in cell units."""
    positions = [canvas.cell_centre(x, y).toPoint() for x, y in points]
    qtbot.mousePress(canvas, button, pos=positions[0])
    for p in positions[1:]:
        qtbot.mouseMove(canvas, p)
    qtbot.mouseRelease(canvas, button, pos=positions[-1])


def small_settings(window, hidden="16", epochs=3, lr="0.003"):
    form = window.train_tab.form
    form.hidden.setText(hidden)
    form.epochs.setValue(epochs)
    form.lr.setText(lr)
    form.batch.setValue(64)
    form.augment.setChecked(False)


def points(curve):
    """The curve's full data (getData() gives what is drawn, clipped and downsampled)."""
    return (np.array([]), np.array([])) if curve.xData is None else (curve.xData, curve.yData)


def click(qtbot, button):
    qtbot.mouseClick(button, QtCore.Qt.MouseButton.LeftButton)


def start_long_run(window, qtbot, batches=5):
    """Click Train on a run far too long to finish, and wait until some batches are plotted."""
    small_settings(window, epochs=200)
    click(qtbot, window.train_tab.train_button)
    qtbot.waitUntil(lambda: len(window.train_tab.history.batch_x) > batches, timeout=10000)


def stop_and_wait(window, qtbot):
    click(qtbot, window.train_tab.stop_button)
    qtbot.waitUntil(lambda: not window.train_tab.running, timeout=5000)
