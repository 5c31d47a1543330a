"""Can Qt open a window here? Said in one line before Qt tries (and aborts) if it cannot."""

import ctypes.util
import os
import sys

from dnngui import COMMANDS

HEADLESS = tuple(c for c in COMMANDS if c != "install-desktop")  # the ones that need no desktop at all

# The libraries Qt's X11 plugin loads, and the Debian/Ubuntu packages that carry them.
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-image": "libxcb-image0",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0",
    "xcb-xkb": "libxcb-xkb1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}


def display_problem(environ=None, platform=None, find_library=ctypes.util.find_library):
    """Why no window can be opened (one line), or None if Qt should manage."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux") or environ.get("QT_QPA_PLATFORM") or environ.get("WAYLAND_DISPLAY"):
        return None
    if not environ.get("DISPLAY"):
        return (
            "there is no display to open a window on (DISPLAY is not set); "
            f"the headless commands work anywhere: {', '.join('dnngui ' + c for c in HEADLESS)}"
        )
    missing = [package for lib, package in XCB_LIBRARIES.items() if find_library(lib) is None]
    if missing:
        return f"Qt needs system libraries to open a window on X11; install them: sudo apt install {' '.join(missing)}"
    return None
