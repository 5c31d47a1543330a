"""Inside the network: the layer panel, the math view and the evaluation view."""

import numpy as np
import pytest
from PySide6 import QtWidgets

from dnngui import core
from dnngui.jobs.job import running_jobs
from tests.support.window import draw, start_long_run, stop_and_wait

ONE = [(14.0, 5.0 + i * 0.5) for i in range(37)]


def cell_texts(table):
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_layer_table_shows_the_networks_shapes(window):
    rows = cell_texts(window.layer_panel.table)
    assert rows[0][:4] == ["1", "W1 (512, 784)", "b1 (512, 1)", "ReLU"]  # written as everywhere in the app
    assert rows[2][:4] == ["3", "W3 (10, 256)", "b3 (10, 1)", "softmax"]
    assert rows[-1][0] == "total" and rows[-1][-1] == f"{window.state.network.n_params:,}"
    window.files.zero_one_action.trigger()
    rows = cell_texts(window.layer_panel.table)
    assert rows[0][1] == "W1 (64, 784)" and rows[2][1:4] == ["W3 (1, 32)", "b3 (1, 1)", "sigmoid"]


def test_drawing_changes_the_activation_heatmaps(window, qtbot):
    window.side_tabs.setCurrentWidget(window.layer_panel)
    panel = window.layer_panel
    assert len(panel.heatmaps) == 4  # X, A1, A2, A3
    blank = [h.image.image.copy() for h in panel.heatmaps]
    draw(qtbot, window.canvas, ONE)
    drawn = [h.image.image.copy() for h in panel.heatmaps]
    for before, after in zip(blank, drawn, strict=True):
        assert not np.array_equal(before, after)
    assert drawn[1].shape == (23, 23)  # 512 units in a near-square grid
    net = window.state.network
    np.testing.assert_allclose(drawn[-1].reshape(-1), net.predict_proba(window.prediction.x[:, None])[:, 0], rtol=1e-5)
    panel.show_z.setChecked(True)
    z_output = panel.heatmaps[-1].image.image.reshape(-1)
    np.testing.assert_allclose(z_output, net.forward(window.prediction.x[:, None]).Z[3][:, 0], rtol=1e-4, atol=1e-5)
    assert panel.heatmaps[-1].label.text == "Z3 (output)"


def test_first_layer_weights_are_tiles_with_a_symmetric_scale(window):
    panel = window.layer_panel
    assert panel.weight_mosaic is None  # drawn only when the tab is first shown: the window opens sooner
    window.side_tabs.setCurrentWidget(panel)
    assert panel.weight_mosaic.shape == (23 * 29 - 1, 23 * 29 - 1)  # 512 tiles of 28×28 with 1-pixel gaps
    low, high = panel.weight_bar.levels()
    assert -low == high > 0
    np.testing.assert_allclose(panel.weight_mosaic[:28, :28], window.state.network.params["W1"][0].reshape(28, 28))


def test_while_training_the_inside_tab_follows_the_weights_and_its_colours_cover_the_values(window, qtbot):
    draw(qtbot, window.canvas, ONE)
    window.side_tabs.setCurrentWidget(window.layer_panel)
    panel = window.layer_panel
    seen = []
    window.train_tab.snapshot.connect(lambda network: seen.append(network.params["W1"].copy()))
    start_long_run(window, qtbot)
    qtbot.waitUntil(lambda: len(seen) >= 4, timeout=20000)
    stop_and_wait(window, qtbot)
    W1 = window.state.network.params["W1"]  # the run's last weights, now the model
    # the tiles follow a moment after the heatmaps
    qtbot.waitUntil(lambda: np.allclose(panel.weight_mosaic[:28, :28], W1[0].reshape(28, 28)), timeout=5000)
    assert panel.weight_mosaic.shape == (4 * 29 - 1, 4 * 29 - 1)  # 16 units: 4 rows of 4 tiles
    forward = window.state.network.forward(window.prediction.x[:, None])
    np.testing.assert_allclose(panel.heatmaps[1].image.image.reshape(-1)[:16], forward.A[1][:, 0], rtol=1e-5)
    for heatmap in panel.heatmaps:  # levels that change rarely, but never clip what is shown
        low, high = heatmap.bar.levels()
        image = heatmap.image.image
        assert low <= image.min() and image.max() <= high
    low, high = panel.weight_bar.levels()
    assert -low == high >= np.percentile(np.abs(W1), 99)


def test_the_math_view_uses_this_networks_shapes(window):
    text = window.math_view.text.toPlainText()
    assert "Z1 = W1·X + b1" in text
    assert "(512, 1) = (512, 784)·(784, 1) + (512, 1)" in text
    assert "dW1 = dZ1·Xᵀ / m" in text and "(512, 784) = (512, 128)·(128, 784)" in text
    window.train_tab.form.batch.setValue(32)
    assert "(512, 784) = (512, 32)·(32, 784)" in window.math_view.text.toPlainText()


