"""Teach it: labelling drawings, the personal set on disk, fine-tuning."""

import numpy as np
from PySide6 import QtCore

from dnngui.core import personal
from dnngui.jobs.job import running_jobs
from dnngui.state.personal_store import PersonalStore
from dnngui.window.main_window import MainWindow
from tests.support.window import draw

ONE = [(14.0, 5.0 + i * 0.5) for i in range(37)]


def test_a_digit_key_adds_exactly_one_sample_with_that_label(window, qtbot, data_folder):
    draw(qtbot, window.canvas, ONE)
    x = window.prediction.x.copy()
    qtbot.keyClick(window.canvas, QtCore.Qt.Key.Key_7)
    store = window.personal_store
    assert len(store) == 1 and store.digits.labels.tolist() == [7]
    np.testing.assert_array_equal(store.digits.images[0], personal.as_sample(x))
    assert window.drawing.is_blank  # ready for the next one
    on_disk = personal.load(data_folder / "my_digits.npz")
    assert on_disk.labels.tolist() == [7]
    assert window.my_digits.gallery.count() == 1
    assert "7: 1" in window.my_digits.counts.text()


def test_the_label_buttons_and_a_blank_canvas(window, qtbot):
    window.label_row.buttons[3].click()
    assert len(window.personal_store) == 0  # nothing drawn, nothing added
    draw(qtbot, window.canvas, ONE)
    window.label_row.buttons[1].click()
    assert window.personal_store.digits.labels.tolist() == [1]


def test_drawings_survive_a_restart_and_can_be_deleted(window, qtbot):
    for key in (QtCore.Qt.Key.Key_1, QtCore.Qt.Key.Key_4):
        draw(qtbot, window.canvas, ONE)
        qtbot.keyClick(window.canvas, key)
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.personal_store.digits.labels.tolist() == [1, 4]
    again.my_digits.gallery.item(0).setSelected(True)
    again.my_digits.delete_button.click()
    assert again.personal_store.digits.labels.tolist() == [4]
    assert personal.load(again.personal_store.path).labels.tolist() == [4]


def test_a_deletion_is_said_and_can_be_undone_with_its_strokes(window, qtbot):
    for key in (QtCore.Qt.Key.Key_1, QtCore.Qt.Key.Key_4, QtCore.Qt.Key.Key_7):
        draw(qtbot, window.canvas, ONE)
        qtbot.keyClick(window.canvas, key)
    view, store = window.my_digits, window.personal_store
    kept = store.digits
    assert not view.undo_delete_button.isVisibleTo(view)
    view.gallery.item(0).setSelected(True)
    view.gallery.item(2).setSelected(True)
    view.delete_button.click()
    assert store.digits.labels.tolist() == [4] and "Deleted 2 drawings" in view.message.text()
    assert view.undo_delete_button.isVisibleTo(view)
    view.undo_delete_button.click()
    assert sorted(store.digits.labels.tolist()) == [1, 4, 7] and "Put back 2 drawings" in view.message.text()
    assert sorted(personal.load(store.path).labels.tolist()) == [1, 4, 7]  # on disk too
    for label in (1, 7):
        before, after = (int(np.flatnonzero(d.labels == label)[0]) for d in (kept, store.digits))
        np.testing.assert_array_equal(store.digits.images[after], kept.images[before])
        assert len(store.digits.strokes[after]) == len(kept.strokes[before])
    assert not view.undo_delete_button.isVisibleTo(view)


def test_a_window_given_an_empty_drawings_folder_keeps_to_it(qtbot, data_folder, tmp_path):
    """A store with no drawings yet (as a script's fresh profile has) is the window's, not the default folder's."""
    PersonalStore(data_folder).add(np.zeros(784), 3)  # the default folder already holds someone's drawing
    mine = PersonalStore(tmp_path / "elsewhere")
    window = MainWindow(personal_store=mine)
    qtbot.addWidget(window)
    assert window.personal_store is mine and len(window.personal_store) == 0
    draw(qtbot, window.canvas, ONE)
    qtbot.keyClick(window.canvas, QtCore.Qt.Key.Key_1)
    assert personal.load(tmp_path / "elsewhere" / "my_digits.npz").labels.tolist() == [1]
    assert personal.load(data_folder / "my_digits.npz").labels.tolist() == [3]
    assert window.run_store.folder == tmp_path / "elsewhere" / "runs"
    window.state.dirty = False


