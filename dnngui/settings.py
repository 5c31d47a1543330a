"""Remembered settings (window geometry, recent models, brush width) via QSettings."""

import tempfile
from pathlib import Path

from PySide6 import QtCore

MAX_RECENT = 8


def store():
    """The app's settings, as an INI file in the user's configuration folder."""
    return QtCore.QSettings(QtCore.QSettings.Format.IniFormat, QtCore.QSettings.Scope.UserScope, "dnngui", "dnngui")


def use_temporary_profile():
    """Settings and data in a fresh temporary folder (for scripts that drive the app), returned."""
    folder = Path(tempfile.mkdtemp(prefix="dnngui-profile-"))
    QtCore.QSettings.setPath(QtCore.QSettings.Format.IniFormat, QtCore.QSettings.Scope.UserScope, str(folder))
    return folder


def last_folder():
    """The folder a file dialog opens in: the last one used, or home."""
    return store().value("lastFolder", str(Path.home()))


def remember_folder(folder):
    store().setValue("lastFolder", str(folder))


def recent_models():
    value = store().value("recentModels", [])
    if isinstance(value, str):  # QSettings returns a lone item as a string
        value = [value]
    return [v for v in value if v]


def add_recent_model(path):
    path = str(Path(path).resolve())
    recent = [path, *(p for p in recent_models() if p != path)][:MAX_RECENT]
    store().setValue("recentModels", recent)
    return recent


def clear_recent_models():
    store().setValue("recentModels", [])
