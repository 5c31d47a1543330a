"""Teach it: the person's own labelled drawings, their counts, and fine-tuning on them."""

import functools
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from dnngui.core import personal
from dnngui.jobs.job import Job
from dnngui.jobs.training import cross_check_work
from dnngui.state import settings
from dnngui.widgets import dialogs
from dnngui.widgets.gallery import add_digit, make_gallery

DRAWINGS_FILTER = "dnngui drawings (*.npz);;All files (*)"


class MyDigitsView(QtWidgets.QWidget):
    """``myDigitsView``: counts per digit, every sample (select and Delete to remove),
    Export…/Import…, and Fine-tune."""

    fine_tune_requested = QtCore.Signal()

    def __init__(self, store, state, parent=None):
        super().__init__(parent)
        self.state = state
        self.setObjectName("myDigitsView")
        self.store = store
        self.counts = dialogs.plain_label()
        self.counts.setObjectName("digitCounts")
        self.counts.setWordWrap(True)
        self.gallery = make_gallery(
            "myDigitsGallery", 48, "Your labelled drawings. Select some and press Delete to remove them."
        )
        self.gallery.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.delete_button = QtWidgets.QPushButton("Delete")
        self.delete_button.setToolTip("Remove the selected drawings (Delete)")
        self.delete_button.clicked.connect(self.delete_selected)
        delete_shortcut = QtGui.QShortcut(QtGui.QKeySequence.StandardKey.Delete, self.gallery)
        delete_shortcut.setContext(QtCore.Qt.ShortcutContext.WidgetShortcut)
        delete_shortcut.activated.connect(self.delete_selected)
        self.undo_delete_button = QtWidgets.QPushButton("Undo Delete")
        self.undo_delete_button.setObjectName("undoDeleteButton")
        self.undo_delete_button.setToolTip("Put back the drawings you deleted last")
        self.undo_delete_button.clicked.connect(self.undo_delete)
        self.undo_delete_button.hide()
        self._deleted = None  # the drawings the last Delete removed, until they are put back
        self.fine_tune_button = QtWidgets.QPushButton("Fine-tune")
        self.fine_tune_button.setObjectName("fineTuneButton")
        self.fine_tune_button.setToolTip(
            "Retrains the output layer on your drawings (repeated so they count, and drawn again from your\n"
            "strokes with random pens) mixed with MNIST digits: the hidden layers keep their features, and\n"
            "the network learns how they vote for your handwriting without forgetting the rest"
        )
        self.fine_tune_button.clicked.connect(self.fine_tune_requested)
        self.export_button = QtWidgets.QPushButton("Export…")
        self.export_button.setToolTip("Save your drawings to a file, to back them up or share them")
        self.export_button.clicked.connect(self.export_drawings)
        self.import_button = QtWidgets.QPushButton("Import…")
        self.import_button.setToolTip("Add the drawings of an exported file to yours")
        self.import_button.clicked.connect(self.import_drawings)
        self.message = dialogs.plain_label()
        self.message.setWordWrap(True)
        self.message.setObjectName("myDigitsMessage")
        self.report = self._make_report()
        self.check_progress = QtWidgets.QProgressBar()
        self.check_progress.setObjectName("crossCheckProgress")
        self.check_progress.hide()
        self.job = None

        buttons = QtWidgets.QHBoxLayout()
        for button in (
            self.fine_tune_button,
            self.delete_button,
            self.undo_delete_button,
            self.export_button,
            self.import_button,
        ):
            buttons.addWidget(button)
        intro = QtWidgets.QLabel(
            "Draw a digit, then press its key on the canvas (or a “This is a …” button) to add it here. "
            "Fine-tune teaches the network your handwriting; Train can include these drawings too."
        )
        intro.setWordWrap(True)
        self.where = dialogs.plain_label(f"Kept in {store.path} (dnngui fine-tune --mine takes this file).")
        self.where.setObjectName("myDigitsFile")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.where)
        layout.addWidget(self.counts)
        layout.addWidget(self.gallery, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.report)
        layout.addWidget(self.check_progress)
        layout.addWidget(self.message)
        store.changed.connect(self._update)
        state.changed.connect(self._update)  # the guesses are the model's
        self._update()

    @staticmethod
    def _make_report():
        report = QtWidgets.QTableWidget(0, 3)
        report.setObjectName("fineTuneReport")
        report.setHorizontalHeaderLabels(["read right", "before", "after"])
        report.verticalHeader().hide()
        report.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        header = report.horizontalHeader()
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        report.setToolTip(
            "What the last fine-tune did. Your drawings it trained on are read right almost always: it memorises\n"
            "them. The row to trust is “each left out”: every drawing read by a fine-tune on the others only,\n"
            "as a drawing you have not made yet will be read. The validation rows show it did not forget the rest."
        )
        report.hide()
        return report

    def show_fine_tune(self, tuned):
        """Before and after figures of a finished fine-tune, then the left-out check in the background."""
        self.stop_check()
        rows = tuned.figures()
        rows.insert(1, ("your drawings, each left out", personal.read_right(tuned.before, tuned.mine), None))
        self.report.setRowCount(len(rows))
        for r, (name, before, after) in enumerate(rows):
            cells = (name, _percent(before), "checking…" if after is None else _percent(after))
            for c, text in enumerate(cells):
                self.report.setItem(r, c, QtWidgets.QTableWidgetItem(text))
        self.report.resizeColumnsToContents()
        self.report.setFixedHeight(
            self.report.horizontalHeader().height() + sum(self.report.rowHeight(r) for r in range(len(rows))) + 4
        )
        self.report.show()
        self.check_progress.setFormat("left-out check: fine-tuning without each share of your drawings… %p%")
        self.check_progress.setValue(0)
        self.check_progress.show()
        job = self.job = Job(functools.partial(cross_check_work, tuned), self)
        job.yielded.connect(lambda step: self.check_progress.setValue(round(100 * step[0] / step[1])))
        job.returned.connect(lambda share: self._set_left_out(_percent(share)))
        job.errored.connect(lambda message: self._set_left_out(f"failed: {message}"))
        job.finished.connect(lambda: self._on_check_ended(job))
        job.start()

    def _set_left_out(self, text):
        self.report.setItem(1, 2, QtWidgets.QTableWidgetItem(text))

    def _on_check_ended(self, job):
        job.deleteLater()
        if job is self.job:
            self.check_progress.hide()
            self.job = None

    def stop_check(self):
        """Stop the left-out check at its next fold (training starts): its row says so."""
        if self.job is not None:
            self.job.yielded.disconnect()
            self.job.returned.disconnect()
            self.job.stop()
            self._set_left_out("stopped")
            self.check_progress.hide()
            self.job = None

    def shutdown(self, ms=3000):
        """Stop the left-out check and wait for its thread (closing the window)."""
        if self.job is not None:
            self.job.stop_and_wait(ms)

    def _update(self):
        digits = self.store.digits
        n = personal.counts(digits)
        self.counts.setText(
            f"{len(digits)} drawings: " + ", ".join(f"{d}: {c}" for d, c in enumerate(n))
            if len(digits)
            else "No drawings yet."
        )
        self.gallery.clear()
        guesses = personal.reading(self.state.network, digits)
        for image, label, guess in zip(digits.images, digits.labels, guesses, strict=True):
            if guess is None:  # a 0-vs-1 model and a digit it has no class for
                add_digit(self.gallery, image, str(label), f"a {label}")
                continue
            right = guess == label
            caption = str(label) if right else f"{label} ✗ {guess}"
            tip = f"a {label}, read as {guess}" + ("" if right else ": the model gets this one wrong")
            item = add_digit(self.gallery, image, caption, tip)
            if not right:
                item.setBackground(QtGui.QColor(253, 226, 222))
        known = [g for g in guesses if g is not None]
        if known:
            right = sum(g == label for g, label in zip(guesses, digits.labels, strict=True) if g is not None)
            self.counts.setText(self.counts.text() + f". The model reads {right} of {len(known)} right.")
        self.fine_tune_button.setEnabled(len(digits) > 0)
        self.delete_button.setEnabled(len(digits) > 0)
        self.export_button.setEnabled(len(digits) > 0)
        self.message.setText(self.store.save_error or self.store.notice or "")
        self.message.setStyleSheet("color: #c0392b;" if self.store.save_error or self.store.notice else "")

    def export_drawings(self):
        suggested = str(Path(settings.last_folder()) / "my_digits.npz")
        path = dialogs.save_path(self, "Export Your Drawings", suggested, DRAWINGS_FILTER, ".npz")
        if path and Path(path).resolve() == self.store.path.resolve():
            dialogs.show_error(
                self, "Cannot export your drawings", "That is the file dnngui keeps your drawings in; choose another."
            )
            return False
        if not path or not dialogs.attempt(self, "Cannot export your drawings", self.store.export_file, path):
            return False
        settings.remember_folder(Path(path).parent)
        self._say(f"Exported {len(self.store)} drawings to {path}.")
        return True

    def import_drawings(self):
        path = dialogs.open_file(self, "Import Drawings", settings.last_folder(), DRAWINGS_FILTER)
        counts = []
        if not path or not dialogs.attempt(
            self, "Cannot import drawings", lambda p: counts.extend(self.store.import_file(p)), path
        ):
            return False
        settings.remember_folder(Path(path).parent)
        added, known = counts
        self._say(f"Imported {added} drawings" + (f"; {known} were here already." if known else "."))
        return True

    def _say(self, text):
        self.message.setStyleSheet("")
        self.message.setText(text)

    def delete_selected(self):
        rows = sorted(self.gallery.row(item) for item in self.gallery.selectedItems())
        if not rows:
            return
        self._deleted = self.store.remove(rows)
        self.undo_delete_button.show()
        self._say(f"Deleted {_drawings(len(rows))}. Undo Delete puts {'it' if len(rows) == 1 else 'them'} back.")

    def undo_delete(self):
        if self._deleted is None:
            return
        back, self._deleted = self._deleted, None
        self.undo_delete_button.hide()
        self.store.restore(back)
        self._say(f"Put back {_drawings(len(back))}.")


def _drawings(n):
    return "1 drawing" if n == 1 else f"{n} drawings"


def _percent(share):
    return "–" if share != share else f"{share:.1%}"  # NaN: nothing to read
