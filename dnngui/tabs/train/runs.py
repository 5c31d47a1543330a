"""The list of kept runs: tick some to overlay them on the plots; delete them or export one as CSV."""

from pathlib import Path

from PySide6 import QtCore, QtWidgets

from dnngui.core import runs
from dnngui.state import settings
from dnngui.widgets import dialogs

CSV_FILTER = "CSV files (*.csv);;All files (*)"


def describe(run):
    """One line for the list: when, how it ended, how long, and its final accuracy."""
    accuracy = run.final_accuracy
    result = f"{accuracy:.1%}" if isinstance(accuracy, float) else "no accuracy"
    when = run.started.replace("T", " ")[:16]
    return f"{when} · {run.settings.get('hidden')} {run.settings.get('optimizer')} lr {run.settings.get('lr')} · " + (
        f"{result} after {len(run.epochs)} epochs, {run.outcome}, {run.seconds:.0f} s"
    )


class RunsPanel(QtWidgets.QWidget):
    """``runList``: every kept run, newest first; ``shown_changed([(label, Run)])`` when the ticked ones
    change, each labelled by the settings in which the ticked runs differ."""

    shown_changed = QtCore.Signal(list)

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.list = QtWidgets.QListWidget()
        self.list.setObjectName("runList")
        self.list.setToolTip(
            "Every training run, kept with its settings and curves. Tick runs to draw their validation cost and "
            "accuracy on the plots, each in its own colour, named by the settings in which they differ."
        )
        self.list.setMaximumHeight(140)
        # A run's line wraps to the list's width: a sideways scroll bar would hide the last run behind it.
        self.list.setWordWrap(True)
        self.list.setResizeMode(QtWidgets.QListView.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemChanged.connect(self._emit_shown)
        self.delete_button = QtWidgets.QPushButton("Delete")
        self.delete_button.setToolTip("Forget the selected run")
        self.delete_button.clicked.connect(self.delete_selected)
        self.export_button = QtWidgets.QPushButton("Export CSV…")
        self.export_button.setToolTip("Save the selected run's settings and per-epoch figures as a CSV file")
        self.export_button.clicked.connect(self.export_selected)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(QtWidgets.QLabel("Runs"))
        buttons.addStretch()
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.export_button)
        self.problem = dialogs.plain_label()
        self.problem.setObjectName("runProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c0392b;")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.list)
        layout.addWidget(self.problem)
        store.changed.connect(self._fill)
        self._fill()

    def _fill(self):
        ticked = {id(run) for run in self.ticked()}
        self.list.blockSignals(True)
        self.list.clear()
        for index in reversed(range(len(self.store))):
            run = self.store.entries[index][1]
            item = QtWidgets.QListWidgetItem(describe(run))
            item.setToolTip(describe(run))
            item.setData(QtCore.Qt.ItemDataRole.UserRole, index)
            item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(QtCore.Qt.CheckState.Checked if id(run) in ticked else QtCore.Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.problem.setText(self.store.save_error or self.store.notice or "")
        self.problem.setVisible(bool(self.problem.text()))
        has_runs = len(self.store) > 0
        self.delete_button.setEnabled(has_runs)
        self.export_button.setEnabled(has_runs)
        self._emit_shown()

    def ticked(self):
        """The ticked runs, oldest first."""
        items = [self.list.item(i) for i in range(self.list.count())]
        indices = sorted(
            item.data(QtCore.Qt.ItemDataRole.UserRole)
            for item in items
            if item.checkState() == QtCore.Qt.CheckState.Checked
        )
        return [self.store.entries[i][1] for i in indices]

    def _emit_shown(self, *args):
        shown = self.ticked()
        self.shown_changed.emit(list(zip(runs.differences(shown), shown, strict=True)))

    def _selected_index(self):
        item = self.list.currentItem()
        return None if item is None else item.data(QtCore.Qt.ItemDataRole.UserRole)

    def delete_selected(self):
        index = self._selected_index()
        if index is not None:
            self.store.remove([index])

    def export_selected(self):
        index = self._selected_index()
        if index is None:
            dialogs.show_error(self, "Export a run", "Select a run in the list first.")
            return False
        run = self.store.entries[index][1]
        suggested = str(Path(settings.last_folder()) / f"run-{run.started.replace(':', '')}.csv")
        path = dialogs.save_path(self, "Export the Run as CSV", suggested, CSV_FILTER, ".csv")
        if not path or not dialogs.attempt(self, "Cannot export the run", lambda p: runs.write_csv(run, p), path):
            return False
        settings.remember_folder(Path(path).parent)
        if isinstance(self.window(), QtWidgets.QMainWindow):
            self.window().statusBar().showMessage(f"Exported the run to {path}", 4000)
        return True