def test_the_math_view_follows_an_architecture_change(window, tmp_path):
    core.Network([784, 20, 12, 7, 10], ["tanh", "swish", "relu"], seed=1).save(tmp_path / "deep.npz")
    assert window.files.open_model(str(tmp_path / "deep.npz"))
    text = window.math_view.text.toPlainText()
    assert "(20, 1) = (20, 784)·(784, 1) + (20, 1)" in text
    assert "A2 = swish(Z2)" in text and "A4 = softmax(Z4)" in text
    assert "dZ3 = (W4ᵀ·dZ4) ⊙ f′(Z3)" in text
    window.side_tabs.setCurrentWidget(window.layer_panel)
    assert len(window.layer_panel.heatmaps) == 5


def test_check_gradients_reports_every_array(window, qtbot):
    view = window.math_view
    window.side_tabs.setCurrentWidget(view)
    view.check_button.click()
    qtbot.waitUntil(lambda: view.job is None, timeout=30000)
    assert set(view.errors) == set(window.state.network.params)
    assert max(view.errors.values()) < 1e-6
    assert view.results.rowCount() == 6
    assert not running_jobs()


def test_evaluation_counts_add_up_to_the_split(window):
    view = window.evaluation_view
    view.evaluate_button.click()
    assert view.counts.shape == (10, 10)
    assert view.counts.sum() == len(window.data_source.validation) == 1000
    accuracy = np.trace(view.counts) / 1000
    assert f"{accuracy:.2%}" in view.accuracy.text()
    assert view.gallery.count() == 1000 - np.trace(view.counts)


def test_clicking_a_mistake_loads_it_into_the_canvas(window, qtbot):
    view = window.evaluation_view
    window.side_tabs.setCurrentWidget(view)
    view.evaluate_button.click()
    assert view.gallery.count() > 0  # the shipped model misreads a few validation digits
    item = view.gallery.item(0)
    image, true, predicted, _ = view.wrong[0]
    view.gallery.itemClicked.emit(item)
    np.testing.assert_allclose(window.drawing.ink, image / 255.0, atol=1e-6)
    assert window.side_tabs.currentWidget() is view  # it stays, for the next mistake, as a pen digit's click does
    assert f"a {true} the network reads as {predicted}" in window.statusBar().currentMessage()
    assert item.text() == f"{true} → {predicted}"


@pytest.mark.parametrize("classes", [[3, 7], list(range(9))], ids=["3 vs 7", "nine digits"])
def test_a_model_of_other_classes_is_checked_on_its_own_digits(window, qtbot, tmp_path, classes):
    """Check gradients (Math) and Check Model (Health) on a model that reads other classes than 0–9."""
    from dnngui.core.network import Network

    path = tmp_path / "other.npz"
    Network([784, 8, len(classes)], ["relu"], "softmax", seed=0, classes=classes).save(path)
    assert window.files.open_model(str(path))
    view = window.math_view
    window.side_tabs.setCurrentWidget(view)
    view.check_button.click()
    qtbot.waitUntil(lambda: view.job is None, timeout=30000)
    assert set(view.errors) == set(window.state.network.params) and max(view.errors.values()) < 1e-6
    health = window.health_view
    window.side_tabs.setCurrentWidget(health)
    health.check_button.click()
    from dnngui.core.health import BATCH

    expected = min(BATCH, int(np.isin(window.data_source.validation.labels, classes).sum()))
    assert health.status.text().startswith(f"The current model, on {expected} validation digits")


def test_the_confusion_matrix_is_wide_enough_to_read_and_its_split_is_remembered(window, qtbot):
    from dnngui.window.main_window import MainWindow

    view = window.evaluation_view
    window.side_tabs.setCurrentWidget(view)
    view.evaluate_button.click()
    QtWidgets.QApplication.processEvents()
    assert view.matrix_view.width() >= 280  # it was a 35-pixel sliver at the default window
    sizes = view.split.sizes()
    view.split.moveSplitter(sizes[0] + 40, 1)
    view.split.splitterMoved.emit(sizes[0] + 40, 1)
    moved = view.split.sizes()
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.evaluation_view.split.saveState() == view.split.saveState() and moved[0] > sizes[0]


def test_activations_are_written_the_same_way_in_every_tab(window, tmp_path):
    from dnngui.core.network import Network

    path = tmp_path / "leaky.npz"
    Network([784, 8, 8, 10], ["leaky_relu", "swish"], "softmax", seed=0).save(path)
    assert window.files.open_model(str(path))
    rows = cell_texts(window.layer_panel.table)
    assert [row[3] for row in rows[:3]] == ["leaky ReLU", "swish", "softmax"]
    assert "784-8-8-10, leaky ReLU/swish, softmax output" in window.model_summary.text()
    assert "A1 = leaky ReLU(Z1)" in window.math_view.text.toPlainText()
    box = window.train_tab.form.activations[0]
    assert {box.itemText(i) for i in range(box.count())} == {"ReLU", "leaky ReLU", "swish", "tanh", "sigmoid"}
