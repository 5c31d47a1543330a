"""Every training run, kept in the data folder to be compared side by side (core.runs)."""

import itertools
from pathlib import Path

from PySide6 import QtCore

from dnngui.core import runs
from dnngui.core.errors import DataError

MAX_RUNS = 200  # the oldest go first: a list a person can still read


class RunStore(QtCore.QObject):
    """The runs in ``folder`` (one JSON file each), oldest first. ``changed`` fires when one is added or
    deleted. Files that cannot be read are left alone and counted in ``notice``."""

    changed = QtCore.Signal()

    def __init__(self, folder):
        super().__init__()
        self.folder = Path(folder)
        self.entries = []  # (path, Run)
        self.notice = None
        self.save_error = None
        damaged = 0
        for path in sorted(self.folder.glob("run-*.json"))[-MAX_RUNS:] if self.folder.is_dir() else []:
            try:
                self.entries.append((path, runs.load(path)))
            except DataError:
                damaged += 1
        if damaged:
            self.notice = f"{damaged} run file(s) in {self.folder} could not be read and are not listed."

    @property
    def runs(self):
        return [run for _, run in self.entries]

    def __len__(self):
        return len(self.entries)

    def add(self, run):
        """Keep ``run``; a failed save is said in ``save_error`` and the run is listed for this session."""
        stamp = run.started.replace(":", "").replace("-", "")
        path = next(
            self.folder / f"run-{stamp}-{i}.json"
            for i in itertools.count()
            if not (self.folder / f"run-{stamp}-{i}.json").exists()
        )
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            runs.save(run, path)
            self.save_error = None
        except (OSError, DataError) as e:
            self.save_error = f"The run could not be kept on disk: {e}"
        self.entries.append((path, run))
        while len(self.entries) > MAX_RUNS:
            self.remove([0])
        self.changed.emit()

    def remove(self, indices):
        for i in sorted(indices, reverse=True):
            path, _ = self.entries.pop(i)
            path.unlink(missing_ok=True)
        self.changed.emit()
