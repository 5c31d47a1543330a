"""Writing a file so that a crash or a full disk never leaves it half written."""

import os
import tempfile
from pathlib import Path


def _sync_folder(folder):
    """Make the rename itself durable (POSIX; elsewhere folders cannot be opened, and need not be)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomically(path, write, error_class):
    """Call ``write(file)`` on a temporary file beside ``path``, fsync it, rename it to ``path``."""
    path = Path(path)
    tmp_name = None
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False) as f:
            tmp_name = f.name
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
        _sync_folder(path.parent)
    except OSError as e:
        raise error_class(f"cannot save {path.name}: {e.strerror or e}") from None
    finally:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)
