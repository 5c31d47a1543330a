"""Training from the window: the worker thread, the live plot, Stop, closing, NaN, bad settings."""

import itertools
import threading
import time

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from dnngui import core
from dnngui.core import recipe
from dnngui.jobs import training
from dnngui.jobs.job import running_jobs
from dnngui.tabs.train import loss_plot
from dnngui.tabs.train import tab as tab_module
from tests.support.window import click, draw, points, small_settings, start_long_run, stop_and_wait


def test_train_streams_batches_to_the_plot_and_the_cost_falls(window, qtbot):
    small_settings(window)
    tab = window.train_tab
    old_network = window.state.network
    click(qtbot, tab.train_button)
    assert tab.running and not tab.train_button.isEnabled() and tab.stop_button.isEnabled()
    qtbot.waitUntil(lambda: len(points(tab.plot.batch_curve)[0]) > 20, timeout=10000)
    qtbot.waitUntil(lambda: not tab.running, timeout=60000)
    x, cost = points(tab.plot.smooth_curve)
    corpus = window.data_source.corpus
    shown = len(corpus.images) + recipe.WriterBalance(corpus.pen.writers, tab.form.recipe().pen_per_writer).per_epoch
    assert len(x) == 3 * -(-shown // 64)  # every batch of 3 epochs: the MNIST digits, each writer's pen digits
    assert cost[-1] < 0.5 * cost[0]
    assert len(points(tab.plot.val_curve)[0]) == 3
    # the accuracy plot shows scanned and pen-drawn validation digits each on its own
    by_set = tab.plot.set_curves
    assert list(by_set) == [
        "MNIST validation",
        "held-out UCI writers",
        "held-out UNIPEN writers",
        "held-out UNIPEN lab",
    ]
    assert all(len(points(curve)[1]) == 3 and points(curve)[1][-1] > 0.5 for curve in by_set.values())
    assert window.state.network is not old_network and window.state.network.sizes == (784, 16, 10)
    assert window.state.dirty and window.files.save_action.isEnabled()
    assert "Finished" in tab.message.text()
    # the consequence is said: what it replaced, how well that read the same digits, and the way back
    before = tab_module.validation_accuracy(old_network, window.data_source)
    assert f"The shipped digits model it replaces read {before:.1%} of the same digits" in tab.message.text()
    assert (
        "Revert to Model Before Training" in tab.message.text()
        and "replace the current model" in tab.train_button.toolTip()
    )
    assert not running_jobs()
    window.files.revert_training_action.trigger()
    assert window.state.network is old_network


def test_stop_ends_training_keeps_the_weights_and_the_thread_is_gone(window, qtbot):
    tab = window.train_tab
    start_long_run(window, qtbot, batches=10)
    stop_and_wait(window, qtbot)
    assert not running_jobs()
    assert "Stopped" in tab.message.text()
    assert window.state.dirty and window.state.network.sizes == (784, 16, 10)
    assert tab.train_button.isEnabled()
    assert len(points(tab.plot.batch_curve)[0]) == len(tab.history.batch_x)  # the history stays


def test_pause_holds_training_until_resumed(window, qtbot):
    tab = window.train_tab
    start_long_run(window, qtbot)
    with qtbot.waitSignal(tab.job.paused, timeout=5000):
        click(qtbot, tab.pause_button)
    held = len(tab.history.batch_x)  # what was yielded before the pause came before the signal
    assert tab.job.control.paused and tab.pause_button.text() == "Resume"
    with qtbot.assertNotEmitted(tab.job.yielded, wait=1000):
        pass
    assert len(tab.history.batch_x) == held
    click(qtbot, tab.pause_button)
    qtbot.waitUntil(lambda: len(tab.history.batch_x) > held, timeout=5000)
    stop_and_wait(window, qtbot)


def test_closing_the_window_mid_training_stops_and_joins_the_thread(window, qtbot, dialogs):
    start_long_run(window, qtbot)
    dialogs.save_answer = "discard"
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert not running_jobs()
    assert dialogs.stop_training_questions == 1
    assert dialogs.save_questions == 1  # the weights trained so far were offered for saving


def test_quit_then_cancel_leaves_training_running(window, qtbot, dialogs):
    start_long_run(window, qtbot)
    dialogs.stop_training_answer = False
    window.quit_action.trigger()
    held = len(window.train_tab.history.batch_x)
    qtbot.waitUntil(lambda: len(window.train_tab.history.batch_x) > held + 5, timeout=5000)
    assert window.isVisible() and window.train_tab.running and dialogs.save_questions == 0
    stop_and_wait(window, qtbot)


def test_closing_during_a_batch_longer_than_any_timeout_waits_for_it(window, qtbot, dialogs, monkeypatch):
    """A batch of 4 s (a huge network): the window waits for it, then asks about the weights; no abort."""
    original = core.Network.backward_into
    slow, inside = threading.Event(), threading.Event()

    def backward(self, *args, **kwargs):
        if slow.is_set():
            inside.set()
            time.sleep(4.0)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(core.Network, "backward_into", backward)
    monkeypatch.setattr(training, "IN_CHILD_PROCESS", False)  # in a thread, where the slow batch is patched in
    start_long_run(window, qtbot)
    slow.set()
    qtbot.waitUntil(inside.is_set, timeout=5000)  # the worker is now inside a 4-second batch
    dialogs.save_answer = "cancel"
    window.close()
    assert window.isVisible() and "Finishing the current batch" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: dialogs.save_questions == 1, timeout=15000)
    assert not running_jobs() and window.isVisible()  # Cancel in the save question keeps the window
    assert window.state.dirty


