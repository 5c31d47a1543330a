"""The Step tab: one step of backprop on your drawing, the core's own numbers, and why it thinks so."""

import numpy as np
import pytest

from dnngui.core import step
from dnngui.core.preprocess import pull_back
from tests.support.window import draw

SEVEN = [(8, 6), (20, 6), (12, 23)]


@pytest.fixture
def stepping(window, qtbot):
    window.side_tabs.setCurrentWidget(window.step_view)
    draw(qtbot, window.canvas, SEVEN)
    return window.step_view


def test_the_pictures_are_laid_out_when_the_tab_first_shows_and_again_for_another_model(window):
    view = window.step_view
    assert window.side_tabs.currentWidget() is not view and not view.pictures  # the window opened without them
    window.side_tabs.setCurrentWidget(view)
    assert view.pictures["W1"].title.text == "dW1 (512, 784)"  # the shipped model's first layer
    shown = view.pictures["W1"]
    window.files.zero_one_action.trigger()  # a 784-64-32-1 network, with the tab showing
    assert view.pictures["W1"] is not shown and view.pictures["W1"].title.text == "dW1 (64, 784)"
    assert len(view.delta_bars.opts["x"]) == 0


def test_one_step_shows_the_cores_numbers_and_raises_the_chosen_class(window, stepping):
    view = stepping
    view.target.setCurrentIndex(1)  # teach it: this seven is a one
    view.lr.setValue(0.05)
    model = window.state.network
    record = view.teach_one_step()
    expected, _ = step.one_step(model, window.prediction.x, 1, 0.05)
    np.testing.assert_allclose(view.pictures["W2"].values, expected.dW["W2"], rtol=1e-5, atol=1e-8)
    for l in (1, 2, 3):
        shape = model.params[f"W{l}"].shape
        assert view.pictures[f"W{l}"].values.shape == shape
        assert f"{shape}" in view.pictures[f"W{l}"].title.text
        assert f"‖dW{l}‖ = {expected.norm(f'W{l}'):.3g}" in view.norms.text()
    np.testing.assert_allclose(view.delta_bars.opts["height"], expected.dZ[3], atol=1e-6)  # dZ3 = A3 − Y
    np.testing.assert_allclose(view.after_bars.opts["height"], expected.after, atol=1e-6)
    assert record.after[1] > record.before[1]
    assert "P(1) went from" in view.status.text()
    assert window.state.network is model and not window.state.dirty  # a step changes a copy


def test_steps_accumulate_undo_and_keep(window, stepping):
    view = stepping
    model = window.state.network
    view.target.setCurrentIndex(1)
    first = view.teach_one_step().after[1]
    second = view.teach_one_step()
    assert second.before[1] == pytest.approx(first, abs=1e-5)  # the second step starts where the first ended
    view.undo_button.click()
    assert view.current is model and view.steps == 0
    view.teach_one_step()
    view.keep_button.click()
    assert window.state.network is not model and window.state.dirty
    window.files.revert_training_action.trigger()  # the same way back as after training
    assert window.state.network is model


def test_why_overlays_the_saliency_and_follows_the_pen(window, qtbot, stepping):
    view = stepping
    view.why_class.setCurrentIndex(7)
    view.why.setChecked(True)
    expected = step.saliency(window.state.network, window.prediction.x, 7)
    np.testing.assert_allclose(window.panel.preview.overlay.reshape(-1), expected, atol=1e-6)
    np.testing.assert_allclose(window.canvas.overlay, pull_back(window.drawing.ink, expected), atol=1e-6)
    before = window.panel.preview.overlay.copy()
    draw(qtbot, window.canvas, [(10, 14), (18, 14)])  # a bar across: a crossed seven
    assert not np.allclose(window.panel.preview.overlay, before)
    view.why_against.setCurrentIndex(view.why_against.findData(1))  # why 7 and not 1?
    against = step.saliency(window.state.network, window.prediction.x, 7, against=1)
    np.testing.assert_allclose(window.panel.preview.overlay.reshape(-1), against, atol=1e-6)
    view.why.setChecked(False)
    assert window.panel.preview.overlay is None and window.canvas.overlay is None


def test_nudging_flips_the_guess_and_goes_onto_the_canvas(window, stepping):
    view = stepping
    view.why_class.setCurrentIndex(3)
    view.nudge()
    assert "now reads a 3" in view.status.text()
    view.use_nudged.click()
    assert window.side_tabs.currentWidget() is window.layer_panel
    assert window.prediction.label == 3


