"""The Train tab's settings form: every hyper-parameter, checked as it is typed."""

import dataclasses
import itertools

from PySide6 import QtCore, QtWidgets

from dnngui.core.activations import ACTIVATIONS
from dnngui.core.errors import HyperParameterError
from dnngui.core.optimizers import OPTIMIZERS
from dnngui.core.recipe import MAX_BATCH, MAX_SEED, Recipe
from dnngui.core.tasks import TASKS
from dnngui.core.trainer import MAX_EPOCHS

ACTIVATION_TITLES = {name: activation.title for name, activation in ACTIVATIONS.items()}
OPTIMIZER_TITLES = {"sgd": "SGD", "momentum": "SGD + momentum", "adam": "Adam"}
INVALID_STYLE = "border: 1px solid #c0392b; background: #fdecea;"

# What the app offers first: a network small enough to train in seconds.
APP_DEFAULTS = Recipe(hidden=(256, 128), epochs=10, pen_drawings=8)


def _check(**fields):
    """Recipe.check, the one rulebook, on these fields (the others at their defaults)."""
    dataclasses.replace(Recipe(), **fields).check()


def parse_hidden(text):
    """Layer sizes from "256, 128"; HyperParameterError with a message otherwise."""
    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    if not text.strip() or any(not p for p in parts):
        raise HyperParameterError("give hidden layer sizes like 256, 128")
    try:
        sizes = tuple(int(p) for p in parts)
    except ValueError:
        raise HyperParameterError(f"hidden layer sizes must be whole numbers, got {text.strip()!r}") from None
    _check(hidden=sizes, activations=("relu",))
    return sizes


def parse_rate(text):
    try:
        value = float(text)
    except ValueError:
        raise HyperParameterError(f"learning rate must be a number, got {text.strip()!r}") from None
    _check(lr=value)
    return value