def test_a_diverging_run_is_stopped_with_advice_and_the_model_stays_as_it_was(window, qtbot):
    """As a new user would: SGD at a learning rate of 50 on the default network."""
    small_settings(window, hidden="256, 128", epochs=2, lr="50")
    window.train_tab.form.optimizer.setCurrentIndex(window.train_tab.form.optimizer.findData("sgd"))
    tab = window.train_tab
    before = window.state.network
    click(qtbot, tab.train_button)
    qtbot.waitUntil(lambda: not tab.running, timeout=20000)
    message = tab.message.text()
    assert message.startswith("Training diverged and was stopped") and "Finished" not in message
    assert "try a learning rate of 5" in message and "the gradient of layer" in message
    assert window.state.network is before and not window.state.dirty
    assert tab.progress.format() == "diverged"
    assert not running_jobs()


def test_invalid_settings_keep_train_disabled_and_say_why(window):
    tab = window.train_tab
    for field, bad in ((tab.form.hidden, "256, x"), (tab.form.hidden, "0"), (tab.form.lr, "-1"), (tab.form.lr, "nan")):
        good = field.text()
        field.setText(bad)
        assert not tab.train_button.isEnabled()
        assert tab.form.error.text()
        field.setText(good)
        assert tab.train_button.isEnabled()
        assert not tab.form.error.text()


def test_hidden_layers_get_one_activation_each(window):
    form = window.train_tab.form
    form.hidden.setText("64, 32, 16")
    assert len(form.activations) == 3
    form.activations[1].setCurrentIndex(form.activations[1].findData("tanh"))
    assert form.recipe().layer_activations() == ["relu", "tanh", "relu"]


def test_the_plots_catch_up_when_the_train_tab_is_shown_again(window, qtbot):
    window.side_tabs.setCurrentWidget(window.layer_panel)  # the plots are hidden: they wait
    start_long_run(window, qtbot, batches=30)
    assert len(points(window.train_tab.plot.batch_curve)[0]) < len(window.train_tab.history.batch_x)
    stop_and_wait(window, qtbot)
    window.side_tabs.setCurrentWidget(window.train_tab)
    history = window.train_tab.history
    np.testing.assert_array_equal(points(window.train_tab.plot.batch_curve)[1], history.batch_cost.values)


def test_a_long_runs_cost_is_drawn_with_about_a_point_per_pixel(window, qtbot):
    """50,000 batches' costs, as a 1000-epoch run makes: what is painted stays near the plot's width
    (five points a pixel took 46 ms a repaint), and still spans the run from the first batch to the last."""
    window.side_tabs.setCurrentWidget(window.train_tab)
    plot, history = window.train_tab.plot, window.train_tab.history
    n = 50_000
    cost = np.exp(-np.arange(n) / 5000) + 0.1 * np.random.default_rng(0).random(n)
    history.batch_x.extend(np.arange(1, n + 1) / 50)
    history.batch_cost.extend(cost)
    history.smooth_cost.extend(cost)
    plot.start_run(0, 1000)
    plot.refresh()
    width = plot.loss.getPlotItem().getViewBox().width()
    for curve, per_pixel in ((plot.batch_curve, 2), (plot.smooth_curve, 1)):  # "peak" keeps each pixel's min and max
        x, y = curve.getData()  # what is painted
        assert len(x) <= 1.5 * per_pixel * width and x[0] < 10 and x[-1] > 990
    x, y = plot.batch_curve.getData()
    assert y.max() == cost.max()  # the noisy curve keeps its peaks


