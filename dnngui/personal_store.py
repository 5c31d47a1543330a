"""The person's labelled drawings, kept in their data folder and saved on every change."""

import time
from pathlib import Path

from PySide6 import QtCore

from core import personal
from core.errors import DataError

FILE_NAME = "my_digits.npz"


def data_folder():
    """Where dnngui keeps the person's files (QStandardPaths.AppDataLocation)."""
    location = QtCore.QStandardPaths.writableLocation(QtCore.QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location or Path.home() / ".dnngui")


class PersonalStore(QtCore.QObject):
    """The set, its file, and what happened to a damaged file at start-up.

    ``changed`` fires after every change. Every change is written to disk at once,
    atomically; if writing fails the samples stay in memory, ``save_error`` says
    why, and the next change tries again.
    """

    changed = QtCore.Signal()

    def __init__(self, folder=None):
        super().__init__()
        self.folder = Path(folder) if folder else data_folder()
        self.path = self.folder / FILE_NAME
        self.notice = None  # a message for the person about the file, once
        self.save_error = None
        self.digits = self._load()

    def _load(self):
        if not self.path.exists():
            return personal.empty()
        try:
            return personal.load(self.path)
        except DataError as e:
            kept = self.path.with_name(f"my_digits.damaged-{time.strftime('%Y%m%d-%H%M%S')}.npz")
            try:
                self.path.replace(kept)
                where = f"it was kept as {kept}"
            except OSError as move_error:
                where = f"it could not be moved aside ({move_error.strerror}) and is left as it was"
                self.path = self.folder / f"my_digits.{time.strftime('%Y%m%d-%H%M%S')}.npz"
            self.notice = f"Your drawings file could not be read: {e}. {where.capitalize()}; a new set was started."
            return personal.empty()

    def _replace(self, digits):
        self.digits = digits
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            personal.save(digits, self.path)
            self.save_error = None
        except (DataError, OSError) as e:
            self.save_error = f"Your drawings could not be saved ({e}); they are kept until dnngui closes."
        self.changed.emit()

    def add(self, x, label):
        self._replace(personal.add(self.digits, x, label))

    def remove(self, indices):
        if indices:
            self._replace(personal.remove(self.digits, indices))

    def import_file(self, path):
        """Add the samples of another drawings file; DataError if it is not one."""
        self._replace(personal.merge(self.digits, personal.load(path)))

    def export_file(self, path):
        personal.save(self.digits, path)

    def __len__(self):
        return len(self.digits)
