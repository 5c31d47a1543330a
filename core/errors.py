"""The errors a person can meet, one class per door into the program.

Each carries a one-line message that says what is wrong and, where it helps,
what to do about it. The app shows the message in a dialog; the command line
prints it and exits with status 2. Nothing else should escape to a user.
"""


class DnnguiError(ValueError):
    """Base of every error whose message is meant for a person."""


class ModelError(DnnguiError):
    """A model file that cannot be read as a dnngui network."""


class DataError(DnnguiError):
    """A data file (MNIST IDX, .npz digits, personal drawings) that cannot be used."""


class HyperParameterError(DnnguiError):
    """A training setting that is out of range, refused before any work starts."""


class TrainingDivergedError(DnnguiError):
    """Training diverged: the cost became NaN or infinite, grew far past where it started, or an epoch
    read no better than guessing while the cost rose (core.trainer's _Guard)."""


def os_message(error):
    """An OSError the system raised for a path (too long, in a folder that cannot be searched, …) as one
    line for a person: the file's name, cut short if it is long, and the system's reason."""
    reason = error.strerror or str(error)
    if not error.filename:
        return reason
    name = str(error.filename).rstrip("/").rsplit("/", 1)[-1] or str(error.filename)
    if len(name) > 80:
        name = name[:40] + "…" + name[-20:]
    return f"{name}: {reason}".replace("\r", "\\r").replace("\n", "\\n")


def work_message(error):
    """Any exception that ended a piece of background work (training, a check) as one line for a person:
    dnngui's own errors as they are, a path the system refused as :func:`os_message` says it, and the
    rest named, never as a traceback."""
    if isinstance(error, DnnguiError):
        return str(error)
    if isinstance(error, MemoryError):
        return "not enough memory for this work; try a smaller network or batch"
    if isinstance(error, OSError):
        return os_message(error)
    return f"unexpected {type(error).__name__}: {error}"