def test_put_on_canvas_is_undoable_and_never_offered_for_another_drawing(window, qtbot, stepping):
    view = stepping
    drawn = window.drawing.ink.copy()
    view.why_class.setCurrentIndex(3)
    view.nudge()
    view.use_nudged.click()
    assert window.prediction.label == 3
    window.undo_action.trigger()
    np.testing.assert_array_equal(window.drawing.ink, drawn)  # the seven comes back, not something older
    window.side_tabs.setCurrentWidget(view)
    view.nudge()
    assert view.use_nudged.isEnabled()
    draw(qtbot, window.canvas, [(10, 14), (18, 14)])  # a new drawing: the nudge was for the old one
    assert not view.use_nudged.isEnabled() and view.nudge_picture.name == "nudged drawing"
    assert "nudged towards" not in view.nudge_picture.title.text


def test_this_is_a_and_why_start_at_the_guess_and_the_first_step_is_gentle(window, qtbot, stepping):
    view = stepping
    guess = window.prediction.label
    assert view.target.currentText() == view.why_class.currentText() == str(guess)
    record = view.teach_one_step()  # at the default α, on the guess: a small, sensible change
    assert view.lr.value() == pytest.approx(0.001) and record.after[guess] >= record.before[guess]
    view.target.setCurrentIndex(1)  # the person's choice stays while they draw on
    draw(qtbot, window.canvas, [(9, 20), (19, 20)])
    assert view.target.currentText() == "1"


def test_the_guess_beside_follows_the_step_and_undo_clears_its_figures(window, stepping):
    view = stepping
    view.target.setCurrentIndex(1)
    view.lr.setValue(0.05)
    record = view.teach_one_step()
    np.testing.assert_allclose(window.prediction.probabilities, record.after, atol=1e-5)  # not the model's
    assert "‖dW1‖" in view.norms.text()
    view.undo_button.click()
    assert view.norms.text().strip() == "" and len(view.after_bars.opts["height"]) == 0
    np.testing.assert_allclose(window.prediction.probabilities, record.before, atol=1e-5)


def test_the_why_overlay_belongs_to_the_step_tab(window, stepping):
    stepping.why.setChecked(True)
    assert window.canvas.overlay is not None
    window.side_tabs.setCurrentWidget(window.layer_panel)
    assert window.canvas.overlay is None and window.panel.preview.overlay is None
    window.side_tabs.setCurrentWidget(stepping)
    assert window.canvas.overlay is not None


def test_cells_with_no_unit_are_neutral_in_a_signed_picture(window, stepping):
    stepping.target.setCurrentIndex(1)
    stepping.teach_one_step()
    db1 = stepping.pictures["b1"]  # 512 units on a near-square grid: some cells hold no unit
    shown = db1.image.image
    empty = db1.values.size - 512
    assert empty > 0 and np.isnan(db1.values).sum() == empty and (shown[np.isnan(db1.values)] == 0).all()


def test_the_output_layers_arrays_are_a_row_of_cells_one_per_class(window, stepping):
    stepping.target.setCurrentIndex(7)
    stepping.teach_one_step()
    for name in ("A3", "b3"):
        picture = stepping.pictures[name]
        assert picture.values.shape == (1, 10) and "classes 0 … 9, left to right" in picture.title.text
    db3 = stepping.pictures["b3"]
    np.testing.assert_allclose(db3.values[0], stepping.record.db["b3"].reshape(-1), rtol=1e-6)
    assert db3.hover_text((0, 7, db3.values[0, 7])).startswith("db3 for class 7 = ")


def test_one_step_with_one_sigmoid_unit_draws_its_one_bar_at_the_second_class():
    """The 0-vs-1 model's dZ3 is one number beside two probabilities: bars of two x and one height crashed
    the app (a segmentation fault), so this runs in a process of its own."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "support" / "step_sigmoid.py"
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["delta_x"] == [1.0]  # the unit's output is P(1)
    assert shown["delta"] == pytest.approx(shown["dZ"]) and len(shown["after"]) == 2
    assert "P(0) went from" in shown["status"]


def test_a_large_array_is_shown_as_the_means_of_its_blocks():
    from dnngui.tabs.step import SHOWN, _shrink

    values = np.arange(2 * SHOWN + 1, dtype=np.float32)[:, None] * np.ones((1, 3 * SHOWN + 2), np.float32)
    shown = _shrink(values)
    assert shown.shape[0] <= SHOWN and shown.shape[1] <= SHOWN
    assert shown.shape == (107, 121)  # blocks of 3 × 4 entries, the last ones of what is left
    assert shown[0, 0] == pytest.approx(values[:3, :4].mean())
    assert shown[-1, -1] == pytest.approx(values[318:, 480:].mean())  # not diluted by padding
    small = np.ones((10, 12))
    assert _shrink(small) is small
