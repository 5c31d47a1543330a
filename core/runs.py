"""A training run, kept: its settings, its curves per epoch, how it ended and how long it took.

Runs are compared side by side (the app overlays any of them on its plots, named
by the settings in which they differ) and exported as CSV (``dnngui train --log``).
Each is a small JSON file; reading one is bounded and never trusts it.
"""

import csv
import datetime
import io
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

from dnngui.core.atomic import write_atomically
from dnngui.core.errors import DataError

MAX_BYTES = 4 * 1024 * 1024  # a run of 10,000 epochs is about 2 MB
COLUMNS = ("epoch", "train_cost", "train_accuracy", "val_cost", "val_accuracy")


@dataclass
class Run:
    """``settings``: a Recipe's fields; ``epochs``: one dict per epoch (COLUMNS, then each validation
    set's accuracy by name); ``outcome``: "finished", "stopped" or "diverged"."""

    started: str  # ISO 8601, local time
    settings: dict
    epochs: list = field(default_factory=list)
    outcome: str = "running"
    seconds: float = 0.0

    def add_epoch(self, record):
        """Keep a core.trainer.EpochDone."""
        row = {
            "epoch": len(self.epochs) + 1,
            "train_cost": record.train_cost,
            "train_accuracy": record.train_accuracy,
            "val_cost": record.val_cost,
            "val_accuracy": record.val_accuracy,
        }
        row.update({name: accuracy for name, _, accuracy in record.val_by_set})
        self.epochs.append(row)

    @property
    def final_accuracy(self):
        """The last epoch's validation accuracy, or None."""
        return self.epochs[-1].get("val_accuracy") if self.epochs else None

    def column(self, name):
        """One value per epoch (NaN where there is none)."""
        values = [row.get(name) for row in self.epochs]
        return [float(v) if isinstance(v, (int, float)) and math.isfinite(v) else math.nan for v in values]


def begin(settings):
    """A new Run of ``settings`` (a Recipe's as_dict()), started now: written as JSON will write them."""
    started = datetime.datetime.now().isoformat(timespec="seconds")
    return Run(started, json.loads(json.dumps(settings)))


def to_csv(run):
    """The run as CSV text: "# setting: value" lines, then a row per epoch."""
    text = io.StringIO()
    for key, value in run.settings.items():
        text.write(f"# {key}: {value}\n")
    text.write(f"# started: {run.started}\n# outcome: {run.outcome}\n# seconds: {run.seconds:.1f}\n")
    names = list(COLUMNS) + sorted({k for row in run.epochs for k in row} - set(COLUMNS))
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(names)
    for row in run.epochs:
        writer.writerow(["" if row.get(k) is None else row.get(k) for k in names])
    return text.getvalue()


def write_csv(run, path):
    write_atomically(Path(path), lambda f: f.write(to_csv(run).encode()), DataError)


def save(run, path):
    """Write ``run`` as JSON; DataError if it fails, or if the file would be larger than :func:`load`
    reads (MAX_BYTES, one cap for both: 10,000 epochs named after a long folder passed it)."""
    content = json.dumps(asdict(run)).encode()
    if len(content) > MAX_BYTES:
        raise DataError(
            f"the run takes {len(content) / 2**20:.1f} MiB, more than a run file may ({MAX_BYTES // 2**20} MiB)"
        )
    write_atomically(Path(path), lambda f: f.write(content), DataError)


def _number(value):
    """An epoch's figure as read back: a finite float, None, or (not a number) as it was; DataError if it
    is a number no float holds (a 400-digit integer)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    try:
        number = float(value)
    except OverflowError:
        raise DataError("a figure is too large") from None
    return number if math.isfinite(number) else None


def load(path):
    """A Run from a file :func:`save` wrote; DataError (one line) for anything else."""
    path = Path(path)
    try:
        size = path.stat().st_size if path.is_file() else None
        content = path.read_bytes() if size is not None and size <= MAX_BYTES else None
    except OSError as e:
        raise DataError(f"cannot read {path.name}: {e.strerror or e}") from None
    if size is None:
        raise DataError(f"{path.name} is not a run file")
    if content is None:
        raise DataError(f"{path.name} is larger than a run file can be")
    try:
        data = json.loads(content)
    except (ValueError, RecursionError):
        raise DataError(f"{path.name} is not a run file (damaged or not JSON)") from None
    try:
        run = Run(
            started=str(data["started"]),
            settings={str(k): v for k, v in dict(data["settings"]).items()},
            epochs=[{str(k): _number(v) for k, v in dict(row).items()} for row in data["epochs"]],
            outcome=str(data["outcome"]),
            seconds=float(data["seconds"]),
        )
    except DataError as e:
        raise DataError(f"{path.name} is not a run file ({e})") from None
    except (KeyError, TypeError, ValueError, OverflowError):
        raise DataError(f"{path.name} is not a run file (fields missing or of the wrong kind)") from None
    if not (math.isfinite(run.seconds) and run.seconds >= 0):
        raise DataError(f"{path.name} is not a run file (its duration is not a number of seconds)")
    return run


def differences(runs):
    """For each run, "key=value" for the settings in which the runs differ (all if there is one)."""
    if not runs:
        return []
    keys = sorted({k for run in runs for k in run.settings})
    differ = [k for k in keys if len({json.dumps(run.settings.get(k)) for run in runs}) > 1]
    shown = differ or (["hidden", "lr"] if len(runs) == 1 else [])
    labels = [", ".join(f"{k}={_short(run.settings.get(k))}" for k in shown) or "same settings" for run in runs]
    return _told_apart(labels, runs)


def _told_apart(labels, runs):
    """Labels that runs share get the time each run started (to the minute, or to the second where
    minutes clash, and a count where seconds do): every ticked run is named apart in the legend."""
    out = list(labels)
    for label in {label for label in labels if labels.count(label) > 1}:
        group = [i for i, other in enumerate(labels) if other == label]
        for width in (16, 19):
            stamps = [runs[i].started[11:width] for i in group]
            if len(set(stamps)) == len(stamps):
                break
        for n, (i, stamp) in enumerate(zip(group, stamps, strict=True), 1):
            out[i] = f"{label}, at {stamp}" + (f" ({n})" if stamps.count(stamp) > 1 else "")
    return out


def _short(value):
    if isinstance(value, (list, tuple)):
        return "-".join(str(v) for v in value)
    return f"{value:g}" if isinstance(value, float) else str(value)
