"""Mini-batch gradient descent as a generator of progress records.

``train`` checks its settings, then hands back a generator. Each ``next()`` runs
one batch (forward, backward, update) and yields a :class:`BatchDone`; after
the last batch of an epoch it also yields an :class:`EpochDone`. The consumer
stops training by not asking for more: the network learns only inside
``next()``, and always holds the weights after the last finished batch.

The data stay as they are given (uint8 pixels stay uint8, a quarter of the
memory); each batch is gathered and converted to [0, 1] on its own
(core.batches). With distortions or pen digits to draw, the next batches are
prepared in a thread while the network learns from this one; closing the
generator ends that thread.
"""

import contextlib
import math
from dataclasses import dataclass

import numpy as np

from dnngui.core import batches as _batches
from dnngui.core import health as _health
from dnngui.core import optimizers
from dnngui.core.errors import HyperParameterError, TrainingDivergedError

# The limits of a run, written once: core.recipe.Recipe.check and the forms of the app ask these.
MAX_EPOCHS = 10_000
MAX_LR = 100.0
MAX_WEIGHT_DECAY = 1.0
CHECKPOINT_EVERY = 20  # steps between copies of the weights kept for a diverging run
DIVERGED_GROWTH = 10.0  # a cost past this many times the first batch's (or guessing's, if more): diverged
# An epoch no better than guessing whose cost is this many times the first batch's has diverged too. A
# network that learns slowly (six sigmoid layers) also guesses, but with a calm cost near its first one.
STUCK_GROWTH = 1.5
GROWTH_EVERY = 4  # steps between looks at each layer's gradient size (and at the step that diverges)
SCHEDULES = ("constant", "cosine")


@dataclass(frozen=True)
class BatchDone:
    """One batch trained. ``epoch`` and ``step`` count from 1; ``cost`` is J on that batch."""

    epoch: int
    epochs: int
    step: int
    steps: int
    cost: float
    lr: float
    health: _health.StepHealth | None = None  # every ``health_every`` steps, if asked for


@dataclass(frozen=True)
class EpochDone:
    """One epoch trained.

    ``train_cost`` and ``train_accuracy`` are averaged over the epoch's batches as
    they were trained (no extra pass over the data); ``val_cost`` and
    ``val_accuracy`` are over every validation digit, None without any;
    ``val_by_set`` holds (name, cost, accuracy) for each validation set on its own.
    """

    epoch: int
    epochs: int
    train_cost: float
    train_accuracy: float
    val_cost: float | None
    val_accuracy: float | None
    val_by_set: tuple = ()
    health: _health.EpochHealth | None = None  # if asked for (``health_every``): on a validation batch


def labels_of(network, Y):
    """Class indices (N,) from targets Y shaped like the network's output."""
    Y = np.asarray(Y)
    if network.output.name == "sigmoid":
        return (Y[0] >= 0.5).astype(np.intp)
    return np.argmax(Y, axis=0)


def _check_whole(name, value, upper):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 1 <= value <= upper:
        raise HyperParameterError(f"{name} must be a whole number from 1 to {upper:,}, got {value!r}")


def _check_rate(name, value, low_inclusive, upper):
    ok = isinstance(value, (int, float, np.floating)) and not isinstance(value, bool) and math.isfinite(value)
    if not (ok and (value >= 0 if low_inclusive else value > 0) and value <= upper):
        bound = "from 0 to" if low_inclusive else "> 0 and at most"
        raise HyperParameterError(f"{name} must be {bound} {upper:g}, got {value!r}")


def check_hyperparameters(*, epochs, batch_size, lr, weight_decay, optimizer, schedule, max_batch):
    """Raise HyperParameterError naming the first of these settings that cannot work (the one check of
    them: core.recipe.Recipe.check and :func:`train` both ask it)."""
    if schedule not in SCHEDULES:
        raise HyperParameterError(f"schedule must be one of {', '.join(SCHEDULES)}, got {schedule!r}")
    if isinstance(optimizer, str) and optimizer not in optimizers.OPTIMIZERS:
        raise HyperParameterError(f"optimizer must be one of {', '.join(optimizers.OPTIMIZERS)}, got {optimizer!r}")
    _check_whole("epochs", epochs, MAX_EPOCHS)
    _check_whole("batch size", batch_size, max_batch)
    _check_rate("learning rate", lr, low_inclusive=False, upper=MAX_LR)
    _check_rate("weight decay", weight_decay, low_inclusive=True, upper=MAX_WEIGHT_DECAY)


