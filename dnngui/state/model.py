"""The model the app is using: which network, where it came from, whether it is saved."""

from pathlib import Path

from PySide6 import QtCore

from dnngui import core
from dnngui.core import activations
from dnngui.core.resources import assets_dir, shipped_model_path
from dnngui.core.shapes import PIXELS

SHIPPED = {"digits": "shipped digits model", "zero-one": "shipped 0-vs-1 model"}


def shape_of(network):
    """What a person calls the network's architecture: '784-512-256-10, ReLU/ReLU, softmax output'."""
    acts = "/".join(map(activations.title, network.activation_names)) or "no hidden layers"
    return f"{'-'.join(map(str, network.sizes))}, {acts}, {network.output.name} output"


def is_shipped_file(path):
    """True for a model file dnngui ships (opened by its path): never written over."""
    try:
        return Path(path).resolve().parent == (assets_dir() / "models").resolve()
    except OSError:
        return False


class ModelState(QtCore.QObject):
    """The current network, its file (None for a shipped model) and its unsaved changes.

    ``changed`` fires when the network or its weights change; ``dirty_changed``
    when the unsaved state flips.
    """

    changed = QtCore.Signal()
    dirty_changed = QtCore.Signal(bool)

    def __init__(self, network=None, path=None, shipped_task="digits"):
        super().__init__()
        if network is None:
            network = core.load_model(shipped_model_path(shipped_task))
        self.network = network
        self.path = Path(path) if path else None
        self.shipped_task = None if path else shipped_task
        self.dirty = False
        self.previous = None  # (network, path, shipped_task, dirty) before the last training run
        self.file_shape = shape_of(network) if path else None  # the architecture the file on disk holds

    @property
    def name(self):
        if self.path is not None:
            return self.path.name
        if self.shipped_task is not None:
            return SHIPPED[self.shipped_task]
        return "trained model"

    def _set(self, network, path, shipped_task, dirty):
        self.network = network
        self.path = Path(path) if path else None
        self.shipped_task = shipped_task
        self._set_dirty(dirty)
        self.changed.emit()

    def _set_dirty(self, dirty):
        if dirty != self.dirty:
            self.dirty = dirty
            self.dirty_changed.emit(dirty)

    def open(self, path):
        """Load the model at ``path``; ModelError leaves the current model as it was."""
        network = core.load_model(path)
        if network.sizes[0] != PIXELS:
            raise core.ModelError(f"{Path(path).name} takes {network.sizes[0]} inputs; the canvas gives {PIXELS}")
        self.previous = None
        self.file_shape = shape_of(network)
        self._set(network, path, None, dirty=False)

    def open_shipped(self, task):
        self.previous = None
        self._set(core.load_model(shipped_model_path(task)), None, task, dirty=False)

    def save(self, path=None):
        """Save to ``path`` (default: the model's own file); ModelError if that fails."""
        path = Path(path) if path else self.path
        self.network.save(path)
        self.file_shape = shape_of(self.network)
        self.path = path
        self.shipped_task = None
        self._set_dirty(False)
        self.changed.emit()

    @property
    def save_needs_a_name(self):
        """True when Save must ask for a file: no file yet, a file dnngui ships, or one of another format
        (an opened .onnx model is saved as a dnngui .npz)."""
        return self.path is None or is_shipped_file(self.path) or self.path.suffix.lower() != ".npz"

    @property
    def save_changes_the_shape(self):
        """True when saving to the model's own file would put a different architecture there."""
        return self.path is not None and self.file_shape is not None and self.file_shape != shape_of(self.network)

    def replace(self, network):
        """A newly trained network: unsaved, and saved to the current file (if any) by Save.

        The model it replaces is kept for ``revert_to_previous``.
        """
        self.previous = (self.network, self.path, self.shipped_task, self.dirty)
        self._set(network, self.path, None, dirty=True)

    def revert_to_previous(self):
        """Back to the model from before the last training run; False if there is none."""
        if self.previous is None:
            return False
        network, path, shipped_task, dirty = self.previous
        self.previous = None
        self._set(network, path, shipped_task, dirty)
        return True
