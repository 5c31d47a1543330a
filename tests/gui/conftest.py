"""Qt test fixtures: isolated settings, recorded dialogs, and a drawing helper."""

import pytest
from PySide6 import QtCore


@pytest.fixture(autouse=True)
def no_running_jobs(qapp):
    """Fail a test that leaves a background job's QThread running."""
    yield
    from dnngui.jobs.job import running_jobs

    leftover = running_jobs()
    for job in leftover:
        job.stop_and_wait(5000)
    assert not leftover, f"background jobs left running: {leftover}"


@pytest.fixture(autouse=True)
def data_folder(tmp_path, monkeypatch):
    """The person's data folder (drawings) in a temporary folder."""
    from dnngui.state import personal_store

    folder = tmp_path / "data"
    monkeypatch.setattr(personal_store, "data_folder", lambda: folder)
    return folder


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, qapp):
    QtCore.QSettings.setPath(QtCore.QSettings.Format.IniFormat, QtCore.QSettings.Scope.UserScope, str(tmp_path / "cfg"))
    yield tmp_path / "cfg"


class DialogRecorder:
    """Stands in for dnngui.widgets.dialogs: records what would be shown, answers as told."""

    def __init__(self):
        self.errors = []
        self.infos = []
        self.save_answer = "discard"
        self.open_path = ""
        self.save_path = ""
        self.folder = ""
        self.save_questions = 0
        self.stop_training_answer = True
        self.stop_training_questions = 0
        self.replace_answer = False
        self.lose_answer = False
        self.lose_questions = []
        self.replace_questions = []

    def install(self, monkeypatch):
        from dnngui.widgets import dialogs

        monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: self.errors.append(message))
        monkeypatch.setattr(dialogs, "show_info", lambda parent, title, message, rich=False: self.infos.append(message))
        monkeypatch.setattr(dialogs, "ask_save_changes", self._ask)
        monkeypatch.setattr(dialogs, "ask_stop_training", self._ask_stop)
        monkeypatch.setattr(dialogs, "open_file", lambda *a, **k: self.open_path)
        monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: self.save_path)
        monkeypatch.setattr(dialogs, "open_folder", lambda *a, **k: self.folder)
        monkeypatch.setattr(dialogs, "ask_replace_file", self._ask_replace)
        monkeypatch.setattr(dialogs, "ask_lose_drawings", self._ask_lose)

    def _ask_lose(self, parent, why):
        self.lose_questions.append(why)
        return self.lose_answer

    def _ask_replace(self, parent, path):
        self.replace_questions.append(str(path))
        return self.replace_answer

    def _ask_stop(self, parent):
        self.stop_training_questions += 1
        return self.stop_training_answer

    def _ask(self, parent, what):
        self.save_questions += 1
        return self.save_answer


@pytest.fixture(autouse=True)
def dialogs(monkeypatch):
    recorder = DialogRecorder()
    recorder.install(monkeypatch)
    return recorder


@pytest.fixture
def window(qtbot):
    from dnngui.window.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.state.dirty = False  # no save prompt when the fixture closes it
