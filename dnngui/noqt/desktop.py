"""``dnngui install-desktop``: a launcher and an icon in the user's menus (freedesktop.org, no Qt)."""

import os
import shlex
import shutil
import sys
from pathlib import Path

from dnngui.core.resources import assets_dir

APP_ID = "dnngui"


def icon_path():
    """The application icon shipped with dnngui (SVG)."""
    return assets_dir() / "icons" / "dnngui.svg"


def data_home():
    """$XDG_DATA_HOME, or ~/.local/share."""
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def desktop_entry(command):
    """The text of dnngui's .desktop file, launching ``command`` (a list of arguments)."""
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.0",
            "Name=dnngui",
            "GenericName=Neural network you can draw for",
            "Comment=Draw a digit; watch a NumPy neural network read it, learn and backpropagate",
            f"Exec={shlex.join(command)}",
            f"Icon={APP_ID}",
            "Terminal=false",
            "Categories=Education;ArtificialIntelligence;",
            "Keywords=neural network;backpropagation;MNIST;digits;deep learning;",
            f"StartupWMClass={APP_ID}",
            "",
        ]
    )


def install(folder=None):
    """Write the launcher and the icon under ``folder`` (default: the user's data folder); their paths."""
    folder = Path(folder) if folder else data_home()
    entry = folder / "applications" / f"{APP_ID}.desktop"
    icon = folder / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    entry.parent.mkdir(parents=True, exist_ok=True)
    icon.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(icon_path(), icon)
    entry.write_text(desktop_entry([sys.executable, "-m", "dnngui"]), encoding="utf-8")
    return entry, icon
