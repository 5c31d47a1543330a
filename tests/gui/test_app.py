"""The main window: drawing, live classification, undo and clear, model files."""

import gc

import numpy as np
import pytest
from PySide6 import QtCore

from dnngui import core
from dnngui.widgets.prediction import NO_GUESS
from dnngui.window.main_window import MainWindow
from tests.support.window import draw


def vertical_stroke():
    return [(14.0, 5.0 + i * 0.5) for i in range(37)]


def ellipse(cx=14.0, cy=14.0, rx=5.5, ry=8.0, n=60):
    t = np.linspace(0, 2 * np.pi, n)
    return list(zip(cx + rx * np.sin(t), cy - ry * np.cos(t), strict=True))


def test_window_opens_with_the_shipped_model_and_no_guess(window):
    assert window.findChild(type(window.canvas), "canvas") is window.canvas
    label = window.findChild(type(window.panel.label), "predictionLabel")
    assert label.text() == NO_GUESS
    assert window.findChild(type(window.panel.plot), "probabilityPlot") is not None
    assert np.all(window.panel.heights == 0)
    assert len(window.panel.heights) == 10


def test_drawing_a_one_and_a_zero(window, qtbot):
    draw(qtbot, window.canvas, vertical_stroke())
    assert window.panel.label.text() == "1"
    assert abs(window.panel.heights.sum() - 1) < 1e-5
    assert window.panel.heights.argmax() == 1
    window.canvas.clear()
    assert window.panel.label.text() == NO_GUESS
    draw(qtbot, window.canvas, ellipse())
    assert window.panel.label.text() == "0"
    assert "P = " in window.panel.confidence.text()


def test_prediction_updates_while_the_stroke_is_drawn(window, qtbot):
    canvas = window.canvas
    points = [canvas.cell_centre(x, y).toPoint() for x, y in vertical_stroke()]
    qtbot.mousePress(canvas, QtCore.Qt.MouseButton.LeftButton, pos=points[0])
    for p in points[1:]:
        qtbot.mouseMove(canvas, p)
    qtbot.waitUntil(lambda: window.panel.label.text() != NO_GUESS, timeout=1000)
    assert window.drawing.drawing_in_progress  # the pen is still down
    qtbot.mouseRelease(canvas, QtCore.Qt.MouseButton.LeftButton, pos=points[-1])


def test_undo_removes_the_last_stroke_and_clear_empties(window, qtbot):
    draw(qtbot, window.canvas, vertical_stroke())
    one_ink = window.drawing.ink.copy()
    draw(qtbot, window.canvas, [(8.0, 8.0), (20.0, 8.0)])  # a bar across the top
    assert not np.array_equal(window.drawing.ink, one_ink)
    window.undo_action.trigger()
    np.testing.assert_array_equal(window.drawing.ink, one_ink)
    assert window.panel.label.text() == "1"
    window.clear_action.trigger()
    assert window.drawing.is_blank
    assert window.panel.label.text() == NO_GUESS
    assert np.all(window.panel.heights == 0)


def test_keyboard_shortcuts(window, qtbot):
    draw(qtbot, window.canvas, vertical_stroke())
    draw(qtbot, window.canvas, [(8.0, 8.0), (20.0, 8.0)])
    qtbot.keyClick(window.canvas, QtCore.Qt.Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert len(window.drawing.strokes) == 1
    qtbot.keyClick(window.canvas, QtCore.Qt.Key.Key_Escape)
    assert window.drawing.is_blank
    draw(qtbot, window.canvas, vertical_stroke())
    qtbot.keyClick(window.canvas, QtCore.Qt.Key.Key_Delete)
    assert window.drawing.is_blank
    width = window.canvas.brush_width
    qtbot.keyClick(window.canvas, QtCore.Qt.Key.Key_BracketRight)
    assert window.canvas.brush_width > width


def test_right_button_erases(window, qtbot):
    draw(qtbot, window.canvas, vertical_stroke())
    draw(qtbot, window.canvas, [(10.0, 14.0), (18.0, 14.0)], button=QtCore.Qt.MouseButton.RightButton)
    assert window.drawing.ink[14, 13:15].max() < 0.05
    assert window.drawing.ink[6, 13:15].max() > 0.9


def test_a_bad_model_file_shows_the_message_and_keeps_the_model(window, dialogs, tmp_path):
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"definitely not a model")
    before = window.state.network
    assert not window.files.open_model(str(bad))
    assert dialogs.errors == ["broken.npz is not a model file (not an .npz archive)"]
    assert window.state.network is before