def test_a_damaged_drawings_file_is_kept_aside_and_a_new_set_started(qtbot, data_folder, dialogs):
    data_folder.mkdir(parents=True)
    (data_folder / "my_digits.npz").write_bytes(b"half-written garbage")
    window = MainWindow()
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=2000)
    assert "could not be read" in dialogs.errors[0]
    kept = [p for p in data_folder.iterdir() if p.name.startswith("my_digits.damaged-")]
    assert len(kept) == 1 and kept[0].read_bytes() == b"half-written garbage"
    assert len(window.personal_store) == 0


def test_export_and_import(window, qtbot, dialogs, tmp_path):
    draw(qtbot, window.canvas, ONE)
    qtbot.keyClick(window.canvas, QtCore.Qt.Key.Key_1)
    dialogs.save_path = str(tmp_path / "backup.npz")
    assert window.my_digits.export_drawings()
    dialogs.open_path = str(tmp_path / "backup.npz")
    assert window.my_digits.import_drawings()
    assert window.personal_store.digits.labels.tolist() == [1]  # the same drawing is not added twice
    assert "1 were here already" in window.my_digits.message.text()
    dialogs.save_path = str(tmp_path / "no-suffix")
    assert window.my_digits.export_drawings()
    assert (tmp_path / "no-suffix.npz").exists()  # the suffix Import's filter lists
    draw(qtbot, window.canvas, [(10, 6), (18, 6), (12, 22)])
    qtbot.keyClick(window.canvas, QtCore.Qt.Key.Key_7)
    dialogs.open_path = str(tmp_path / "backup.npz")
    window.personal_store.remove([0])
    assert window.my_digits.import_drawings()
    assert sorted(window.personal_store.digits.labels.tolist()) == [1, 7]
    (tmp_path / "junk.npz").write_bytes(b"junk")
    dialogs.open_path = str(tmp_path / "junk.npz")
    assert not window.my_digits.import_drawings()
    assert dialogs.errors and len(window.personal_store) == 2


def test_fine_tuning_learns_consistently_drawn_misclassified_samples(window, qtbot):
    """A person whose 7s have a long flat base: the shipped model reads them as 2s (or
    anything but 7). A dozen labelled ones and a fine-tune later, it reads them as 7s."""
    rng = np.random.default_rng(0)
    samples = []
    for _ in range(12):
        jitter = rng.normal(0, 0.4, 4)
        seven = [(8 + jitter[0], 6.0), (20 + jitter[1], 6.0), (11 + jitter[2], 22.0), (21 + jitter[3], 22.0)]
        window.canvas.clear()
        draw(qtbot, window.canvas, seven)
        samples.append(window.prediction.x.copy())
    net = window.state.network
    X = np.array(samples).T
    before = np.mean(net.predict(X) == 7)
    assert before < 0.5, before  # the shipped model does not read these as 7s
    for x in samples:
        window.personal_store.add(x, 7)
    gallery = window.my_digits.gallery
    wrong = [gallery.item(i).text() for i in range(gallery.count()) if "✗" in gallery.item(i).text()]
    assert len(wrong) >= 6 and all(text.startswith("7 ✗ ") for text in wrong)  # the misread sevens stand out
    assert f"reads {12 - len(wrong)} of 12 right" in window.my_digits.counts.text()
    window.train_tab.form.lr.setText("0.5")  # Train's settings, which a fine-tune does not use
    window.my_digits.fine_tune_button.click()
    # it says its own settings while it runs, not the form's
    assert "Adam, α = 0.0002" in window.train_tab.message.text() and "not this run's" in window.train_tab.message.text()
    qtbot.waitUntil(lambda: not window.train_tab.running, timeout=60000)
    assert running_jobs() == [window.my_digits.job]  # only the left-out check goes on
    after = np.mean(window.state.network.predict(X) == 7)
    assert after >= 0.9, after
    message = window.train_tab.message.text()
    assert f"Your drawings: {1 - len(wrong) / 12:.0%} read right before, " in message and "after" in message
    assert sum("✗" in gallery.item(i).text() for i in range(gallery.count())) <= 1  # the gallery follows the model
    _, accuracy = window.state.network.evaluate(
        window.data_source.validation.images.reshape(-1, 784).T, window.data_source.validation.labels
    )
    assert accuracy > 0.95  # and it still reads MNIST
    report = window.my_digits.report
    rows = {report.item(r, 0).text(): (report.item(r, 1).text(), report.item(r, 2).text()) for r in range(3)}
    assert not report.isHidden() and rows["your drawings (it trained on them)"][1].endswith("%")
    assert rows["MNIST validation"][1] not in ("", "–")
    # each drawing read by a fine-tune on the others only: the figure that is not memorised
    qtbot.waitUntil(lambda: window.my_digits.job is None, timeout=60000)
    left_out_before, left_out_after = (float(text.rstrip("%")) for text in rows_of(report)[1][1:])
    assert left_out_before < 50 and left_out_after >= 80, (left_out_before, left_out_after)