class TrainingForm(QtWidgets.QWidget):
    """The hyper-parameters. ``validity_changed(bool)`` fires as fields become valid or not;
    ``recipe()`` gives the checked Recipe (or raises HyperParameterError)."""

    validity_changed = QtCore.Signal(bool)

    def __init__(self, recipe=APP_DEFAULTS, parent=None):
        super().__init__(parent)
        self.task = QtWidgets.QComboBox()
        for name, task in TASKS.items():
            self.task.addItem(task.title, name)
        self.task.setToolTip(
            "What the network learns to tell apart: all ten digits (a softmax over 10 outputs) or, as in the "
            "article, 0 from 1 (one sigmoid output and binary cross-entropy)."
        )
        self.hidden = QtWidgets.QLineEdit()
        self.hidden.setObjectName("hiddenEdit")
        self.hidden.setToolTip(
            "Units in each hidden layer, input side first (e.g. 256, 128): more units and layers can learn finer "
            "features, but train slower and can memorise the training digits."
        )
        self.activation_row = QtWidgets.QHBoxLayout()
        self.activations = []
        self.optimizer = QtWidgets.QComboBox()
        for name in OPTIMIZERS:
            self.optimizer.addItem(OPTIMIZER_TITLES[name], name)
        self.optimizer.setToolTip(
            "How each gradient moves the weights: SGD steps straight down it; momentum keeps going in the "
            "direction of the last steps; Adam scales each weight's step by its own gradients' history."
        )
        self.lr = QtWidgets.QLineEdit()
        self.lr.setObjectName("lrEdit")
        self.lr.setToolTip(
            "α in W ← W − α·dW, how far each step moves the weights: too small learns slowly, too large makes "
            "the cost jump and explode (Adam: about 0.001; SGD: about 0.1)."
        )
        self.batch = QtWidgets.QSpinBox()
        self.batch.setRange(1, MAX_BATCH)
        self.batch.setToolTip(
            "m, the digits averaged in each step's gradient: small batches give many noisy steps an epoch, "
            "large ones fewer, smoother steps."
        )
        self.epochs = QtWidgets.QSpinBox()
        self.epochs.setRange(1, MAX_EPOCHS)
        self.epochs.setToolTip(
            "Passes over the training digits: more passes fit them better, until the network starts to memorise "
            "them and the validation accuracy stops rising."
        )
        self.augment = QtWidgets.QCheckBox("distort digits at random")
        self.augment.setToolTip(
            "Distort every batch at random (shift, rotation, scale, slant, stroke width): the network must learn "
            "the digit rather than its exact pixels, so it reads your drawings better."
        )
        self.seed = QtWidgets.QSpinBox()
        self.seed.setRange(0, MAX_SEED)
        self.seed.setToolTip(
            "Seeds the initial weights, the order of the batches and the random pens: the same seed repeats a run "
            "exactly, another shows how much a result owes to chance."
        )
        self.fresh = QtWidgets.QRadioButton("start fresh")
        self.fresh.setToolTip("New random weights for the architecture above")
        self.continue_ = QtWidgets.QRadioButton("continue the model")
        self.continue_.setToolTip("Keep training the model in use, the one on the status bar (its own architecture)")
        self.fresh.setChecked(True)
        self.error = QtWidgets.QLabel()
        self.error.setObjectName("formError")
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)

        start = QtWidgets.QHBoxLayout()
        start.addWidget(self.fresh)
        start.addWidget(self.continue_)
        form = QtWidgets.QFormLayout(self)
        form.addRow("Task", self.task)
        form.addRow("Hidden layers", self.hidden)
        form.addRow("Activations", self.activation_row)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Learning rate", self.lr)
        form.addRow("Batch size", self.batch)
        form.addRow("Epochs", self.epochs)
        form.addRow("Augmentation", self.augment)
        form.addRow("Seed", self.seed)
        form.addRow("Weights", start)
        form.addRow(self.error)

        self.set_recipe(recipe)
        self.hidden.textChanged.connect(self._on_hidden_changed)
        self.lr.textChanged.connect(self._check)
        self.continue_.toggled.connect(self._on_continue_toggled)
        self._valid = None
        self._check()

    def set_recipe(self, recipe):
        self.task.setCurrentIndex(self.task.findData(recipe.task))
        self.hidden.setText(", ".join(map(str, recipe.hidden)))
        self._make_activation_boxes(len(recipe.hidden), recipe.layer_activations())
        self.optimizer.setCurrentIndex(self.optimizer.findData(recipe.optimizer))
        self.lr.setText(f"{recipe.lr:g}")
        self.batch.setValue(recipe.batch_size)
        self.epochs.setValue(recipe.epochs)
        self.augment.setChecked(recipe.augment)
        self.seed.setValue(recipe.seed)

    def _make_activation_boxes(self, count, names):
        while len(self.activations) > count:
            box = self.activations.pop()
            self.activation_row.removeWidget(box)
            box.deleteLater()
        while len(self.activations) < count:
            box = QtWidgets.QComboBox()
            for name in ACTIVATIONS:
                box.addItem(ACTIVATION_TITLES[name], name)
            box.setToolTip(
                f"f in A = f(Z) for hidden layer {len(self.activations) + 1}: ReLU learns fast; sigmoid and tanh "
                "saturate, so in deep networks their gradients vanish."
            )
            box.setMinimumContentsLength(len("leaky ReLU"))  # six boxes in a row showed "sig"
            box.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setCurrentIndex(box.findData(self.activations[-1].currentData() if self.activations else "relu"))
            self.activations.append(box)
            self.activation_row.addWidget(box)
        for box, name in zip(self.activations, names, strict=False):
            box.setCurrentIndex(box.findData(name))
        chain = [self.hidden, *self.activations, self.optimizer]  # Tab goes through them in the form's order
        for first, second in itertools.pairwise(chain):
            QtWidgets.QWidget.setTabOrder(first, second)

    def _on_hidden_changed(self, text):
        try:
            sizes = parse_hidden(text)
        except HyperParameterError:
            pass
        else:
            self._make_activation_boxes(len(sizes), [b.currentData() for b in self.activations])
        self._check()

    def _on_continue_toggled(self, continuing):
        for widget in (self.task, self.hidden, *self.activations):
            widget.setEnabled(not continuing)
        self._check()

    def _check(self):
        problems = []
        for field, parse in ((self.hidden, parse_hidden), (self.lr, parse_rate)):
            try:
                parse(field.text())
            except HyperParameterError as e:
                problems.append(str(e))
                field.setStyleSheet(INVALID_STYLE)
                field.setToolTip(str(e))
            else:
                field.setStyleSheet("")
        self.error.setText("; ".join(problems))
        valid = not problems
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)

    @property
    def is_valid(self):
        return bool(self._valid)

    def recipe(self):
        """The checked Recipe for these settings."""
        recipe = Recipe(
            task=self.task.currentData(),
            hidden=parse_hidden(self.hidden.text()),
            activations=tuple(b.currentData() for b in self.activations),
            optimizer=self.optimizer.currentData(),
            lr=parse_rate(self.lr.text()),
            batch_size=self.batch.value(),
            epochs=self.epochs.value(),
            augment=self.augment.isChecked(),
            seed=self.seed.value(),
        )
        recipe.check()
        return recipe

    @property
    def continuing(self):
        return self.continue_.isChecked()