def test_save_as_then_open_recent(window, dialogs, tmp_path):
    dialogs.save_path = str(tmp_path / "mine")
    assert window.files.save_model_as()
    assert (tmp_path / "mine.npz").exists()
    assert window.state.name == "mine.npz"
    window.files.revert_action.trigger()
    recent = [a.text() for a in window.files.recent_menu.actions()]
    assert "mine.npz" in recent
    next(a for a in window.files.recent_menu.actions() if a.text() == "mine.npz").trigger()
    assert window.state.name == "mine.npz"


def test_zero_one_model_shows_two_bars(window, qtbot):
    window.files.zero_one_action.trigger()
    assert len(window.panel.heights) == 2
    draw(qtbot, window.canvas, vertical_stroke())
    assert window.panel.label.text() == "1"


def test_unsaved_weights_prompt_before_closing(window, dialogs, qtbot):
    window.state.replace(window.state.network.copy())  # as a finished training run does
    dialogs.save_answer = "cancel"
    window.close()
    assert window.isVisible() and dialogs.save_questions == 1
    dialogs.save_answer = "discard"
    window.close()
    assert not window.isVisible()


def test_a_full_garbage_collection_skips_what_the_window_started_with(window, qtbot):
    """A full collection scanned the 80,000 objects of the app's start: 35–50 ms, a frame and a half lost
    every few minutes. They are set aside once the window shows, and given back when it closes."""
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0)
    tracked = len(gc.get_objects())
    assert gc.get_freeze_count() > 5 * tracked  # a full collection sees only what came after
    window.close()
    assert gc.get_freeze_count() == 0


def test_the_held_out_writers_are_drawn_beside_the_shown_window_before_train_needs_them(window, qtbot):
    held = window.data_source.corpus.pen_validation
    assert len(held) == 3  # UCI's writers, UNIPEN's writers, a UNIPEN laboratory
    qtbot.waitUntil(lambda: all(v._images is not None for v in held))  # the window opened first, then they were drawn
    assert window.isVisible() and all(len(v.images) == len(v.labels) for v in held)


def test_geometry_and_brush_are_remembered(qtbot):
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    first.resize(first.minimumSizeHint() + QtCore.QSize(13, 7))
    size = first.size()
    first.brush_slider.setValue(35)
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.height() == size.height()  # (the offscreen screen is narrower than the window)
    assert second.canvas.brush_width == 3.5


def test_a_model_that_does_not_take_784_inputs_is_refused(window, dialogs, tmp_path):
    core.Network([10, 4, 2]).save(tmp_path / "tiny.npz")
    assert not window.files.open_model(str(tmp_path / "tiny.npz"))
    assert "takes 10 inputs" in dialogs.errors[0]


def test_a_name_typed_without_its_extension_never_replaces_a_file_unasked(window, dialogs, tmp_path):
    """The dialog asks about the name typed ("zero-one"); the file written is zero-one.npz, so it is asked here."""
    existing = tmp_path / "zero-one.npz"
    existing.write_bytes(b"a person's file")
    dialogs.save_path = str(tmp_path / "zero-one")
    assert not window.files.save_model_as()  # the answer was no
    assert dialogs.replace_questions == [str(existing)] and existing.read_bytes() == b"a person's file"
    dialogs.replace_answer = True
    assert window.files.save_model_as() and window.state.name == "zero-one.npz"
    assert existing.read_bytes() != b"a person's file"