def test_a_long_runs_epoch_curves_are_thinned_and_lose_their_markers_a_short_runs_keep_them(window, qtbot):
    """700 epochs of a 1000-epoch run: each epoch curve paints a point per few pixels, without markers
    (700 joined points took 8 ms a repaint), and the latest epoch as it is; 10 epochs: every point, marked."""
    window.side_tabs.setCurrentWidget(window.train_tab)
    plot, history = window.train_tab.plot, window.train_tab.history
    for epochs, run_length in ((700, 1000), (10, 10)):
        history.clear()
        cost = 1 / np.arange(1, epochs + 1)
        history.epoch_x.extend(np.arange(1, epochs + 1))
        for series in (history.train_cost, history.val_cost):
            series.extend(cost)
        for series in (history.train_accuracy, history.val_accuracy):
            series.extend(1 - cost)
        plot.start_run(0, run_length)
        plot._epochs_shown = None
        plot.refresh()
        width = plot.loss.getPlotItem().getViewBox().width()
        x, y = plot.val_curve.getData()  # what is painted
        if epochs > loss_plot.MARKED_EPOCHS:
            assert len(x) <= width * loss_plot.EPOCH_POINTS_PER_PIXEL * 1.5 and x[0] < 10
            assert (x[-1], y[-1]) == (epochs, cost[-1])  # the latest epoch as it is
            assert plot.val_curve.opts["symbol"] is None
        else:
            np.testing.assert_array_equal(y, cost)
            assert plot.val_curve.opts["symbol"] == "o"


def test_the_drawing_is_reclassified_while_training(window, qtbot):
    draw(qtbot, window.canvas, [(14.0, 5.0 + i * 0.5) for i in range(37)])
    snapshots = []
    window.train_tab.snapshot.connect(lambda network: snapshots.append(window.panel.heights.copy()))
    start_long_run(window, qtbot)
    qtbot.waitUntil(lambda: len(snapshots) >= 3, timeout=15000)
    stop_and_wait(window, qtbot)
    assert not np.allclose(snapshots[0], snapshots[-1])  # the guess moved as the weights changed


def test_training_runs_in_its_own_process_and_a_killed_one_is_said_in_one_line(window, qtbot):
    import multiprocessing

    before = window.state.network
    start_long_run(window, qtbot)
    children = multiprocessing.active_children()
    assert len(children) == 1  # the run is in a child process: the window shares no GIL with it
    children[0].kill()
    qtbot.waitUntil(lambda: not window.train_tab.running, timeout=10000)
    message = window.train_tab.message.text()
    assert "the training process ended unexpectedly" in message and "Traceback" not in message
    assert not running_jobs() and not multiprocessing.active_children()
    if "last good snapshot" in message:  # the weights trained so far are kept, and they are whole
        assert window.state.network is not before
        assert all(np.isfinite(p).all() for p in window.state.network.params.values())
    else:
        assert "The model is unchanged" in message and window.state.network is before


def test_paused_time_counts_neither_in_the_eta_nor_in_the_runs_duration(monkeypatch):

    now = [100.0]
    monkeypatch.setattr(tab_module.time, "monotonic", lambda: now[0])
    clock = tab_module.RunClock()
    now[0] += 10
    clock.pause()
    now[0] += 600  # lunch
    assert clock.seconds() == 10
    clock.resume()
    now[0] += 5
    assert clock.seconds() == 15


@pytest.mark.parametrize(
    "saved",
    [
        '{"seed": 2147483648}',
        '{"batch_size": 1000000000000}',
        '{"augment": "yes"}',
        '{"augment": [1]}',
        '{"activations": [["relu"]]}',
        "[" * 100_000 + "]" * 100_000,
        '"just text"',
    ],
    ids=["seed 2³¹", "huge batch", "augment as text", "augment as a list", "nested names", "deep JSON", "text"],
)
def test_remembered_settings_that_cannot_be_used_give_the_defaults_and_say_so(qtbot, saved):
    from dnngui.state import settings
    from dnngui.tabs.train.form import APP_DEFAULTS
    from dnngui.window.main_window import MainWindow

    settings.store().setValue("trainRecipe", saved)
    window = MainWindow()
    qtbot.addWidget(window)
    form = window.train_tab.form
    assert form.seed.value() == APP_DEFAULTS.seed and form.batch.value() == APP_DEFAULTS.batch_size
    assert form.augment.isChecked() == APP_DEFAULTS.augment
    assert "could not be used" in window.train_tab.message.text()