def check_settings(network, X, Y, *, epochs, batch_size, lr, optimizer, weight_decay, lr_schedule):
    """Raise HyperParameterError naming the first setting that cannot work."""
    X = np.asarray(X)
    Y = np.asarray(Y)
    if X.ndim != 2 or X.shape[0] != network.sizes[0]:
        raise HyperParameterError(f"X must be ({network.sizes[0]}, N), got {X.shape}")
    if Y.shape != (network.sizes[-1], X.shape[1]):
        raise HyperParameterError(f"Y must be ({network.sizes[-1]}, {X.shape[1]}), got {Y.shape}")
    if X.shape[1] == 0:
        raise HyperParameterError("there are no training samples")
    check_hyperparameters(
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        weight_decay=weight_decay,
        optimizer=optimizer,
        schedule=lr_schedule,
        max_batch=X.shape[1],
    )


def train(
    network,
    X,
    Y,
    *,
    epochs,
    batch_size,
    lr,
    optimizer="sgd",
    seed=0,
    X_val=None,
    Y_val=None,
    val_sets=(),
    weight_decay=0.0,
    momentum=0.9,
    lr_schedule="constant",
    augment=None,
    before_epoch=None,
    health_every=None,
):
    """Train ``network`` in place; a generator of BatchDone and EpochDone records.

    X: (n_0, N), uint8 pixels or float in [0, 1]. Y: (n_L, N) one-hot (softmax)
    or 0/1 (sigmoid). The batches of each epoch are a fresh shuffle drawn from
    ``np.random.default_rng(seed)``: the same seed and data give the same run.
    optimizer: "sgd", "momentum", "adam", or an ``core.optimizers.Optimizer``
    whose state should carry on. lr_schedule: "constant", or "cosine" (lr decays
    to 0 along half a cosine over all steps). augment: optional
    ``f(rows, rng) -> rows``, rows (m, n_0) float32, applied to each batch.
    X_val, Y_val: validation data; val_sets: more of them, (name, X, Y) each,
    reported on their own in EpochDone.val_by_set.
    before_epoch: optional ``f(epoch, rows, rng) -> indices``, called before
    each epoch (from 1) with ``rows``, the (N, n_0) array batches are taken from
    (X's columns as rows, in X's dtype). It may rewrite rows in place (draw pen
    digits afresh, say) and returns the rows the epoch trains on, the same
    number every epoch. Default: every row, unchanged.

    health_every: every this many steps a BatchDone carries a core.health.StepHealth
    (gradient and weight RMS and the update ratio, per layer), and each EpochDone
    a core.health.EpochHealth on a validation batch. None: no health figures.

    Raises HyperParameterError at once for settings that cannot work, and
    TrainingDivergedError (from ``next()``) when the run diverges: the cost turns
    NaN or infinite, grows past DIVERGED_GROWTH times the first batch's (or the cost
    of guessing, ln of the number of classes, if that is more: a trained network
    starts near 0), or an epoch ends no better than guessing with a cost past
    STUCK_GROWTH times that. The
    message names the layer whose gradient grew tenfold first and suggests a
    learning rate; the weights are put back to the last checkpoint, taken every
    CHECKPOINT_EVERY steps while the cost was finite.
    """
    check_settings(
        network,
        X,
        Y,
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        optimizer=optimizer,
        weight_decay=weight_decay,
        lr_schedule=lr_schedule,
    )
    if isinstance(optimizer, str):
        optimizer = optimizers.make(optimizer, lr, weight_decay, momentum)
    sets = [*([("validation", X_val, Y_val)] if X_val is not None and Y_val is not None else []), *val_sets]
    validation = [(name, X_v, labels_of(network, Y_v)) for name, X_v, Y_v in sets if np.asarray(Y_v).shape[-1] > 0]
    if health_every is not None:
        _check_whole("health_every", health_every, MAX_EPOCHS * 1000)
    return _run(
        network,
        X,
        Y,
        epochs,
        batch_size,
        float(lr),
        optimizer,
        seed,
        validation,
        lr_schedule,
        augment,
        before_epoch,
        health_every,
    )


