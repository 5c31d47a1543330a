"""The Health tab: gradient flow live while training, the classic experiments, the current model on demand."""

import numpy as np
import pyqtgraph as pg

from dnngui.core.experiments import EXPERIMENTS
from dnngui.tabs.health import _follow
from tests.support.window import points


def train_experiment(window, qtbot, name, epochs=1):
    tab = window.train_tab
    tab.experiment.setCurrentIndex(tab.experiment.findData(name))
    tab.experiment.activated.emit(tab.experiment.currentIndex())
    tab.form.epochs.setValue(epochs)
    window.side_tabs.setCurrentWidget(window.health_view)
    tab.start()
    qtbot.waitUntil(lambda: not tab.running, timeout=60000)


def test_the_vanishing_gradients_experiment_shows_a_fan_live(window, qtbot):
    train_experiment(window, qtbot, "vanishing")
    view = window.health_view
    qtbot.waitUntil(lambda: len(points(view.grad_curves[0])[1]) == 15, timeout=2000)  # the next refresh
    first = points(view.grad_curves[0])[1]
    last = points(view.grad_curves[-1])[1]
    assert len(view.grad_curves) == 7 and len(first) == 15  # every 10th of the epoch's 141 batches
    assert np.median(last) > 100 * np.median(first)  # dW1 far below dW7: a fan on the log axis
    assert "vanishing gradients" in view.status.text() and "After epoch 1" in view.status.text()
    assert "failed to learn" in window.train_tab.message.text()  # and the model stays as it was


def test_the_dead_relu_experiment_shows_dead_units_and_histograms(window, qtbot):
    train_experiment(window, qtbot, "dead")
    view = window.health_view
    dead = view.dead_bars.opts["height"]
    assert dead[0] > 0.5 and "of layer 1's units are dead" in view.status.text()
    assert "vanishing" not in view.status.text()  # dead units, named as such
    qtbot.waitUntil(lambda: points(view.histogram_curves["weights", 0])[1].sum() == 256 * 784, timeout=2000)


def test_choosing_an_experiment_fills_in_its_settings_and_says_what_to_watch(window):
    tab = window.train_tab
    tab.experiment.activated.emit(tab.experiment.findData("dead"))
    recipe = tab.form.recipe()
    assert (recipe.optimizer, recipe.lr, recipe.hidden) == ("adam", 0.03, (256, 128))
    assert window.data_source.choice == "mnist" and "Health tab" in tab.message.text()
    assert tab.experiment.currentIndex() == 0  # a menu: ready for the next choice
    zero_one = tab.form.task.findData("zero-one")
    tab.form.task.setCurrentIndex(zero_one)
    tab.form.task.activated.emit(zero_one)
    assert not tab.article_button.isHidden()
    tab.article_button.click()
    assert (
        tab.form.recipe().task == "zero-one" and tab.form.recipe().optimizer == EXPERIMENTS["article"].recipe.optimizer
    )


def test_checking_the_current_model_without_training(window, qtbot):
    view = window.health_view
    window.side_tabs.setCurrentWidget(view)
    view.check_button.click()
    assert view.status.text().startswith("The current model, on 512 validation digits: RMS of dW1")
    assert len(view.histogram_curves) == 3 * window.state.network.depth
    # drawn a plot per frame: A1 holds 512 units × 512 digits
    qtbot.waitUntil(lambda: points(view.histogram_curves["activations", 0])[1].sum() == 512 * 512, timeout=2000)


def test_a_new_run_of_another_shape_starts_the_curves_afresh(window, qtbot):
    train_experiment(window, qtbot, "article")  # 3 layers
    view = window.health_view
    assert len(view.grad_curves) == 3
    qtbot.waitUntil(lambda: len(points(view.grad_curves[0])[1]) > 0, timeout=2000)  # drawn on the next refresh
    train_experiment(window, qtbot, "vanishing")  # 7 layers
    assert len(view.grad_curves) == 7
    names = [label.text for _, label in view.gradients.getPlotItem().legend.items]
    assert names == [f"dW{l}" for l in range(1, 8)]  # the earlier run's lines are gone, legend too