def test_exporting_drawings_onto_the_file_dnngui_keeps_them_in_is_refused(window, qtbot, dialogs):
    from tests.support.window import draw

    draw(qtbot, window.canvas, [(14, 5), (14, 23)])
    qtbot.keyClick(window.canvas, QtCore.Qt.Key.Key_1)
    kept = window.personal_store.path
    before = kept.read_bytes()
    dialogs.save_path = str(kept)
    assert not window.my_digits.export_drawings()
    assert dialogs.errors == ["That is the file dnngui keeps your drawings in; choose another."]
    assert kept.read_bytes() == before


def test_a_press_in_the_margin_beside_the_grid_leaves_the_canvas_blank(window, qtbot):
    canvas = window.canvas
    canvas.resize(400, 300)  # wider than tall (it is never taller than wide): a margin left of the grid
    beside = canvas.cell_centre(0, 14).toPoint() - QtCore.QPoint(14, 0)
    assert beside.x() >= 0
    qtbot.mouseClick(canvas, QtCore.Qt.MouseButton.LeftButton, pos=beside)
    assert window.drawing.is_blank
    qtbot.mouseClick(canvas, QtCore.Qt.MouseButton.LeftButton, pos=canvas.cell_centre(1, 14).toPoint())
    assert not window.drawing.is_blank  # on the grid, a click inks


def test_file_export_python_script_writes_a_script_that_reads_as_the_app(window, dialogs, tmp_path):
    import subprocess
    import sys

    dialogs.save_path = str(tmp_path / "mine")
    assert window.export_script()
    assert {p.name for p in tmp_path.glob("mine*")} == {"mine.py", "mine.weights.npz", "mine.digits.npz"}
    assert "mine.py" in window.statusBar().currentMessage()
    result = subprocess.run([sys.executable, "mine.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    val = window.data_source.validation
    app = window.state.network.evaluate(val.images.reshape(len(val), -1).T, val.labels)[1]
    assert f"accuracy on 1000 validation digits: {app:.4f}" in result.stdout  # the model's, as Evaluate says
    dialogs.save_path = str(tmp_path / "mine.py")
    assert not window.export_script()  # its weights are there already, and the answer is no
    assert str(tmp_path / "mine.weights.npz") in dialogs.replace_questions


def test_an_onnx_model_opens_and_is_saved_as_a_dnngui_model_and_exports_as_onnx(window, dialogs, tmp_path):
    pytest.importorskip("onnx", reason='the ONNX extra is not installed (pip install "dnngui[onnx]")')
    from dnngui.core import onnxfile

    dialogs.save_path = str(tmp_path / "shipped")
    assert window.export_onnx() and (tmp_path / "shipped.onnx").exists()
    assert "input 'pixels'" in window.statusBar().currentMessage()
    assert window.files.open_model(str(tmp_path / "shipped.onnx"))
    assert window.state.network.sizes == (784, 512, 256, 10) and window.state.save_needs_a_name
    dialogs.save_path = str(tmp_path / "from-onnx")
    assert window.files.save_model()  # Save asks for a name: it is written as .npz, the .onnx stays
    assert (tmp_path / "from-onnx.npz").exists() and onnxfile.load_onnx(tmp_path / "shipped.onnx")
    (tmp_path / "conv.onnx").write_bytes(b"not onnx")
    assert not window.files.open_model(str(tmp_path / "conv.onnx"))
    assert dialogs.errors and "conv.onnx" in dialogs.errors[-1] and "\n" not in dialogs.errors[-1]


def test_export_onnx_says_what_to_install_when_the_extra_is_missing(window, dialogs, monkeypatch):
    from dnngui.core import onnxfile

    monkeypatch.setattr(onnxfile, "available", lambda: False)
    assert not window.export_onnx()
    assert dialogs.errors == ['ONNX needs the onnx package: pip install "dnngui[onnx]", then export again.']