def _run(
    network, X, Y, epochs, batch_size, lr, optimizer, seed, validation, lr_schedule, augment, before_epoch, health_every
):
    made = _batch_stream(network, X, Y, epochs, batch_size, seed, augment, before_epoch)
    guard = _Guard(network, lr)
    health_batch = _health_batch(network, validation) if health_every else None
    with contextlib.closing(made):  # a run that ends early (diverged, stopped) ends its batches' thread too
        for batch in made:
            if batch.step == 1:
                tally = _Tally()
            done = (batch.epoch - 1) * batch.steps + batch.step - 1  # steps finished before this one
            Y_batch = batch.Y.T
            ws = network.workspace(len(batch.labels))
            with np.errstate(over="ignore", invalid="ignore"):  # a non-finite cost is caught by the guard
                network.forward_into(batch.X.T, ws)  # Z(l) = W(l)·A(l−1) + b(l), A(l) = f(Z(l))
                cost = network.output.cost(ws.Z[-1], Y_batch)  # J, the cross-entropy
            guard.after_forward(cost, ws, Y_batch, batch, done)
            tally.add(cost, network.output.predict(ws.A[-1]), batch.labels)
            optimizer.lr = scheduled_rate(lr, lr_schedule, done, epochs * batch.steps)
            watch = health_every is not None and done % health_every == 0
            with np.errstate(over="ignore", invalid="ignore"):
                network.backward_into(Y_batch, ws)  # dZ(L) = A(L) − Y, … , dW(l) and db(l)
                grad_rms = guard.growth.record(ws.grads) if watch or done % GROWTH_EVERY == 0 else None
                before = _health.weight_copies(network) if watch else None
                optimizer.step(network.params, ws.grads)  # W ← W − lr·dW (or momentum's, or Adam's, step)
            step_health = _health.step_health(network, grad_rms, before) if watch else None
            yield BatchDone(batch.epoch, epochs, batch.step, batch.steps, cost, optimizer.lr, step_health)
            if batch.step == batch.steps:
                train_cost, train_accuracy = tally.cost, tally.accuracy
                guard.after_epoch(train_cost, train_accuracy, batch.epoch)
                epoch_health = _health.epoch_health(network, *health_batch) if health_batch else None
                yield EpochDone(
                    batch.epoch, epochs, train_cost, train_accuracy, *_validate(network, validation), epoch_health
                )


def scheduled_rate(lr, schedule, done, total_steps):
    """The learning rate after ``done`` of ``total_steps`` steps: lr itself, or along half a cosine down to 0."""
    if schedule == "cosine":
        return lr * 0.5 * (1.0 + math.cos(math.pi * done / total_steps))
    return lr


def _batch_stream(network, X, Y, epochs, batch_size, seed, augment, before_epoch):
    """The run's batches (core.batches), made in a thread ahead of the network when making them is work."""
    rows = np.ascontiguousarray(np.asarray(X).T)  # (N, n_0): a batch is then a block of rows
    targets = np.ascontiguousarray(np.asarray(Y, network.dtype).T)  # (N, n_L)
    ahead = augment is not None or before_epoch is not None  # work worth doing while the network learns
    made = _batches.batches(
        rows,
        targets,
        labels_of(network, Y),
        epochs=epochs,
        batch_size=batch_size,
        dtype=network.dtype,
        rng=np.random.default_rng(seed),
        before_epoch=before_epoch,
        augment=augment,
        kept=_batches.kept_ahead() if ahead else 1,
    )
    return _batches.ahead(made) if ahead else made


class _Tally:
    """An epoch's cost and accuracy, averaged over its batches as they were trained."""

    def __init__(self):
        self.n = self.total_cost = self.correct = 0

    def add(self, cost, guesses, labels):
        m = len(labels)
        self.n += m
        self.total_cost += cost * m
        self.correct += int(np.count_nonzero(guesses == labels))

    @property
    def cost(self):
        return self.total_cost / self.n

    @property
    def accuracy(self):
        return self.correct / self.n


