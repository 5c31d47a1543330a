"""Runs side by side: every run is kept, any can be overlaid on the plots, deleted or exported as CSV."""

from PySide6 import QtCore

from dnngui.window.main_window import MainWindow
from tests.support.window import click, small_settings


def train(window, qtbot, lr):
    small_settings(window, epochs=2, lr=lr)
    click(qtbot, window.train_tab.train_button)
    qtbot.waitUntil(lambda: not window.train_tab.running, timeout=60000)


def tick(panel, row):
    panel.list.item(row).setCheckState(QtCore.Qt.CheckState.Checked)


def legend_names(plot):
    return [label.text for _, label in plot.getPlotItem().legend.items]


def test_two_runs_are_kept_and_overlaid_named_by_their_difference(window, qtbot, data_folder):
    train(window, qtbot, "0.003")
    train(window, qtbot, "0.01")
    panel = window.train_tab.runs
    assert panel.list.count() == 2 and len(list((data_folder / "runs").glob("run-*.json"))) == 2
    assert "lr 0.01" in panel.list.item(0).text() and "finished" in panel.list.item(0).text()  # newest first
    tick(panel, 0)
    tick(panel, 1)
    plot = window.train_tab.plot
    assert {"lr=0.003", "lr=0.01"} <= set(legend_names(plot.loss)) and "lr=0.01" in legend_names(plot.accuracy)
    assert len(plot._run_curves) == 4  # cost and accuracy of each
    again = MainWindow()  # kept across sessions
    assert again.train_tab.runs.list.count() == 2
    again.state.dirty = False
    again.close()


def test_a_run_is_deleted_and_exported(window, qtbot, data_folder, dialogs, tmp_path):
    train(window, qtbot, "0.003")
    panel = window.train_tab.runs
    panel.list.setCurrentRow(0)
    dialogs.save_path = str(tmp_path / "run")
    assert panel.export_selected()
    assert "Exported the run to" in window.statusBar().currentMessage()  # it says it is done
    text = (tmp_path / "run.csv").read_text()
    assert "# lr: 0.003" in text and text.splitlines()[-1].startswith("2,")
    panel.delete_selected()
    assert panel.list.count() == 0 and not list((data_folder / "runs").glob("run-*.json"))


def test_a_damaged_run_file_is_not_listed_and_said(qtbot, data_folder):
    (data_folder / "runs").mkdir(parents=True)
    (data_folder / "runs" / "run-20261130T000000-0.json").write_text("{ not json")
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.train_tab.runs.list.count() == 0
    assert "1 run file(s)" in window.train_tab.runs.problem.text()


def test_ticking_one_more_run_redraws_only_that_run_and_renames_the_rest(window):
    """Every tick redrew every ticked run: 1.7 s a tick at 200 runs. Now a tick adds two curves."""
    from dnngui.core import runs
    from dnngui.core.recipe import Recipe

    for lr, epochs in ((0.001, 3), (0.002, 3), (0.002, 5)):
        window.run_store.add(runs.begin(Recipe(lr=lr, epochs=epochs).as_dict()))
    panel, plot = window.train_tab.runs, window.train_tab.plot
    tick(panel, 2)  # the oldest: lr 0.001
    tick(panel, 1)
    first = list(plot._run_curves)
    assert legend_names(plot.loss)[-2:] == ["lr=0.001", "lr=0.002"]
    tick(panel, 0)  # lr 0.002 again, more epochs: the labels now name the epochs too
    assert plot._run_curves[:4] == first  # the same curves, not drawn again
    assert legend_names(plot.loss)[-3:] == ["epochs=3, lr=0.001", "epochs=3, lr=0.002", "epochs=5, lr=0.002"]
    panel.list.item(2).setCheckState(QtCore.Qt.CheckState.Unchecked)
    assert len(plot._run_curves) == 4 and all(curve not in plot.loss.listDataItems() for _, curve in first[:2])
