"""dnngui's engine: the article's deep neural network in NumPy, with no Qt.

Public names: Network, train, gradient_check, load_model, save_model, the
progress records BatchDone and EpochDone, and the error classes.
"""

from dnngui.core.errors import DataError, DnnguiError, HyperParameterError, ModelError, TrainingDivergedError
from dnngui.core.gradcheck import gradient_check
from dnngui.core.modelfile import load_model, save_model
from dnngui.core.network import Forward, Network
from dnngui.core.trainer import BatchDone, EpochDone, train

__all__ = [
    "BatchDone",
    "DataError",
    "DnnguiError",
    "EpochDone",
    "Forward",
    "HyperParameterError",
    "ModelError",
    "Network",
    "TrainingDivergedError",
    "gradient_check",
    "load_model",
    "save_model",
    "train",
]
