"""Pen strokes on the real canvas: the same network input as the core's brush, and replays from Evaluate."""

import numpy as np
import pytest

from dnngui.core import ink, pen, pendigits
from dnngui.core.preprocess import to_mnist, to_mnist_batch
from dnngui.widgets.canvas import Canvas
from tests.support.unipen_text import unipen_text
from tests.support.window import draw


def core_ink(strokes, width):
    """The ink the core's brush, as training uses it, makes of ``strokes``."""
    p0, p1 = ink.segments(strokes)
    return ink.render(p0, p1, np.zeros(len(p0), np.intp), [width], 1)


@pytest.mark.parametrize("source", ["UCI", "UNIPEN"])
def test_strokes_drawn_with_the_mouse_give_the_core_brushs_input(window, qtbot, source):
    strokes = pendigits.bundled() if source == "UCI" else pendigits.bundled_unipen()
    for i in (0, 1, 2, 3, 500, 4000):
        window.canvas.clear()
        for points in pen.canvas_strokes(strokes, i):
            draw(qtbot, window.canvas, points)
        received = [points for _, _, points in window.drawing.strokes]  # where the mouse events landed, in cells
        painted = core_ink(received, window.canvas.brush_width)
        np.testing.assert_allclose(window.drawing.ink, painted[0], atol=1e-6)
        np.testing.assert_allclose(window.prediction.x, to_mnist_batch(painted)[0][0], atol=1e-6)


@pytest.mark.parametrize("k", [0, 2], ids=["UCI writers", "a UNIPEN laboratory"])
def test_a_misread_pen_digit_replays_on_the_canvas_as_it_was_written(window, qtbot, monkeypatch, k):
    monkeypatch.setattr(Canvas, "REPLAY_MS", 1)
    view = window.evaluation_view
    held = window.data_source.corpus.pen_validation[k]
    titles = [view.source.itemText(i) for i in range(view.source.count())]
    view.source.setCurrentIndex(next(i for i, t in enumerate(titles) if t.startswith(held.name)))
    view.evaluate_button.click()
    assert view.gallery.count() > 0
    _, true, predicted, index = view.wrong[0]
    assert "replay" in view.gallery.item(0).toolTip()
    with qtbot.waitSignal(window.canvas.replay_finished, timeout=10_000):
        view.gallery.itemClicked.emit(view.gallery.item(0))
        assert window.canvas.replaying
    assert len(window.drawing.strokes) == len(held.strokes.strokes_of(index))
    expected = to_mnist(np.asarray(window.drawing.ink))
    np.testing.assert_allclose(window.prediction.x, expected, atol=1e-6)
    assert window.prediction.label == predicted != true  # the canvas reads it as Evaluate did


def test_the_data_choice_switches_what_training_learns_from(window):
    tab = window.train_tab
    titles = [tab.data_choice.itemText(i) for i in range(tab.data_choice.count())]
    assert titles == [
        "MNIST + pen-drawn digits (UCI, UNIPEN)",
        "MNIST digits only",
        "pen-drawn digits only (UCI, UNIPEN)",
    ]
    assert "5,995 UCI" in tab.data_label.text() and "UNIPEN" in tab.data_label.text()  # the sources and their sizes
    tab.data_choice.setCurrentIndex(1)
    tab.data_choice.activated.emit(1)
    assert window.data_source.corpus.pen is None and "pen-drawn" not in tab.data_label.text()
    assert tab.form.batch.maximum() == 9000
    assert [t for t, _, _ in window.evaluation_view.sources] == ["MNIST validation"]


def test_a_bad_unipen_file_is_one_line_in_a_dialog_and_the_data_stay(window, dialogs, tmp_path):
    (tmp_path / "bad.unipen").write_text('.SEGMENT DIGIT 0 ? "3"\n.PEN_DOWN\n 1 2\n')
    dialogs.open_path = str(tmp_path / "bad.unipen")
    before = window.data_source.corpus
    assert not window.import_pen()
    assert dialogs.errors == ["bad.unipen is truncated: the last stroke has no .PEN_UP"]
    assert window.data_source.corpus is before


def test_an_imported_unipen_file_is_trained_and_evaluated_on(window, dialogs, tmp_path):
    pen = pendigits.bundled()
    (tmp_path / "mine.unipen").write_text(unipen_text(pen.subset(np.isin(pen.writers, [1, 2, 3, 4, 5]))))
    dialogs.open_path = str(tmp_path / "mine.unipen")
    assert window.import_pen()
    assert window.train_tab.data_choice.currentText() == "imported: mine.unipen"
    assert window.data_source.corpus.images is None and len(window.data_source.corpus.pen) == 1000


def test_a_model_trained_on_an_imported_file_names_it_in_its_description(window, qtbot, dialogs, tmp_path):
    from tests.support.window import click, small_settings

    pen = pendigits.bundled()
    path = tmp_path / "mine.unipen"
    path.write_text(unipen_text(pen.subset(np.isin(pen.writers, [1, 2, 3, 4, 5]))))
    dialogs.open_path = str(path)
    assert window.import_pen()
    small_settings(window, epochs=1)
    click(qtbot, window.train_tab.train_button)
    qtbot.waitUntil(lambda: not window.train_tab.running, timeout=30000)
    assert f"--data {path} " in window.state.network.description


def test_an_import_that_fails_at_start_is_said_and_not_tried_again(qtbot, tmp_path):
    from dnngui.state import settings
    from dnngui.window.main_window import MainWindow

    bad = tmp_path / "huge.unipen"
    bad.write_text('.SEGMENT DIGIT 0 ? "3"\n.PEN_DOWN\n 1 2\n')  # truncated: it fails to load
    settings.write_json("trainData", {"choice": "imported", "imported": ["pen", str(bad)]})
    window = MainWindow()
    qtbot.addWidget(window)
    assert "could not be loaded, and are forgotten" in window.statusBar().currentMessage()
    assert settings.read_json("trainData")["imported"] is None  # the next start does not try it again
    assert window.data_source.choice == "mnist+pen"


def test_a_remembered_import_whose_path_the_system_refuses_is_one_short_line(qtbot, tmp_path):
    from dnngui.state import settings
    from dnngui.window.main_window import MainWindow

    for path in (str(tmp_path / ("x" * 300 + ".unipen")), str(tmp_path / "/".join(["folder"] * 700))):
        settings.write_json("trainData", {"choice": "imported", "imported": ["pen", path]})
        window = MainWindow()
        qtbot.addWidget(window)
        message = window.statusBar().currentMessage()
        assert "could not be loaded, and are forgotten" in message and "too long" in message and len(message) < 250
        assert window.data_source.choice == "mnist+pen"
        window.close()
