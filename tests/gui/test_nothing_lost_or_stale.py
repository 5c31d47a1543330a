"""What a new user trips over: the shipped model overwritten, stale results, lost ways back, odd exports."""

import numpy as np
import pytest

from dnngui.core.resources import shipped_model_path
from dnngui.state.model import shape_of
from tests.support.window import click, small_settings


@pytest.fixture
def replace_answers(monkeypatch):
    from dnngui.widgets import dialogs

    asked = []

    def ask(parent, name, old, new):
        asked.append((name, old, new))
        return asked_answer[0]

    asked_answer = [False]
    monkeypatch.setattr(dialogs, "ask_replace_model", ask)
    return asked, asked_answer


def train_small(window, qtbot, hidden="16"):
    small_settings(window, hidden=hidden, epochs=1)
    click(qtbot, window.train_tab.train_button)
    qtbot.waitUntil(lambda: not window.train_tab.running, timeout=30000)


def test_the_shipped_model_opened_by_its_path_is_never_overwritten(window, qtbot, dialogs, tmp_path):
    shipped = shipped_model_path("digits")
    before = shipped.read_bytes()
    assert window.files.open_model(str(shipped))
    train_small(window, qtbot)
    dialogs.save_path = str(tmp_path / "mine.npz")
    assert window.files.save_model()  # Save acts as Save As
    assert shipped.read_bytes() == before
    assert (tmp_path / "mine.npz").exists() and window.state.name == "mine.npz"


def test_saving_another_architecture_over_a_file_asks_first(window, qtbot, dialogs, tmp_path, replace_answers):
    asked, answer = replace_answers
    dialogs.save_path = str(tmp_path / "model.npz")
    assert window.files.save_model_as()
    before = (tmp_path / "model.npz").read_bytes()
    train_small(window, qtbot, hidden="32")
    assert not window.files.save_model()  # the person said no
    assert asked == [("model.npz", "784-512-256-10, ReLU/ReLU, softmax output", "784-32-10, ReLU, softmax output")]
    assert (tmp_path / "model.npz").read_bytes() == before and window.state.dirty
    answer[0] = True
    assert window.files.save_model()
    assert not window.state.dirty and shape_of(window.state.network).startswith("784-32-10")


def test_the_digits_model_is_always_one_click_away(window):
    window.files.zero_one_action.trigger()
    assert window.state.network.output.name == "sigmoid"
    assert "Digits" in window.files.revert_action.text()
    window.files.revert_action.trigger()
    assert window.state.network.sizes[-1] == 10 and window.state.name == "shipped digits model"


def test_evaluation_results_never_outlive_their_model_or_data(window):
    view = window.evaluation_view
    assert view.matrix_view.isHidden()  # no meaningless axes before the first evaluation
    window.files.zero_one_action.trigger()
    view.evaluate_button.click()
    assert view.counts.shape == (2, 2) and not view.matrix_view.isHidden()
    window.files.revert_action.trigger()
    assert view.counts is None and view.gallery.count() == 0 and view.matrix_view.isHidden()
    assert "Click Evaluate" in view.accuracy.text()
    view.evaluate_button.click()
    window.data_source.use("mnist")
    assert view.counts is None and "Click Evaluate" in view.accuracy.text()


def test_a_run_that_explodes_is_not_called_finished_and_keeps_the_model(window, qtbot):
    small_settings(window, hidden="64", epochs=1, lr="50")
    window.train_tab.form.optimizer.setCurrentIndex(window.train_tab.form.optimizer.findData("sgd"))
    before = window.state.network
    click(qtbot, window.train_tab.train_button)
    qtbot.waitUntil(lambda: not window.train_tab.running, timeout=30000)
    message = window.train_tab.message.text()
    assert "Finished" not in message and "learning rate" in message
    assert window.state.network is before and not window.state.dirty


def test_the_guess_says_what_its_percentage_is(window, qtbot):
    from tests.support.window import draw

    draw(qtbot, window.canvas, [(8, 8), (20, 8), (20, 20), (8, 20), (8, 8)])  # a square, not a digit
    text = window.panel.confidence.text()
    assert "%" in text and "0–9" in text and "sure" not in text
    assert "cannot say" in window.panel.confidence.toolTip()


def test_clear_can_be_undone(window, qtbot):
    from tests.support.window import draw

    draw(qtbot, window.canvas, [(14, 4), (14, 24)])
    ink = window.drawing.ink.copy()
    window.canvas.clear()
    assert window.drawing.is_blank
    window.canvas.undo()
    np.testing.assert_array_equal(window.drawing.ink, ink)


def test_numbers_on_coloured_cells_read_on_every_colour(window, qtbot):
    from tests.support.window import draw

    view = window.evaluation_view
    view.evaluate_button.click()
    biggest = max(view.count_labels, key=lambda item: int(item.textItem.toPlainText()))
    assert biggest.fill.color().alpha() > 150 and biggest.color.lightness() < 60  # dark on a pale patch
    window.side_tabs.setCurrentWidget(window.layer_panel)
    draw(qtbot, window.canvas, [(14, 4), (14, 24)])
    labels = window.layer_panel.heatmaps[-1].cell_labels  # the output strip names its classes
    assert len(labels) == 10
    assert all(item.fill.color().alpha() > 150 and item.color.lightness() < 60 for item in labels)


def test_the_math_tab_says_which_network_its_shapes_are_for(window):
    window.train_tab.form.hidden.setText("64, 32")
    text = window.math_view.text.toPlainText()
    assert "784-64-32-10 network" in text and "model in use, 784-512-256-10" in text
    window.train_tab.form.hidden.setText("512, 256")
    assert "will train" not in window.math_view.text.toPlainText()


def test_the_gradient_check_gives_a_verdict(window, qtbot):
    view = window.math_view
    view.check_button.click()
    qtbot.waitUntil(lambda: view.job is None, timeout=30000)
    assert view.status.text().startswith("PASS")
    verdicts = {view.results.item(r, 3).text() for r in range(view.results.rowCount())}
    assert verdicts == {"pass"}


def test_at_the_smallest_window_the_cost_plot_keeps_room_for_its_legend(window, qtbot):
    from dnngui.tabs.train.loss_plot import MIN_WIDTH

    window.side_tabs.setCurrentWidget(window.train_tab)
    window.resize(window.minimumSizeHint())
    qtbot.waitUntil(lambda: window.size() == window.minimumSizeHint(), timeout=2000)
    plot = window.train_tab.plot
    legend = plot.accuracy.getPlotItem().legend
    assert plot.width() >= MIN_WIDTH
    assert legend.boundingRect().width() < plot.accuracy.width()  # the legend fits inside its plot


def test_at_a_laptop_width_the_label_row_keeps_its_words_and_every_digit(window, qtbot):
    """At 1024 px the row read "This" and its buttons ran on: the buttons give way, the words do not."""
    window.resize(1024, 640)
    qtbot.waitUntil(lambda: window.width() == 1024, timeout=2000)
    row = window.label_row
    assert row.label.width() >= row.label.sizeHint().width()
    assert all(b.isVisible() and b.width() >= 20 for b in row.buttons)
    assert row.buttons[-1].geometry().right() <= row.width()