class _Guard:
    """The two rules that end a diverging run, and the checkpoint its weights go back to.

    A copy of the weights is kept every CHECKPOINT_EVERY steps while the cost is
    finite. A batch's cost that is not finite or past DIVERGED_GROWTH times the
    reference (the first batch's cost, or guessing's if that is more), or an
    epoch no better than guessing whose cost is past STUCK_GROWTH times it,
    puts that copy back and raises TrainingDivergedError, advising a tenth of
    the learning rate as set.
    """

    def __init__(self, network, lr):
        self.network = network
        self.lr = lr
        self.checkpoint = {k: v.copy() for k, v in network.params.items()}
        self.checkpoint_step = 0
        self.growth = _GradientGrowth(network)
        self.first_cost = self.reference = None
        self.chance = 1.0 / max(2, len(network.classes))
        # the cost of guessing: a trained network's first batch may cost 0.01, and a hard batch 0.2 is no divergence
        self.guessing = math.log(max(2, len(network.classes)))

    def after_forward(self, cost, ws, Y_batch, batch, done):
        """Raise if this batch's cost diverged; otherwise keep a checkpoint when one is due."""
        if self.first_cost is None:
            self.first_cost, self.reference = cost, max(cost, self.guessing)
        if not math.isfinite(cost) or cost > DIVERGED_GROWTH * self.reference:
            with np.errstate(over="ignore", invalid="ignore"):  # this batch's gradients: which layer blew up
                self.network.backward_into(Y_batch, ws)
                self.growth.record(ws.grads)
            self.network.set_params(self.checkpoint)
            what = f"became {cost}" if not math.isfinite(cost) else f"grew from {self.first_cost:.3g} to {cost:.3g}"
            back = done - self.checkpoint_step
            raise TrainingDivergedError(
                f"the cost {what} at epoch {batch.epoch}, step {batch.step}{self.growth.blame()}; "
                f"try a learning rate of {self.lr / 10:g} (the weights are back as they were "
                f"{back} step{'' if back == 1 else 's'} earlier)"
            )
        if done - self.checkpoint_step >= CHECKPOINT_EVERY:
            for k, v in self.network.params.items():
                np.copyto(self.checkpoint[k], v)
            self.checkpoint_step = done

    def after_epoch(self, train_cost, train_accuracy, epoch):
        """Raise if the epoch read no better than guessing while its cost rose."""
        if no_better_than_guessing(train_accuracy, self.chance) and train_cost > STUCK_GROWTH * self.reference:
            self.network.set_params(self.checkpoint)
            raise TrainingDivergedError(
                f"after epoch {epoch} it reads no better than guessing ({train_accuracy:.0%}) and the cost rose "
                f"from {self.first_cost:.3g} to {train_cost:.3g}{self.growth.blame()}; "
                f"try a learning rate of {self.lr / 10:g}"
            )


def no_better_than_guessing(accuracy, chance):
    """Whether an accuracy is within half again of ``chance`` (1 / the number of classes): the network guesses."""
    return accuracy < 1.5 * chance


class _GradientGrowth:
    """The RMS of each layer's dW, step by step, to name the layer whose gradient grew first."""

    def __init__(self, network):
        self.network = network
        self.start = None
        self.first_grown = None  # the layer (from 1) whose gradient first grew tenfold

    def record(self, grads):
        """Each layer's gradient RMS now."""
        now = _health.gradient_rms(self.network, grads)
        if self.start is None:
            self.start = now
        elif self.first_grown is None:
            # the largest growth among the layers past tenfold (a non-finite gradient counts as the largest)
            grown = [
                (g / s if math.isfinite(g) else math.inf, l)
                for l, (g, s) in enumerate(zip(now, self.start, strict=True), start=1)
                if s > 0 and not g <= DIVERGED_GROWTH * s
            ]
            if grown:
                self.first_grown = max(grown)[1]
        return now

    def blame(self):
        if self.first_grown is None:
            return ""
        return f"; the gradient of layer {self.first_grown} (dW{self.first_grown}) grew tenfold first"


def _health_batch(network, validation):
    """(X, Y) of the first validation digits (or None): what each epoch's health is measured on."""
    if not validation:
        return None
    _, X, labels = validation[0]
    X = X[:, : _health.BATCH]
    return X, network.output.one_hot(labels[: _health.BATCH], len(network.classes))


def _validate(network, validation):
    """(cost, accuracy) over every validation digit, and (name, cost, accuracy) of each set."""
    if not validation:
        return None, None, ()
    by_set = tuple((name, *network.evaluate(X, labels)) for name, X, labels in validation)
    counts = [len(labels) for _, _, labels in validation]
    cost = sum(c * n for (_, c, _), n in zip(by_set, counts, strict=True)) / sum(counts)
    accuracy = sum(a * n for (_, _, a), n in zip(by_set, counts, strict=True)) / sum(counts)
    return cost, accuracy, by_set
