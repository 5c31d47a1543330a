"""Where the bundled files live: assets/ beside core/ in a checkout, core/assets in a wheel."""

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def assets_dir():
    """The folder holding the bundled digits and the shipped models."""
    for candidate in (_HERE / "assets", _HERE.parent / "assets"):
        if (candidate / "mnist_train_10k.npz").is_file():
            return candidate
    raise FileNotFoundError("dnngui's assets folder is missing; reinstall dnngui")


def bundled_digits_path():
    return assets_dir() / "mnist_train_10k.npz"


def shipped_model_path(task):
    """The model shipped for ``task`` ("digits" or "zero-one")."""
    return assets_dir() / "models" / f"{task}.npz"


def bundled_pen_digits_path():
    """The pen-drawn digits (strokes) shipped with dnngui, made by core.unipen from the UCI file."""
    return assets_dir() / "pendigits.npz"


def bundled_unipen_path():
    """The UNIPEN pen-drawn digits (strokes) shipped with dnngui, made by core.unipen from UNIPEN 1a."""
    return assets_dir() / "unipen1a.npz"
