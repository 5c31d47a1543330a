"""Render the real main window, with a digit drawn on it and a short training run
plotted, to a PNG for the README.

    python -m tests.support.screenshot [main] [laptop] [dark] [step] [saliency] [teach] [health] [export]
                                                                                   (default: all)

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

    from dnngui.state.personal_store import PersonalStore
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


def render(path, size=(1200, 800), theme=None):
    app, window = scratch_window(size)
    if theme is not None:
        window.set_theme(theme)
    draw_strokes(window.canvas, STROKES)
    window.train_tab.form.epochs.setValue(4)  # a short training run, so the cost plot has something to show
    train_and_save(app, window, path)
    return window.panel.label.text()


def train_and_save(app, window, path):
    """Train with the Train tab's settings until done, then save the window as ``path`` and close it."""
    from PySide6 import QtCore

    tab = window.train_tab
    tab.start()
    loop = QtCore.QEventLoop()
    tab.running_changed.connect(lambda running: running or loop.quit())
    loop.exec()
    for _ in range(30):  # the plots drawn a frame at a time (the Health tab's histograms) catch up
        app.processEvents()
        QtCore.QThread.msleep(20)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    window.state.dirty = False
    window.close()


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


def render_teach(path, writer=22, per_digit=2, size=(1400, 900)):
    """My digits after teaching two drawings of each digit by a held-out pen writer, and fine-tuning."""
    import numpy as np
    from PySide6 import QtCore

    from dnngui.core import corpus, pen
    from dnngui.core.ink import DEFAULT_WIDTH

    app, window = scratch_window(size)
    held = corpus.load().pen_validation[0].strokes
    theirs = held.subset(held.writers == writer)
    rng = np.random.default_rng(writer)
    taught = np.concatenate([rng.permutation(np.flatnonzero(theirs.labels == d))[:per_digit] for d in range(10)])
    for i, image in zip(taught, pen.draw(theirs, taught), strict=True):
        strokes = [(DEFAULT_WIDTH, points) for points in pen.canvas_strokes(theirs, i)]
        window.personal_store.add(image.reshape(-1) / 255.0, int(theirs.labels[i]), strokes)
    draw_strokes(window.canvas, pen.canvas_strokes(theirs, int(np.flatnonzero(theirs.labels == 9)[-1])))
    window.my_digits.fine_tune_button.click()
    loop = QtCore.QEventLoop()
    check = QtCore.QTimer()
    check.timeout.connect(lambda: window.train_tab.running or window.my_digits.job or loop.quit())
    check.start(100)
    loop.exec()
    window.side_tabs.setCurrentWidget(window.my_digits)
    for _ in range(5):
        app.processEvents()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    window.state.dirty = False
    window.close()
    report = window.my_digits.report
    return "; ".join(
        " ".join(report.item(r, c).text() for c in range(report.columnCount())) for r in range(report.rowCount())
    )


def render_health(path, experiment="vanishing", size=(1400, 900)):
    """The Health tab after a classic experiment has trained (the last epoch's histograms and units)."""

    app, window = scratch_window(size)
    draw_strokes(window.canvas, SEVEN)
    window.train_tab.use_experiment(experiment)
    window.side_tabs.setCurrentWidget(window.health_view)
    train_and_save(app, window, path)
    return window.health_view.status.text()


def render_export(path, size=(1000, 900)):
    """The Math tab beside the forward and backward cells of the Python script File ▸ Export writes
    for the same network: the equations the tab shows, as the code that computes them."""
    from PySide6 import QtGui, QtWidgets

    from dnngui.core.export import script_text

    app, window = scratch_window(size)
    draw_strokes(window.canvas, STROKES)
    window.side_tabs.setCurrentWidget(window.math_view)
    for _ in range(5):
        app.processEvents()
    tab = window.grab()
    text = script_text(window.state.network, "digits.npz (shipped)", "net_weights.npz", "net_digits.npz")
    start = text.index("# %% Forward propagation")
    end = text.index("# %% The digits")
    code = QtWidgets.QPlainTextEdit(text[start:end].rstrip() + "\n")
    code.setReadOnly(True)
    font = QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont)
    font.setPointSize(9)
    code.setFont(font)
    code.setLineWrapMode(QtWidgets.QPlainTextEdit.LineWrapMode.NoWrap)
    code.setWindowTitle("net.py")
    code.resize(860, tab.height())
    code.show()
    app.processEvents()
    shot = code.grab()
    image = QtGui.QImage(tab.width() + shot.width(), tab.height(), QtGui.QImage.Format.Format_RGB32)
    painter = QtGui.QPainter(image)
    painter.drawPixmap(0, 0, tab)
    painter.drawPixmap(tab.width(), 0, shot)
    painter.end()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path)):
        raise SystemExit(f"could not write {path}")
    code.close()
    window.state.dirty = False
    window.close()


if __name__ == "__main__":
    which = sys.argv[1:] or ["main", "laptop", "dark", "step", "saliency", "teach", "health", "export"]
    if "main" in which:
        print(f"wrote assets/screenshots/main.png (the window guesses {render('assets/screenshots/main.png')})")
    if "laptop" in which:  # the smallest screen the window is made for
        render("assets/screenshots/main-1024.png", size=(1024, 640))
        print("wrote assets/screenshots/main-1024.png")
    if "dark" in which:
        render("assets/screenshots/main-dark.png", size=(1024, 640), theme="Dark")
        print("wrote assets/screenshots/main-dark.png")
    if "step" in which:
        print(f"wrote assets/screenshots/step.png ({render_step('assets/screenshots/step.png', why=False)})")
    if "saliency" in which:
        render_step("assets/screenshots/saliency.png", why=True)
        print("wrote assets/screenshots/saliency.png")
    if "teach" in which:
        print(f"wrote assets/screenshots/teach.png ({render_teach('assets/screenshots/teach.png')})")
    if "health" in which:
        render_health("assets/screenshots/health-vanishing.png", "vanishing")
        render_health("assets/screenshots/health-dead.png", "dead")
        print("wrote assets/screenshots/health-vanishing.png and health-dead.png")
    if "export" in which:
        render_export("assets/screenshots/export.png")
        print("wrote assets/screenshots/export.png")
