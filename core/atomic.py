"""Writing a file so that a crash or a full disk never leaves it half written."""

import os
import stat
import tempfile
import time
from pathlib import Path

STALE_SECONDS = 15 * 60  # a temporary file of ours this old was left by a crash, not by a save under way


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


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _mode_for(path):
    """The permission bits the new file gets: the old file's, or what the umask allows."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def temporary_files(path):
    """The temporary files ``write_atomically`` makes beside ``path`` (one is left behind by a crash)."""
    path = Path(path)
    return path.parent.glob(f".{path.name}.*.tmp")


def _writer_gone(leftover, path):
    """Whether the process that made the temporary file ``leftover`` (its id is in the name) has ended."""
    pid = leftover.name[len(f".{Path(path).name}.") :].split(".", 1)[0]
    if not pid.isdigit() or int(pid) == os.getpid() or os.name != "posix":
        return False  # a name without an id, this process's own save, or no way to ask: the age decides
    try:
        os.kill(int(pid), 0)  # asks only whether the process exists
    except ProcessLookupError:
        return True
    except OSError:  # it exists, another user's
        return False
    return False


def remove_stale_temporary_files(path, older_than=STALE_SECONDS):
    """Delete our temporary files beside ``path`` that a crash left behind: those whose writing process
    has ended, at once, and any older than ``older_than`` (a process id may be reused); errors are ignored."""
    now = time.time()
    for leftover in temporary_files(path):
        try:
            if _writer_gone(leftover, path) or now - leftover.stat().st_mtime > older_than:
                leftover.unlink()
        except OSError:
            pass


def write_atomically(path, write, error_class):
    """Call ``write(file)`` on a temporary file beside ``path``, fsync it, rename it to ``path``.

    The new file keeps the old one's permissions (a new one gets the umask's);
    temporary files a crash left beside it earlier are removed.
    """
    path = Path(path)
    tmp_name = None
    remove_stale_temporary_files(path)
    try:
        prefix = f".{path.name}.{os.getpid()}."  # whose it is: another window's save under way is left alone
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=prefix, suffix=".tmp", delete=False) as f:
            tmp_name = f.name
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp_name, _mode_for(path))
        os.replace(tmp_name, path)
        tmp_name = None
        _sync_folder(path.parent)
    except OSError as e:
        raise error_class(f"cannot save {path.name}: {e.strerror or e}") from None
    finally:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)
