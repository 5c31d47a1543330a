"""The person's labelled drawings, kept in their data folder and saved on every change.

Two dnngui windows may label drawings at once. Each change is therefore made
to what is on disk, not to a copy held since start-up: under a lock file the
store reads the file, applies the change (add these, remove those, merge that
set), writes it back atomically and shows the result, so nothing either window
labelled is lost.
"""

import dataclasses
import time
from pathlib import Path

from PySide6 import QtCore

from dnngui.core import personal
from dnngui.core.atomic import remove_stale_temporary_files
from dnngui.core.errors import DataError

FILE_NAME = "my_digits.npz"
FALLBACK_NAME = "my_digits.recovered.npz"  # used while a damaged my_digits.npz cannot be moved aside
LOCK_WAIT_MS = 5000
STALE_LOCK_MS = 30_000  # a lock older than this was left by a crash


def data_folder():
    """Where dnngui keeps the person's files (QStandardPaths.AppDataLocation)."""
    location = QtCore.QStandardPaths.writableLocation(QtCore.QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location or Path.home() / ".dnngui")


@dataclasses.dataclass(frozen=True)
class _Change:
    """Samples to add and samples to remove (DigitSets), applied to whatever the file holds."""

    added: object
    removed: object

    def apply(self, digits):
        return personal.merge(personal.without(digits, self.removed), self.added)


class PersonalStore(QtCore.QObject):
    """The set, its file, and what happened to a damaged file at start-up.

    ``changed`` fires after every change. Every change is written to disk at once,
    atomically, merged with what other windows saved; if writing fails the
    change stays in memory, ``save_error`` says why, and the next change tries
    again with it.
    """

    changed = QtCore.Signal()

    def __init__(self, folder=None):
        super().__init__()
        self.folder = Path(folder) if folder else data_folder()
        self.path = self.folder / FILE_NAME
        self.notice = None  # a message for the person about the file, once
        self.save_error = None
        self._pending = []  # changes not yet on disk (a save failed)
        remove_stale_temporary_files(self.path)
        self.digits = self._load()

    def _load(self):
        if not self.path.exists():
            return personal.empty()
        try:
            with self.path.open("rb"):
                pass
        except OSError as e:  # intact, perhaps, but not ours to read: said as that, and the file left alone
            self.notice = (
                f"Your drawings file {self.path} cannot be read ({e.strerror or e}); it is left as it is, and "
                "new drawings are kept until dnngui closes. Give dnngui permission to read it and start again."
            )
            return personal.empty()
        try:
            return personal.load(self.path)
        except DataError as e:
            kept = self.path.with_name(f"my_digits.damaged-{time.strftime('%Y%m%d-%H%M%S')}.npz")
            try:
                self.path.replace(kept)
                where = f"it was kept as {kept}"
            except OSError as move_error:
                self.path = self.folder / FALLBACK_NAME
                where = (
                    f"it could not be moved aside ({move_error.strerror}) and is left as it was; "
                    f"your drawings go to {self.path} until it can be"
                )
            self.notice = f"Your drawings file could not be read: {e}. {where[0].upper()}{where[1:]}."
            return self._load_fallback()

    def _load_fallback(self):
        if self.path.name == FALLBACK_NAME and self.path.exists():
            try:
                return personal.load(self.path)
            except DataError:
                pass
        return personal.empty()

    def _on_disk(self):
        """What the file holds now (another window may have saved since); the set in memory if it cannot be read."""
        if not self.path.exists():
            return personal.empty()
        try:
            return personal.load(self.path)
        except DataError:
            return None

    def _change(self, added=None, removed=None):
        self._pending.append(_Change(added or personal.empty(), removed or personal.empty()))
        lock = QtCore.QLockFile(str(self.path) + ".lock")
        lock.setStaleLockTime(STALE_LOCK_MS)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if not lock.tryLock(LOCK_WAIT_MS):
                if lock.error() == QtCore.QLockFile.LockError.LockFailedError:
                    raise OSError("another dnngui window is saving them")
                raise OSError(f"the folder {self.folder} cannot be written")
            digits = self._on_disk()
            if digits is None:  # damaged since start-up: keep it, save nothing over it
                raise OSError(f"{self.path.name} cannot be read, or was damaged while dnngui ran")
            for change in self._pending:
                digits = change.apply(digits)
            personal.save(digits, self.path)
            self._pending, self.save_error = [], None
        except (DataError, OSError) as e:
            digits = self.digits
            for change in self._pending[-1:]:
                digits = change.apply(digits)
            self.save_error = f"Your drawings could not be saved ({e}); they are kept until dnngui closes."
        finally:
            lock.unlock()
        self.digits = digits
        self.changed.emit()

    @property
    def unsaved(self):
        """How many changes are kept in memory only (their save failed)."""
        return len(self._pending)

    def add(self, x, label, strokes=()):
        """Keep the network input ``x`` as ``label``, with the strokes it was drawn with (see core.personal.add).

        DataError, and nothing kept, if the drawings would no longer fit their file."""
        added = personal.add(personal.empty(), x, label, strokes)
        personal.check_size(self.digits, added)
        self._change(added=added)

    def remove(self, indices):
        """Remove the drawings at ``indices``; returns them (a set to give back to :meth:`restore`)."""
        if not indices:
            return personal.empty()
        removed = self.digits.subset(sorted(indices))
        self._change(removed=removed)
        return removed

    def restore(self, removed):
        """Put back drawings :meth:`remove` returned (undo a deletion)."""
        self._change(added=removed)

    def import_file(self, path):
        """Add the samples of another drawings file that are not here already; DataError if it is not one.

        Returns (added, already here)."""
        loaded = personal.load(path)
        added = personal.new_only(self.digits, loaded)
        personal.check_size(self.digits, added)
        self._change(added=added)
        return len(added), len(loaded) - len(added)

    def export_file(self, path):
        personal.save(self.digits, path)

    def __len__(self):
        return len(self.digits)
