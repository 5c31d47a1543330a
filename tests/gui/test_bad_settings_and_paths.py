"""Bad settings, names shown as text, damaged test sets, paths the system refuses: each said in one line."""

from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from dnngui.core import data
from dnngui.state import settings
from dnngui.widgets import dialogs as real_dialogs
from dnngui.window.main_window import MainWindow
from tests.support.mnist_files import idx_pair

SHOW_ERROR = real_dialogs.show_error  # as imported, before a fixture records dialogs instead


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("brushWidth", "nan"),
        ("brushWidth", "inf"),
        ("brushWidth", "-1e308"),
        ("brushWidth", "1e400"),
        ("brushWidth", "thick"),
        ("geometry", "not bytes"),
        ("geometry", 42),
        ("recentModels", 42),
        ("lastFolder", 3.5),
    ],
)
def test_a_bad_setting_falls_back_to_its_default(qtbot, key, value):
    settings.store().setValue(key, value)
    settings.store().sync()
    window = MainWindow()
    qtbot.addWidget(window)
    window.files.update_enabled(False)  # the recent-files menu reads its setting
    if key == "brushWidth":
        assert window.canvas.brush_width == pytest.approx(2.2)
    elif key == "geometry":
        assert window.width() >= window.minimumWidth() and window.height() >= window.minimumHeight()
    elif key == "recentModels":
        assert settings.recent_models() == []
    else:
        assert settings.last_folder() == str(Path.home())


def test_a_damaged_test_set_is_said_and_nothing_changes(window, dialogs, tmp_path):
    val = data.split(data.bundled())[1]
    idx_pair(tmp_path, "train", val.images[:300], val.labels[:300])
    idx_pair(tmp_path, "t10k", val.images[:100], val.labels[:100], damage=True)
    dialogs.folder = str(tmp_path)
    before = window.data_source.corpus
    assert not window.import_mnist()
    assert "t10k-images-idx3-ubyte is truncated" in dialogs.errors[0]
    assert window.data_source.corpus is before


def test_file_names_are_shown_as_text_not_html(window, dialogs, tmp_path):
    path = tmp_path / "<h1>Model OK<h1>.npz"
    path.write_bytes(b"junk")
    window.files.open_model(str(path))
    message = dialogs.errors[0]
    shown = []

    def capture():
        box = next(w for w in QtWidgets.QApplication.topLevelWidgets() if isinstance(w, QtWidgets.QMessageBox))
        shown.append((box.textFormat(), box.text()))
        box.close()

    QtCore.QTimer.singleShot(100, capture)
    ok = QtWidgets.QMessageBox.StandardButton.Ok
    real_dialogs._message_box(window, QtWidgets.QMessageBox.Icon.Critical, "Cannot open", message, ok, ok)
    assert shown == [(QtCore.Qt.TextFormat.PlainText, message)] and "<h1>Model OK<h1>.npz" in message
    for label in (window.train_tab.data_label, window.train_tab.message, window.evaluation_view.accuracy):
        assert label.textFormat() == QtCore.Qt.TextFormat.PlainText


def test_evaluating_a_zero_one_model_on_digits_it_has_no_classes_of_is_one_line(tmp_path):
    from tests.support.commands import run

    digits = data.bundled()
    few = digits.subset(digits.labels >= 2)
    np.savez(tmp_path / "twos.npz", images=few.images[:50], labels=few.labels[:50])
    status, _, err = run("evaluate", "--model", "assets/models/zero-one.npz", "--data", str(tmp_path / "twos.npz"))
    assert status == 2 and "no digits of the model's classes [0, 1]" in err and err.count("\n") == 1


def test_a_folder_with_only_a_test_set_is_imported_for_evaluation(window, dialogs, tmp_path):
    val = data.split(data.bundled())[1]
    idx_pair(tmp_path, "t10k", val.images[:100], val.labels[:100])
    dialogs.folder = str(tmp_path)
    before = window.data_source.corpus
    assert window.import_mnist()
    assert window.data_source.corpus is before  # the training data stay
    titles = [title for title, _, _ in window.evaluation_view.sources]
    assert titles[-1] == "the MNIST test set" and len(window.evaluation_view.sources[-1][1]) == 100


def test_an_error_dialog_starts_its_sentence_with_a_capital_unless_it_starts_with_a_name(monkeypatch):
    shown = []
    monkeypatch.setattr(
        real_dialogs, "_message_box", lambda parent, icon, title, message, *a, **k: shown.append(message)
    )
    for message in (
        "the folder /tmp/x cannot be written",  # a line of the command line's "dnngui: …"
        "my_digits.npz is damaged",
        "/home/me/mnist has no train-images-idx3-ubyte[.gz]",
        "dnngui cannot read it",
        "Already a sentence.",
    ):
        SHOW_ERROR(None, "Cannot", message)
    assert shown == [
        "The folder /tmp/x cannot be written",
        "my_digits.npz is damaged",
        "/home/me/mnist has no train-images-idx3-ubyte[.gz]",
        "dnngui cannot read it",
        "Already a sentence.",
    ]


def test_paths_the_system_refuses_are_one_line_in_a_dialog_at_every_door(window, dialogs, tmp_path):
    """A name over 255 bytes or a 5,000-character path: OSError outside the readers' handling was a traceback."""
    long_name = str(tmp_path / ("m" * 300 + ".npz"))
    long_path = str(tmp_path / "/".join(["folder"] * 700))
    doors = [
        lambda p: window.files.open_model(p),
        lambda p: setattr(dialogs, "folder", p) or window.import_mnist(),
        lambda p: setattr(dialogs, "open_path", p) or window.import_pen(),
        lambda p: setattr(dialogs, "open_path", p) or window.my_digits.import_drawings(),
    ]
    before = window.state.network, window.data_source.corpus, len(window.personal_store)
    for door in doors:
        for path in (long_name, long_path):
            dialogs.errors.clear()
            assert not door(path)
            assert len(dialogs.errors) == 1 and "\n" not in dialogs.errors[0], dialogs.errors
            assert len(dialogs.errors[0]) < 200 and ("too long" in dialogs.errors[0] or "no such" in dialogs.errors[0])
    assert (window.state.network, window.data_source.corpus, len(window.personal_store)) == before