def test_the_accuracy_legend_lists_the_sets_of_this_run_only(qtbot):
    from dnngui.noqt.history import CostHistory

    plot = loss_plot.LossPlot(CostHistory())
    qtbot.addWidget(plot)
    legend = plot.accuracy.getPlotItem().legend

    def labels():
        return [label.text for _, label in legend.items]

    plot.start_run(0, 3, ["MNIST validation", "held-out UCI writers", "held-out UNIPEN lab"])
    assert labels() == ["train", "MNIST", "UCI", "UNIPEN lab"]  # made before the first epoch
    plot.start_run(0, 3, ["MNIST validation"])  # an MNIST-only run: no pen writers' entries are left
    assert labels() == ["train", "MNIST", "validation"]
    assert list(plot.set_curves) == ["MNIST validation"]
    plot.start_run(0, 3, ["MNIST validation", "held-out UCI writers", "held-out UNIPEN writers", "held-out UNIPEN lab"])
    plot.show()
    QtWidgets.QApplication.processEvents()
    # every entry in a place of its own: added after removals, two once shared a cell
    boxes = [label.sceneBoundingRect().adjusted(0, 3, 0, -3) for _, label in legend.items]  # less the padding
    assert len(boxes) == 5 and not any(a.intersects(b) for a, b in itertools.combinations(boxes, 2))
    for width in (290, 900):  # as many columns as fit: entries past the plot's edge were cut off
        plot.resize(width, 500)
        QtWidgets.QApplication.processEvents()
        edge = plot.accuracy.getPlotItem().sceneBoundingRect().right()
        assert all(label.mapRectToScene(label.item.boundingRect()).right() <= edge for _, label in legend.items)
    assert legend.columnCount == 3


def test_the_plots_label_the_last_epoch_keep_the_legend_off_the_lines_and_scale_no_cost(qtbot):
    from PySide6 import QtWidgets

    from dnngui.noqt.history import CostHistory

    plot = loss_plot.LossPlot(CostHistory())
    qtbot.addWidget(plot)
    plot.resize(600, 500)
    plot.show()
    QtWidgets.QApplication.processEvents()
    for last in (18, 7, 140):
        plot.start_run(0, last, ["MNIST validation", "held-out UCI writers"])
        axis = plot.loss.getAxis("bottom")
        (x0, x1), _ = plot.loss.viewRange()
        labelled = axis.tickValues(x0, x1, axis.width())[0][1]
        assert labelled[-1] == last and all(float(v).is_integer() for v in labelled), labelled
        assert all(b - a >= 0.6 * (labelled[1] - labelled[0]) for a, b in itertools.pairwise(labelled))
    item = plot.accuracy.getPlotItem()
    assert not item.legend.sceneBoundingRect().intersects(item.vb.sceneBoundingRect())  # above the curves
    plot.loss.setYRange(0, 0.004)  # a 0-vs-1 run's cost: its numbers, not "cost J (x0.001)"
    QtWidgets.QApplication.processEvents()
    assert "x0.001" not in plot.loss.getAxis("left").labelString()


def test_finished_is_not_said_of_a_model_that_is_no_longer_the_model(window, qtbot):
    small_settings(window, epochs=1)
    tab = window.train_tab
    click(qtbot, tab.train_button)
    qtbot.waitUntil(lambda: not tab.running, timeout=60000)
    assert tab.message.text().startswith("Finished")
    window.files.zero_one_action.trigger()  # another model opened
    assert tab.message.text() == "The model in use now: shipped 0-vs-1 model."


def test_tab_goes_from_the_hidden_layers_through_each_activation_to_the_optimizer(window):
    form = window.train_tab.form
    form.hidden.setText("64, 32, 16, 16, 16, 16")
    chain = [form.hidden, *form.activations, form.optimizer]
    assert len(form.activations) == 6
    for first, second in itertools.pairwise(chain):
        following = first.nextInFocusChain()
        while not following.focusPolicy() & QtCore.Qt.FocusPolicy.TabFocus:  # labels take no focus
            following = following.nextInFocusChain()
        assert following is second
    assert all(
        box.minimumSizeHint().width() >= box.fontMetrics().horizontalAdvance("leaky ReLU") for box in form.activations
    )


def test_train_checks_the_settings_without_making_the_network_in_the_window(window, qtbot, monkeypatch):
    """The largest network the form allows (8 × 4096) took the window 5 s to make, copy and throw away before
    the child made it again; the window now only checks the run (core.recipe.check_start)."""
    from dnngui.core.recipe import Recipe

    made = []
    real = Recipe.network
    monkeypatch.setattr(Recipe, "network", lambda self: made.append(self) or real(self))
    tab = window.train_tab
    tab.form.hidden.setText("4096, 4096")
    tab.form.epochs.setValue(1)
    assert tab.start()
    assert made == []  # in this process: the child makes the weights
    qtbot.waitUntil(lambda: tab._snapshot_seen, timeout=60000)  # its weights still come to the window
    assert tab._preview.sizes == (784, 4096, 4096, 10)
    click(qtbot, tab.stop_button)
    qtbot.waitUntil(lambda: not tab.running, timeout=60000)
    tab.form.batch.setValue(10**6)  # a bad setting is still said at once, before anything runs
    assert not tab.start() and "batch size" in tab.message.text()