def test_checking_the_articles_zero_one_model(window):
    window.files.zero_one_action.trigger()
    view = window.health_view
    window.side_tabs.setCurrentWidget(view)
    view.check_button.click()
    assert view.status.text().startswith("The current model, on 215 validation digits")  # its 0s and 1s
    assert len(view.histogram_curves) == 3 * 3


def test_a_histograms_axis_stays_put_while_the_next_epochs_bins_fit_it(qtbot):
    """Nine histograms are redrawn at every epoch's end: their axes move only when the bins leave
    the range or fill less than half of it (an axis that jumped every epoch was hard to read)."""
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    view = plot.getPlotItem().getViewBox()
    view.setXRange(-1.0, 1.0, padding=0)
    _follow(view, np.linspace(-0.8, 0.9, 31))  # inside and wide enough: stays
    assert view.viewRange()[0] == [-1.0, 1.0]
    _follow(view, np.linspace(-0.5, 1.5, 31))  # leaves it: follows
    low, high = view.viewRange()[0]
    assert low <= -0.5 and high >= 1.5
    _follow(view, np.linspace(0.0, 0.3, 31))  # a narrow one: zooms in
    low, high = view.viewRange()[0]
    assert low <= 0.0 and 0.3 <= high < 0.5


def test_a_run_of_another_shape_starting_while_histograms_are_drawn_drops_the_old_ones(window, qtbot):
    view = window.health_view
    window.side_tabs.setCurrentWidget(view)
    view.start_run(3)
    view._histogram_queue = [(curve, None) for curve in view.histogram_curves.values()]  # one a frame
    view.start_run(7)  # the 3-layer plots are gone before their histograms were all drawn
    assert len(view.histogram_curves) == 3 * 7 and view._histogram_queue == []
    view._draw_next_histogram()  # nothing stale left to draw


def test_a_run_starting_while_another_tab_shows_makes_its_histogram_plots_only_when_health_shows(window):
    """Each plot costs the window tens of milliseconds: the largest network's 27 stalled a run's start 1.6 s."""
    view = window.health_view
    window.side_tabs.setCurrentWidget(window.layer_panel)
    view.start_run(9)
    assert len(view.histogram_curves) != 27
    window.side_tabs.setCurrentWidget(view)
    assert len(view.histogram_curves) == 27
    view.start_run(3)
    window.side_tabs.setCurrentWidget(window.layer_panel)
    view.start_run(9)  # back to nine layers: the plots made before are shown again, none made anew
    made = dict(view._histogram_plots)
    window.side_tabs.setCurrentWidget(view)
    assert len(view.histogram_curves) == 27 and view._histogram_plots == made


def test_after_an_experiment_the_defaults_come_back_and_a_change_of_data_is_said(window):
    from dnngui.tabs.train.form import APP_DEFAULTS

    tab = window.train_tab
    tab.use_experiment("vanishing")
    assert "The data are now MNIST digits only." in tab.message.text()  # not switched silently
    index = tab.experiment.findData("defaults")
    tab.experiment.setCurrentIndex(index)
    tab.experiment.activated.emit(index)
    assert tab.form.recipe().hidden == APP_DEFAULTS.hidden and window.data_source.choice == APP_DEFAULTS.data
    assert "default settings" in tab.message.text()


def test_check_model_never_shows_another_networks_run(window, qtbot):
    train_experiment(window, qtbot, "vanishing")  # a 7-layer run, then the shipped 3-layer model opened
    view = window.health_view
    qtbot.waitUntil(lambda: len(points(view.grad_curves[0])[1]) > 0, timeout=2000)
    window.files.open_shipped("digits")
    window.side_tabs.setCurrentWidget(view)
    view.check_button.click()
    view.refresh()
    names = [label.text for _, label in view.gradients.getPlotItem().legend.items]
    assert names == ["dW1", "dW2", "dW3"]  # the 7-layer run's lines are gone, from the legend too
    assert all(len(points(curve)[1]) == 1 for curve in view.grad_curves)  # this check's dots only
    assert all(len(points(curve)[1]) == 0 for curve in view.ratio_curves)
    assert "the dots are this check" in view.status.text() and view._no_steps.scene() is not None


