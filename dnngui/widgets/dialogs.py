"""Every modal question the app asks, in one place (tests replace these functions)."""

from pathlib import Path

from PySide6 import QtCore, QtWidgets

from dnngui.core.errors import DnnguiError, os_message

MODEL_FILTER = "dnngui models (*.npz);;ONNX models (*.onnx);;All files (*)"


def _message_box(parent, icon, title, message, buttons, default, rich=False):
    """A message box that shows ``message`` as plain text: a file named <h1>…</h1> stays a name
    (``rich``: the app's own HTML, escaped where it holds names)."""
    box = QtWidgets.QMessageBox(icon, title, message, buttons, parent)
    box.setTextFormat(QtCore.Qt.TextFormat.RichText if rich else QtCore.Qt.TextFormat.PlainText)
    box.setDefaultButton(default)
    return box.exec()


def sentence(message):
    """``message`` as a dialog's sentence: a capital first letter ("the folder … cannot be written" is a
    line of the command line's "dnngui: …"), unless it starts with a name (a file, a path, dnngui)."""
    first = message.split(" ", 1)[0]
    if not first[:1].islower() or first == "dnngui" or any(ch in first for ch in "./\\_:"):
        return message
    return message[0].upper() + message[1:]


def show_error(parent, title, message):
    ok = QtWidgets.QMessageBox.StandardButton.Ok
    _message_box(parent, QtWidgets.QMessageBox.Icon.Critical, title, sentence(message), ok, ok)


def plain_label(text=""):
    """A QLabel that never reads its text as HTML (it may hold a file's name)."""
    label = QtWidgets.QLabel(text)
    label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    return label


def attempt(parent, failure_title, act, *args):
    """``act(*args)``; its one-line error, if any, goes to an error dialog. True if it worked."""
    try:
        act(*args)
    except DnnguiError as e:
        show_error(parent, failure_title, str(e))
        return False
    except OSError as e:  # a path the system refuses: too long, a folder that cannot be searched, …
        show_error(parent, failure_title, os_message(e))
        return False
    return True


def show_info(parent, title, message, rich=False):
    ok = QtWidgets.QMessageBox.StandardButton.Ok
    _message_box(parent, QtWidgets.QMessageBox.Icon.Information, title, message, ok, ok, rich)


def _confirm(parent, title, question, yes):
    """True if the person answers ``yes`` (a StandardButton) rather than Cancel."""
    buttons = QtWidgets.QMessageBox.StandardButton
    icon = QtWidgets.QMessageBox.Icon.Question
    return _message_box(parent, icon, title, question, yes | buttons.Cancel, buttons.Cancel) == yes


def ask_stop_training(parent):
    """True if the person wants training stopped (after its current batch) so the window can close."""
    question = "Stop training after the current batch and close? The weights trained so far can be saved."
    return _confirm(parent, "Training is running", question, QtWidgets.QMessageBox.StandardButton.Close)


def ask_lose_drawings(parent, why):
    """True if the person closes anyway, losing the drawings that could not be saved (``why``)."""
    question = f"{why}\n\nClose anyway and lose them? (Cancel, then My digits ▸ Export…, keeps them in a file.)"
    return _confirm(parent, "Unsaved drawings", question, QtWidgets.QMessageBox.StandardButton.Close)


def ask_replace_model(parent, name, old_shape, new_shape):
    """True if the person agrees to write a model of another architecture over ``name``."""
    question = f"{name} holds a {old_shape} model. Replace it with this {new_shape} model?"
    return _confirm(parent, "Replace the model file?", question, QtWidgets.QMessageBox.StandardButton.Save)


def ask_save_changes(parent, what):
    """'save', 'discard' or 'cancel'."""
    buttons = QtWidgets.QMessageBox.StandardButton
    answer = _message_box(
        parent,
        QtWidgets.QMessageBox.Icon.Question,
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


def ask_replace_file(parent, path):
    """True if the person agrees to write over the file at ``path``."""
    question = f"{Path(path).name} already exists in {Path(path).parent}. Replace it?"
    return _confirm(parent, "Replace the file?", question, QtWidgets.QMessageBox.StandardButton.Save)


def save_path(parent, title, suggested, file_filter, suffix):
    """Where the person chose to save, ending in ``suffix`` (".npz"), or '' if they cancelled.

    The dialog asks before replacing the file the person named; when the suffix is
    added here, the file it names is a different one, so it is asked about here."""
    path = save_file(parent, title, suggested, file_filter)
    if not path or path.endswith(suffix):
        return path
    path += suffix
    if Path(path).exists() and not ask_replace_file(parent, path):
        return ""
    return path


def open_folder(parent, title, folder):
    return QtWidgets.QFileDialog.getExistingDirectory(parent, title, folder)
