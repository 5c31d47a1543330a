"""Every modal question the app asks, in one place (tests replace these functions)."""

from PySide6 import QtWidgets

from core.errors import DnnguiError

MODEL_FILTER = "dnngui models (*.npz);;All files (*)"


def show_error(parent, title, message):
    QtWidgets.QMessageBox.critical(parent, title, message)


def attempt(parent, failure_title, act, *args):
    """``act(*args)``; its one-line error, if any, goes to an error dialog. True if it worked."""
    try:
        act(*args)
    except DnnguiError as e:
        show_error(parent, failure_title, str(e))
        return False
    return True


def show_info(parent, title, message):
    QtWidgets.QMessageBox.information(parent, title, message)


def ask_save_changes(parent, what):
    """'save', 'discard' or 'cancel'."""
    buttons = QtWidgets.QMessageBox.StandardButton
    answer = QtWidgets.QMessageBox.question(
        parent,
        "Unsaved model",
        f"{what} has trained weights that are not saved. Save them first?",
        buttons.Save | buttons.Discard | buttons.Cancel,
        buttons.Save,
    )
    return {buttons.Save: "save", buttons.Discard: "discard"}.get(answer, "cancel")


def open_file(parent, title, folder, file_filter=MODEL_FILTER):
    """A path chosen by the person, or '' if they cancelled."""
    return QtWidgets.QFileDialog.getOpenFileName(parent, title, folder, file_filter)[0]


def save_file(parent, title, suggested, file_filter=MODEL_FILTER):
    return QtWidgets.QFileDialog.getSaveFileName(parent, title, suggested, file_filter)[0]


def open_folder(parent, title, folder):
    return QtWidgets.QFileDialog.getExistingDirectory(parent, title, folder)
