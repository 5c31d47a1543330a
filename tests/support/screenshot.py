"""Render the real main window, with a digit drawn on it and a short training run
plotted, to a PNG for the README.

    python -m tests.support.screenshot [main] [step] [saliency]   (default: all three)

Runs offscreen (no display needed). Run it again whenever the window's look changes.
"""

import os
import sys
from pathlib import Path

import numpy as np

# A "3" written in two strokes, in canvas cells.
_T = np.linspace(0, 1, 24)
STROKES = [
    list(zip(9 + 9 * np.sin(np.pi * _T) ** 0.8, 6 + 8 * _T, strict=True)),
    list(zip(10 + 9.5 * np.sin(np.pi * _T) ** 0.8, 14 + 9 * _T, strict=True)),
]


def scratch_window(size):
    """(app, a shown MainWindow) offscreen, in a temporary profile: a first start that leaves the
    person's settings and drawings alone. Also for the benchmarks in tests/bench."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import QtWidgets

    from dnngui.state.my_digits import PersonalStore
    from dnngui.state.settings import use_temporary_profile
    from dnngui.window.main_window import MainWindow

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    profile = use_temporary_profile()
    window = MainWindow(personal_store=PersonalStore(profile / "data"))
    window.resize(*size)
    window.show()
    app.processEvents()
    return app, window


def draw_strokes(canvas, strokes):
    """Put ``strokes`` (lists of points in cells) on the canvas with its brush, then let it be read."""
    for stroke in strokes:
        canvas.drawing.begin(stroke[0], canvas.brush_width)
        for point in stroke[1:]:
            canvas.drawing.extend(point)
        canvas.drawing.end()
    canvas.stroke_finished.emit()
    canvas.update()


def render(path, size=(1200, 800)):
    from PySide6 import QtCore

    app, window = scratch_window(size)
    draw_strokes(window.canvas, STROKES)
    tab = window.train_tab  # a short training run, so the cost plot has something to show
    tab.form.epochs.setValue(4)
    tab.start()
    loop = QtCore.QEventLoop()
    tab.running_changed.connect(lambda running: running or loop.quit())
    loop.exec()
    for _ in range(5):
        app.processEvents()
        QtCore.QThread.msleep(20)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    window.state.dirty = False
    window.close()
    return window.panel.label.text()


# A seven with a bar across, as many people write it.
SEVEN = [[(8.0, 6.0), (20.0, 6.0), (12.0, 23.0)], [(10.0, 14.5), (18.0, 14.5)]]


def render_step(path, why, size=(1400, 900)):
    """The Step tab after one step teaching a crossed seven as a 1; with ``why``, the saliency of 7 shown."""
    app, window = scratch_window(size)
    draw_strokes(window.canvas, SEVEN)
    window.side_tabs.setCurrentWidget(window.step_view)
    view = window.step_view
    view.target.setCurrentIndex(1)
    view.lr.setValue(0.01)
    view.teach_one_step()
    if why:
        view.why_class.setCurrentIndex(7)
        view.why.setChecked(True)
    for _ in range(5):
        app.processEvents()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    window.close()
    return view.status.text()


if __name__ == "__main__":
    which = sys.argv[1:] or ["main", "step", "saliency"]
    if "main" in which:
        print(f"wrote assets/screenshots/main.png (the window guesses {render('assets/screenshots/main.png')})")
    if "step" in which:
        print(f"wrote assets/screenshots/step.png ({render_step('assets/screenshots/step.png', why=False)})")
    if "saliency" in which:
        render_step("assets/screenshots/saliency.png", why=True)
        print("wrote assets/screenshots/saliency.png")