def test_check_model_on_a_fresh_profile_shows_the_models_gradients_and_keeps_a_kept_runs_curves(window, qtbot):
    view = window.health_view
    window.side_tabs.setCurrentWidget(view)
    view.check_button.click()
    rms = [float(points(curve)[1][0]) for curve in view.grad_curves]  # not empty plots: a dot per layer
    np.testing.assert_allclose(rms, view._epoch.grad_rms)
    window.train_tab.form.continue_.setChecked(True)  # a run continuing this model: its curves, not the dots
    tab = window.train_tab
    window.train_tab.form.epochs.setValue(1)
    tab.start()
    qtbot.waitUntil(lambda: not tab.running, timeout=60000)
    assert all(curve.opts["symbol"] is None for curve in view.grad_curves)
    window.train_tab.form.continue_.setChecked(False)
    train_experiment(window, qtbot, "article")  # its run becomes the model: Check Model keeps its curves
    qtbot.waitUntil(lambda: len(points(view.grad_curves[0])[1]) > 1, timeout=2000)
    view.check_button.click()
    view.refresh()
    assert len(points(view.grad_curves[0])[1]) > 1 and view._no_steps.scene() is None
    assert "the dots are this check" not in view.status.text()


def test_log_axes_are_labelled_at_powers_of_ten_that_fit(window):
    axis = window.health_view.gradients.getAxis("left")
    line = axis.fontMetrics().height() if hasattr(axis, "fontMetrics") else 15
    for low, high, size in ((-6, -1, 300), (-12, 0, 100), (-4.04, -1.96, 115)):
        levels = axis.tickValues(low, high, size)
        labels = [text for spacing, values in levels for text in axis.tickStrings(values, 1, spacing) if text]
        assert labels and all(text.startswith("10") for text in labels), labels  # never a bare 2 … 9
        assert len(labels) <= max(1, size // (2 * line))
    inside = axis.tickValues(-3.3, -3.1, 200)  # less than a decade: the ticks say their whole value
    texts = [text for spacing, values in inside for text in axis.tickStrings(values, 1, spacing)]
    assert texts and all(text.startswith("0.000") for text in texts)


def test_health_fits_its_page_and_legends_sit_above_the_lines(window):
    from PySide6 import QtWidgets

    view = window.health_view
    window.resize(1400, 900)
    window.side_tabs.setCurrentWidget(view)
    QtWidgets.QApplication.processEvents()
    area = window.side_tabs.area(window.side_tabs.indexOf(view))
    assert view.height() <= area.viewport().height()  # it was 1,500 pixels tall: plots below the fold
    for plot in (view.gradients, view.ratios):
        item = plot.getPlotItem()
        assert not item.legend.sceneBoundingRect().intersects(item.vb.sceneBoundingRect())
    window.resize(1024, 610)
    QtWidgets.QApplication.processEvents()
    assert view.histograms.height() >= 3 * 80  # the page scrolls rather than squash them to nothing


def test_a_small_histograms_tick_labels_stand_apart_inside_its_axis(qapp):
    """Seven layers' histograms side by side ran "-0.4-0.2 0 0.2" together; each label now has room."""
    import itertools

    from PySide6 import QtGui

    from dnngui.widgets.plots import SparseAxis

    axis = SparseAxis("bottom")
    metrics = QtGui.QFontMetrics(axis.font())
    for low, high, size in ((-0.42, 0.41, 105), (-2.3e-5, 3.1e-5, 105), (0.05, 0.95, 110), (-0.011, 0.012, 300)):
        ((spacing, values),) = axis.tickValues(low, high, size)
        texts = axis.tickStrings(values, 1, spacing)
        assert values, (low, high)
        at = [(v - low) * size / (high - low) for v in values]
        widths = [metrics.horizontalAdvance(t) for t in texts]
        assert all(w / 2 <= x <= size - w / 2 for x, w in zip(at, widths, strict=True)), texts
        for (x0, w0), (x1, w1) in itertools.pairwise(zip(at, widths, strict=True)):
            assert x1 - x0 >= (w0 + w1) / 2 + SparseAxis.GAP, texts
