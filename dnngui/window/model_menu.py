"""The Model menu: opening, saving and reverting models, with recent files."""

from pathlib import Path

from PySide6 import QtCore, QtGui

from dnngui.state import settings
from dnngui.state.model import shape_of
from dnngui.widgets import dialogs


def make_action(parent, text, slot, shortcut=None, tip=""):
    """A QAction with its shortcut(s), status tip and tooltip, triggering ``slot``."""
    action = QtGui.QAction(text, parent)
    if shortcut is not None:
        shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
        action.setShortcuts([QtGui.QKeySequence(s) for s in shortcuts])
    action.setStatusTip(tip)
    action.setToolTip(tip)
    action.triggered.connect(slot)
    return action


class ModelFiles(QtCore.QObject):
    """Open…, Save, Save As…, Open Recent, the reverts, for the window's ModelState.

    Every failure is a dialog with core's one-line message; the model in use is
    then unchanged.
    """

    def __init__(self, window, state):
        super().__init__(window)
        self.window = window
        self.state = state
        keys = QtGui.QKeySequence.StandardKey
        self.open_action = make_action(window, "&Open Model…", self.open_model, keys.Open, "Open a model file (.npz)")
        self.save_action = make_action(window, "&Save Model", self.save_model, keys.Save, "Save the current model")
        self.save_as_action = make_action(
            window, "Save Model &As…", self.save_model_as, keys.SaveAs, "Save the current model to a new file"
        )
        self.revert_action = make_action(
            window,
            "Open S&hipped Digits Model",
            lambda: self.open_shipped("digits"),
            None,
            "Go back to the 0–9 model dnngui comes with",
        )
        self.zero_one_action = make_action(
            window,
            "Open Shipped &0-vs-1 Model",
            lambda: self.open_shipped("zero-one"),
            None,
            "The article's classifier: one sigmoid unit telling 0 from 1",
        )
        self.revert_training_action = make_action(
            window,
            "Revert to Model &Before Training",
            self.revert_to_previous,
            None,
            "Undo the last training run: go back to the model it started from",
        )
        self.recent_menu = None

    def fill_menu(self, menu):
        menu.addAction(self.open_action)
        self.recent_menu = menu.addMenu("Open &Recent")
        menu.addAction(self.save_action)
        menu.addAction(self.save_as_action)
        menu.addSeparator()
        menu.addAction(self.revert_training_action)
        menu.addAction(self.revert_action)
        menu.addAction(self.zero_one_action)
        self._update_recent_menu()

    def update_enabled(self, training):
        """Nothing that replaces or writes the model while it trains."""
        self.save_action.setEnabled(not training and (self.state.dirty or self.state.path is None))
        self.save_as_action.setEnabled(not training)
        self.revert_training_action.setEnabled(not training and self.state.previous is not None)
        for action in (self.open_action, self.revert_action, self.zero_one_action):
            action.setEnabled(not training)

    def _update_recent_menu(self):
        self.recent_menu.clear()
        recent = settings.recent_models()
        for path in recent:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda checked=False, p=path: self.open_model(p))
        if recent:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(make_action(self.window, "Clear List", self._clear_recent))
        self.recent_menu.setEnabled(bool(recent))

    def _clear_recent(self):
        settings.clear_recent_models()
        self._update_recent_menu()

    def confirm_discard(self):
        """Ask to save unsaved weights; False if the person cancelled (or the save failed)."""
        if not self.state.dirty:
            return True
        answer = dialogs.ask_save_changes(self.window, self.state.name)
        if answer == "cancel":
            return False
        if answer == "save":
            return self.save_model()
        return True

    def open_model(self, path=None):
        """Open a model file (asking for one if ``path`` is None); errors go to a dialog."""
        if not self.confirm_discard():
            return False
        if not path:
            path = dialogs.open_file(self.window, "Open Model", settings.last_folder())
            if not path:
                return False
        return self._file_action(self.state.open, path, "Cannot open model")

    def save_model(self):
        """Save to the model's own file; a shipped model is never overwritten (Save acts as Save As),
        and writing another architecture over a file asks first."""
        if self.state.save_needs_a_name:
            return self.save_model_as()
        if self.state.save_changes_the_shape and not dialogs.ask_replace_model(
            self.window, self.state.path.name, self.state.file_shape, shape_of(self.state.network)
        ):
            return False
        return self._save_to(self.state.path)

    def save_model_as(self):
        name = self.state.path.name if self.state.path and not self.state.save_needs_a_name else "model.npz"
        if self.state.path and self.state.path.suffix.lower() == ".onnx":
            name = self.state.path.with_suffix(".npz").name  # an opened ONNX model is saved as a dnngui model
        path = dialogs.save_path(
            self.window, "Save Model As", str(Path(settings.last_folder()) / name), dialogs.MODEL_FILTER, ".npz"
        )
        return bool(path) and self._save_to(path)

    def _save_to(self, path):
        if not self._file_action(self.state.save, path, "Cannot save model"):
            return False
        self.window.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def _file_action(self, act, path, failure_title):
        """Open or save ``path``, reporting failure; success goes to the recent list."""
        if not dialogs.attempt(self.window, failure_title, act, path):
            return False
        settings.remember_folder(Path(path).parent)
        settings.add_recent_model(path)
        self._update_recent_menu()
        return True

    def revert_to_previous(self):
        if self.state.previous is not None and self.confirm_discard():
            self.state.revert_to_previous()

    def open_shipped(self, task):
        if self.confirm_discard():
            self.state.open_shipped(task)
