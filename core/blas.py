"""How many threads NumPy's BLAS (OpenBLAS) runs matrix products on.

OpenBLAS's threads keep spinning on every core for a while after each product:
with two cores and a window to keep fluid, that steals the UI thread's core, so
the window uses one. A run whose batches are prepared in a thread (core.batches:
distortions, pen digits) also trains faster with one core left to that thread:
:func:`beside_batches`, which ``dnngui train`` and ``fine-tune`` use. The
measurements are in docs/design.md.

Found the way threadpoolctl finds it: the OpenBLAS library this process has
loaded, and its ``*_set_num_threads`` entry. Where there is none (another BLAS),
nothing changes and :func:`threads` is None.
"""

import ctypes
import functools
from pathlib import Path

_PREFIXES = ("scipy_openblas", "openblas")
_SUFFIXES = ("64_", "_64_", "")


def _loaded_libraries():
    """Paths of the shared libraries this process has mapped (Linux), else none."""
    try:
        lines = Path("/proc/self/maps").read_text().splitlines()
    except OSError:
        return []
    paths = {line.split(maxsplit=5)[-1] for line in lines if ".so" in line and "/" in line}
    return sorted(path for path in paths if "openblas" in Path(path).name.lower())


def _entry(library, name):
    for prefix in _PREFIXES:
        for suffix in _SUFFIXES:
            function = getattr(library, f"{prefix}_{name}{suffix}", None)
            if function is not None:
                return function
    return None


@functools.cache
def _openblas():
    """(get, set) of the OpenBLAS NumPy uses, or None."""
    import numpy  # noqa: F401  (loads OpenBLAS, so that it is mapped)

    for path in _loaded_libraries():
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        get, set_ = _entry(library, "get_num_threads"), _entry(library, "set_num_threads")
        if get is not None and set_ is not None:
            get.restype = ctypes.c_int
            set_.argtypes = [ctypes.c_int]
            return get, set_
    return None


def threads():
    """How many threads BLAS uses now, or None if it cannot be told."""
    found = _openblas()
    return None if found is None else int(found[0]())


@functools.cache
def default_threads():
    """How many threads BLAS chose for itself (before anything here changed it)."""
    return threads()


def beside_batches():
    """Threads for BLAS while another thread prepares the batches: BLAS's own choice less one, at least one."""
    own = default_threads()
    return 1 if own is None else max(1, own - 1)


def set_threads(n):
    """Run BLAS on ``n`` threads from now on (call it between products, not during one).
    Returns False where the BLAS cannot be told."""
    found = _openblas()
    if found is None:
        return False
    default_threads()  # remember its own choice first
    found[1](max(1, int(n)))
    return True