def rows_of(table):
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_a_labelled_drawing_keeps_its_strokes_but_an_erased_one_does_not(window, qtbot):
    draw(qtbot, window.canvas, [(14, 4), (14, 24)])
    qtbot.keyClick(window.canvas, QtCore.Qt.Key.Key_1)
    ((width, points),) = window.personal_store.digits.strokes[0]
    assert width == window.canvas.brush_width and len(points) == 2
    draw(qtbot, window.canvas, [(14, 4), (14, 24)])
    draw(qtbot, window.canvas, [(14, 10), (14, 12)], button=QtCore.Qt.MouseButton.RightButton)  # erase a bit
    qtbot.keyClick(window.canvas, QtCore.Qt.Key.Key_1)
    assert window.personal_store.digits.strokes[1] == ()
    assert personal.load(window.personal_store.path).strokes[0][0][1].shape == (2, 2)


def test_the_tab_says_where_the_drawings_are_kept(window):
    label = window.my_digits.where.text()
    assert str(window.personal_store.path) in label and "--mine" in label


def test_a_folder_that_cannot_be_written_is_said_and_closing_asks_before_losing_drawings(
    window, qtbot, dialogs, monkeypatch
):
    from PySide6 import QtCore as Core

    monkeypatch.setattr(Core.QLockFile, "tryLock", lambda self, ms=0: False)
    monkeypatch.setattr(Core.QLockFile, "error", lambda self: Core.QLockFile.LockError.PermissionError)
    draw(qtbot, window.canvas, ONE)
    qtbot.keyClick(window.canvas, QtCore.Qt.Key.Key_1)
    message = window.personal_store.save_error
    assert "cannot be written" in message and "another dnngui window" not in message
    assert dialogs.errors[-1] == message
    window.close()  # the answer is Cancel: the window stays, with the drawing
    assert window.isVisible() and dialogs.lose_questions == [message] and len(window.personal_store) == 1
    dialogs.lose_answer = True
    window.close()
    assert not window.isVisible()


def test_a_label_that_would_pass_the_files_cap_is_refused_and_the_drawing_stays(window, qtbot, dialogs, monkeypatch):
    draw(qtbot, window.canvas, ONE)
    qtbot.keyClick(window.canvas, QtCore.Qt.Key.Key_1)
    monkeypatch.setattr(personal, "MAX_BYTES", personal._file_bytes(window.personal_store.digits))  # full
    draw(qtbot, window.canvas, ONE)
    qtbot.keyClick(window.canvas, QtCore.Qt.Key.Key_4)
    assert len(dialogs.errors) == 1 and "more than a drawings file may hold" in dialogs.errors[0]
    assert window.personal_store.digits.labels.tolist() == [1] and not window.drawing.is_blank
    again = MainWindow()  # and the file still reads at the next start
    qtbot.addWidget(again)
    assert again.personal_store.digits.labels.tolist() == [1] and again.personal_store.notice is None


def test_an_unreadable_drawings_file_is_said_as_such_and_never_renamed_or_overwritten(data_folder, monkeypatch):
    from pathlib import Path

    PersonalStore(data_folder).add(np.zeros(784), 3)
    path = data_folder / "my_digits.npz"
    before = path.read_bytes()
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    monkeypatch.setattr(personal, "read_npz", lambda *a, **k: (_ for _ in ()).throw(personal.DataError("denied")))
    store = PersonalStore(data_folder)
    assert "cannot be read (Permission denied)" in store.notice and "damaged" not in store.notice
    assert list(data_folder.glob("my_digits.damaged-*")) == []  # it was renamed "damaged"
    store.add(np.zeros(784), 4)
    monkeypatch.undo()
    assert store.save_error and path.read_bytes() == before  # kept in memory, the file untouched
