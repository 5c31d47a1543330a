"""Remembered settings (window geometry, recent models, brush width) via QSettings."""

import json
import math
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


def read_float(key, default, low, high):
    """A number setting within [low, high]; anything else (text, NaN, infinities, out of range) gives ``default``."""
    value = store().value(key, default)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) and low <= number <= high else default


def read_bytes(key):
    """A QByteArray setting (window geometry), or None if missing or of another type."""
    value = store().value(key)
    return value if isinstance(value, QtCore.QByteArray) else None


def read_text(key, default):
    value = store().value(key, default)
    return value if isinstance(value, str) and value else default


def last_folder():
    """The folder a file dialog opens in: the last one used, or home."""
    return read_text("lastFolder", str(Path.home()))


def remember_folder(folder):
    store().setValue("lastFolder", str(folder))


def recent_models():
    value = store().value("recentModels", [])
    if isinstance(value, str):  # QSettings returns a lone item as a string
        value = [value]
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str) and v][:MAX_RECENT]


def add_recent_model(path):
    path = str(Path(path).resolve())
    recent = [path, *(p for p in recent_models() if p != path)][:MAX_RECENT]
    store().setValue("recentModels", recent)
    return recent


def clear_recent_models():
    store().setValue("recentModels", [])


def read_json(key):
    """A JSON setting as Python data, or None if it is missing or not JSON."""
    value = store().value(key)
    if not isinstance(value, str):
        return None
    try:
        return json.loads(value)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python reads
        return None


def write_json(key, value):
    store().setValue(key, json.dumps(value))
