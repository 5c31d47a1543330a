"""A training recipe: every setting of one training run, checked before any work starts.

The defaults are the recipe of the shipped digits model (assets/README.md).

The app's training panel and ``dnngui train`` both fill in a Recipe, and
:func:`start` turns it, with the digits to learn from, into a network and the
core trainer's generator. The same recipe, data and seed give the same model.
"""

import contextlib
from dataclasses import asdict, dataclass, fields

import numpy as np

from dnngui.core import activations as _activations
from dnngui.core import corpus as _corpus
from dnngui.core import data, optimizers, pendigits, personal
from dnngui.core.augment import Augmenter
from dnngui.core.errors import HyperParameterError
from dnngui.core.network import Network
from dnngui.core.pen import Pen, Pool
from dnngui.core.shapes import PIXELS, SIDE
from dnngui.core.tasks import TASKS, task_of
from dnngui.core.trainer import BatchDone, check_hyperparameters, train

MAX_UNITS = 4096
MAX_HIDDEN_LAYERS = 8
MAX_PEN_DRAWINGS = 32
MAX_PEN_PER_WRITER = 100_000
MAX_BATCH = 100_000
MAX_SEED = 2**31 - 1  # what a seed box holds


@dataclass(frozen=True)
class Recipe:
    task: str = "digits"
    hidden: tuple = (512, 256)
    activations: tuple = ("relu",)  # one name for every hidden layer, or one per layer
    optimizer: str = "adam"
    lr: float = 0.001
    batch_size: int = 128
    epochs: int = 140
    augment: bool = True
    elastic: float = 0.0  # strength of the elastic distortion in pixels, with augment; 0 for none
    seed: int = 0
    weight_decay: float = 0.0
    schedule: str = "cosine"
    data: str = _corpus.DEFAULT  # one of core.corpus.CHOICES, or a path
    pen_drawings: int = 12  # drawings of each pen digit made with a random pen over a run; each epoch shows one
    pen_per_writer: int = 250  # each epoch shows at most this many of one writer's pen digits (0: all of them)
    pen_styles: float = 0.3  # the share of pen 0s, 1s and 7s drawn with a style stroke added (core.pen.Pen.styles)

    def layer_activations(self):
        acts = list(self.activations)
        return acts * len(self.hidden) if len(acts) == 1 else acts

    def check(self):
        """Raise HyperParameterError naming the first setting that cannot work."""
        if self.task not in TASKS:
            raise HyperParameterError(f"task must be one of {', '.join(TASKS)}, got {self.task!r}")
        if not 1 <= len(self.hidden) <= MAX_HIDDEN_LAYERS:
            raise HyperParameterError(f"give 1 to {MAX_HIDDEN_LAYERS} hidden layers, got {len(self.hidden)}")
        for n in self.hidden:
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_UNITS:
                raise HyperParameterError(f"a hidden layer must have 1 to {MAX_UNITS} units, got {n!r}")
        acts = self.layer_activations()
        if len(acts) != len(self.hidden):
            raise HyperParameterError(f"{len(self.hidden)} hidden layers need 1 or {len(self.hidden)} activations")
        for a in acts:
            if a not in _activations.ACTIVATIONS:
                known = ", ".join(_activations.ACTIVATIONS)
                raise HyperParameterError(f"unknown activation {a!r} (known: {known})")
        check_hyperparameters(
            epochs=self.epochs,
            batch_size=self.batch_size,
            lr=self.lr,
            weight_decay=self.weight_decay,
            optimizer=self.optimizer,
            schedule=self.schedule,
            max_batch=MAX_BATCH,
        )
        if not (isinstance(self.elastic, (int, float)) and 0 <= self.elastic <= 10):
            raise HyperParameterError(f"elastic distortion must be from 0 to 10 pixels, got {self.elastic!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not 0 <= self.seed <= MAX_SEED:
            raise HyperParameterError(f"seed must be a whole number from 0 to {MAX_SEED:,}, got {self.seed!r}")
        if not isinstance(self.augment, bool):
            raise HyperParameterError(f"augment must be true or false, got {self.augment!r}")
        if not isinstance(self.data, str) or not self.data.strip():
            raise HyperParameterError(f"data must be one of {', '.join(_corpus.CHOICES)} or a file, got {self.data!r}")
        drawings = self.pen_drawings
        if isinstance(drawings, bool) or not isinstance(drawings, int) or not 1 <= drawings <= MAX_PEN_DRAWINGS:
            raise HyperParameterError(
                f"pen drawings must be a whole number from 1 to {MAX_PEN_DRAWINGS}, got {drawings!r}"
            )
        if not (isinstance(self.pen_styles, (int, float)) and 0 <= self.pen_styles <= 1):
            raise HyperParameterError(f"pen styles must be a share from 0 to 1, got {self.pen_styles!r}")
        cap = self.pen_per_writer
        if isinstance(cap, bool) or not isinstance(cap, int) or not 0 <= cap <= MAX_PEN_PER_WRITER:
            raise HyperParameterError(
                f"pen digits per writer must be a whole number from 0 (all) to {MAX_PEN_PER_WRITER:,}, got {cap!r}"
            )

    def network(self):
        """A freshly initialised network for this recipe."""
        task = TASKS[self.task]
        sizes = [PIXELS, *self.hidden, task.output_units]
        return Network(sizes, self.layer_activations(), task.output, seed=self.seed, classes=task.classes)

    def command(self, out="MODEL.npz"):
        """The ``dnngui train`` command line that makes this recipe's model."""
        acts = ",".join(self.activations)
        elastic = f" --elastic {self.elastic:g}" if self.elastic else ""
        cap = f" --pen-per-writer {self.pen_per_writer}" if self.pen_per_writer else ""
        styles = f" --pen-styles {self.pen_styles:g}" if self.pen_styles else ""
        return (
            f"dnngui train --data {self.data} --pen-drawings {self.pen_drawings}{cap}{styles} --task {self.task} "
            f"--hidden {','.join(map(str, self.hidden))} --activation {acts} "
            f"--optimizer {self.optimizer} --lr {self.lr:g} --batch-size {self.batch_size} --epochs {self.epochs} "
            f"--schedule {self.schedule} --weight-decay {self.weight_decay:g} "
            f"{'--augment' if self.augment else '--no-augment'}{elastic} "
            f"--seed {self.seed} --out {out}"
        )

    def as_dict(self):
        """The settings as plain values (tuples as they are), for JSON: :meth:`from_dict` reads them back."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values):
        """The checked Recipe of settings written by :meth:`as_dict` (JSON's lists read as tuples); names it
        does not know are left out. HyperParameterError says what cannot be used."""
        if not isinstance(values, dict):
            raise HyperParameterError("they are not a set of settings")
        known = {field.name for field in fields(cls)}
        try:
            recipe = cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items() if k in known})
            recipe.check()
        except TypeError as e:  # a value check() cannot even compare
            raise HyperParameterError(str(e)) from None
        return recipe


class WriterBalance:
    """Each epoch, at most ``cap`` digits of each writer, picked afresh (all of them when cap is 0).

    Writers wrote very different amounts (one UNIPEN writer about 900 digits, most
    10–60): without a cap the few who wrote most would teach their style as
    everyone's. The number picked is the same every epoch, as the trainer asks."""

    def __init__(self, writers, cap):
        self.writers = np.asarray(writers)
        self.cap = cap
        counts = np.unique(self.writers, return_counts=True)[1]
        self.per_epoch = int(np.minimum(counts, cap).sum()) if cap else len(self.writers)

    def pick(self, items, rng):
        """The entries of ``items`` (one per digit) this epoch trains on."""
        if not self.cap:
            return items
        order = np.lexsort((rng.random(len(self.writers)), self.writers))  # each writer's digits, shuffled
        writers = self.writers[order]
        first = np.searchsorted(writers, writers)  # where each writer's run starts
        kept = order[np.arange(len(order)) - first < self.cap]
        return items[np.sort(kept)]


def task_arrays(network, task, digits):
    """(X (784, N) uint8, Y targets for ``network``) for the task's digits in ``digits``."""
    X, classes = TASKS[task].select(digits)
    return X, network.output.one_hot(classes, len(network.classes))


@dataclass(frozen=True)
class Plan:
    """The network a run will train, before any weight is made: its shape, activations, output and classes."""

    sizes: tuple
    activations: tuple
    output: str
    classes: tuple

    @classmethod
    def of(cls, network):
        """The plan of a network that exists (one to continue training)."""
        return cls(tuple(network.sizes), tuple(network.activation_names), network.output.name,
                   tuple(int(c) for c in network.classes))  # fmt: skip

    @property
    def depth(self):
        return len(self.sizes) - 1

    def holding(self, params):
        """A network of this plan holding ``params`` (taken, not copied): a run's weights, as they come."""
        return Network.with_params(self.sizes, self.activations, self.output, params, np.asarray(self.classes))


def check_start(recipe, corpus, network=None):
    """Everything :func:`start` checks, without making the network or the training arrays (a 8 × 4096
    network and 186,000 rows of digits took the window 5 s to make and throw away): a Plan, or
    HyperParameterError naming the first thing that cannot work."""
    recipe.check()
    task = TASKS[recipe.task]
    if network is None:
        plan = Plan((PIXELS, *recipe.hidden, task.output_units), tuple(recipe.layer_activations()), task.output,
                    tuple(int(c) for c in task.classes))  # fmt: skip
    elif network.sizes[0] != PIXELS or list(network.classes) != list(task.classes):
        raise HyperParameterError(f"the current model does not fit the {recipe.task} task; start fresh instead")
    else:
        plan = Plan.of(network)
    images = corpus.images if corpus.images is not None else data.empty()
    strokes = corpus.pen if corpus.pen is not None else pendigits.empty()
    n_images = int(np.isin(images.labels, task.classes).sum())
    pen_writers = strokes.writers[np.isin(strokes.labels, task.classes)]
    samples = n_images + WriterBalance(pen_writers, recipe.pen_per_writer).per_epoch
    if samples == 0:
        raise HyperParameterError(f"the data have no digits for the {recipe.task} task")
    if recipe.batch_size > samples:
        raise HyperParameterError(f"batch size {recipe.batch_size} is larger than the {samples} training samples")
    return plan


def start(recipe, corpus, network=None, health_every=None, optimizer=None):
    """Check everything (:func:`check_start`), then return (network, the core trainer's generator).

    corpus: a core.corpus.Corpus. ``network``: continue training this network
    (its shape must suit the task) instead of a fresh one. Raises
    HyperParameterError before any work. Each epoch shows every image digit
    and one drawing of every pen digit, drawn with a random pen (core.pen):
    ``recipe.pen_drawings`` drawings of each, spread over the run (core.pen.Pool).
    ``health_every``: as core.trainer.train's (the health figures of the run).
    ``optimizer``: a core.optimizers.Optimizer to use instead of a fresh one of the recipe's.
    """
    check_start(recipe, corpus, network)
    task = TASKS[recipe.task]
    if network is None:
        network = recipe.network()
    images = corpus.images if corpus.images is not None else data.empty()
    strokes = corpus.pen if corpus.pen is not None else pendigits.empty()
    images = images.subset(np.isin(images.labels, task.classes))
    strokes = strokes.subset(np.isin(strokes.labels, task.classes))
    val_sets = [(v.name, *task_arrays(network, recipe.task, v)) for v in corpus.validation]
    return network, _run(recipe, network, images, strokes, val_sets, health_every, optimizer)


def _run(recipe, network, images, strokes, val_sets, health_every, optimizer=None):
    n_images, n_pen, drawings = len(images), len(strokes), recipe.pen_drawings
    # every image digit, then room for each pen digit's drawings: drawing k of digit i is row n_images + k·n_pen + i
    labels = np.concatenate([images.labels, np.tile(strokes.labels, drawings if n_pen else 0)]).astype(np.uint8)
    rows = np.zeros((len(labels), SIDE, SIDE), np.uint8)
    rows[:n_images] = images.images
    X, Y = task_arrays(network, recipe.task, data.DigitSet(rows, labels, ""))
    pool = Pool(strokes, drawings, recipe.epochs, Pen(styles=recipe.pen_styles))
    balance = WriterBalance(strokes.writers, recipe.pen_per_writer)

    def before_epoch(epoch, rows, rng):
        """Every image digit, and one drawing of every pen digit (some of them drawn afresh), at most
        ``pen_per_writer`` of each writer's."""
        pen_rows = pool.refresh(epoch, rows[n_images:], rng)
        return np.concatenate([np.arange(n_images), n_images + balance.pick(pen_rows, rng)])

    augment = Augmenter(elastic=recipe.elastic) if recipe.augment else None
    return train(
        network,
        X,
        Y,
        epochs=recipe.epochs,
        batch_size=recipe.batch_size,
        lr=recipe.lr,
        optimizer=optimizer or recipe.optimizer,
        seed=recipe.seed,
        val_sets=val_sets,
        weight_decay=recipe.weight_decay,
        lr_schedule=recipe.schedule,
        augment=augment,
        before_epoch=before_epoch if n_pen else None,
        health_every=health_every,
    )


# Fine-tuning: quick epochs from the current weights on a person's digits mixed with others; only the output
# layer changes. Chosen with tests/bench/bench_teach.py over three seeds (docs/design.md has the figures).
FINE_TUNE_EPOCHS = 10
FINE_TUNE_LR = 0.0002
FINE_TUNE_BATCH = 64
FINE_TUNE_OUTPUT_RATE = 5.0  # the output layer learns at this multiple of FINE_TUNE_LR,
FINE_TUNE_HIDDEN_RATE = 0.0  # the hidden layers at this one (see rates())
FINE_TUNE_BASE = 3000  # digits of the training data mixed in, so the network does not forget the rest
FINE_TUNE_REDRAWS = 60  # each drawing that kept its strokes is also drawn this many times with random pens,
FINE_TUNE_REDRAWN = 1200  # but all of them at most this many times: more would crowd out the base digits
FINE_TUNE_SHARE = 0.3  # the share of the fine-tuning digits that are the person's
FINE_TUNE_KEEP = 0.5  # the share of the output layer it started from that a finished fine-tune keeps (blended)


@dataclass(frozen=True)
class FineTune:
    """A fine-tune: the model ``before``, the one it made (``after``), the person's digits and the base corpus."""

    before: object
    after: object
    mine: object
    base: object

    def figures(self):
        """(what was read, share right before, share right after) for the person's drawings and each validation set."""
        rows = [("your drawings (it trained on them)", self.mine)] + [(v.name, v) for v in self.base.validation]
        return [
            (name, personal.read_right(self.before, digits), personal.read_right(self.after, digits))
            for name, digits in rows
        ]


def fine_tune(network, mine, base=None, seed=0):
    """(a copy of ``network``, the generator that trains it on ``mine``): like :func:`start`.

    Only the output layer learns (:func:`rates`), and the run's last step ends
    by blending it with the layer it started from (:func:`blended`). mine: a DigitSet of the
    person's digits (network inputs, as the drawings file holds them); drawings
    that kept their strokes (core.personal.Drawings) are also redrawn
    FINE_TUNE_REDRAWS times (FINE_TUNE_REDRAWN in all, at most) with random
    pens, as the pen-drawn training digits are, so that twenty drawings teach a
    style rather than twenty images. base: a Corpus whose image digits keep the
    rest from being forgotten (None: the default corpus; one without image
    digits uses MNIST's), and whose validation sets are reported. Measured by
    tests/bench/bench_teach.py (mixing in pen digits of other writers measured
    no better). Raises HyperParameterError before any
    work if ``mine`` is empty or does not fit the network.
    """
    if len(mine) == 0:
        raise HyperParameterError("there are no digits of yours to fine-tune on")
    base = base if base is not None else _corpus.load()
    images = base.images if base.images is not None else data.split(data.bundled())[0]
    keep = np.random.default_rng(seed).permutation(len(images))[:FINE_TUNE_BASE]
    digits = personal.mix(images.subset(np.sort(keep)), mine, share=FINE_TUNE_SHARE)
    recipe = Recipe(
        task=task_of(network),
        hidden=tuple(network.sizes[1:-1]),
        activations=tuple(network.activation_names),
        optimizer="adam",
        lr=FINE_TUNE_LR,
        batch_size=FINE_TUNE_BATCH,
        epochs=FINE_TUNE_EPOCHS,
        schedule="constant",
        seed=seed,
        pen_drawings=1,  # each copy drawn once, with its own random pen
    )
    copies = min(FINE_TUNE_REDRAWS, FINE_TUNE_REDRAWN // len(mine))
    redrawn = personal.as_pen_digits(mine, copies) if copies else None
    corpus = _corpus.Corpus(digits.name, digits, redrawn, base.validation)
    trained = rates(network)
    tuned, run = start(recipe, corpus, network=network.copy(), optimizer=optimizers.Adam(FINE_TUNE_LR, rates=trained))
    started = {name: network.params[name].copy() for name, rate in trained.items() if rate}
    return tuned, blended(run, tuned, started, FINE_TUNE_KEEP)


def blended(run, network, started, keep):
    """The records of ``run``; right after its last step, each array of ``started`` is blended back in:
    W ← keep·W_started + (1 − keep)·W, before the last epoch's figures are taken, so they are the model's.

    For the output layer this is the mean of two models' votes, the one before and the one the
    fine-tune reached (Z(L) is linear in W(L) and b(L)), weighted by ``keep``: measured with
    tests/bench/bench_teach.py, half of each keeps MNIST and the writers it was not taught from
    (docs/design.md has the figures). A run stopped early keeps the weights it reached."""
    with contextlib.closing(run):
        for record in run:
            if isinstance(record, BatchDone) and record.epoch == record.epochs and record.step == record.steps:
                for name, W in started.items():
                    network.params[name] *= 1.0 - keep
                    network.params[name] += keep * W
            yield record


def rates(network):
    """What fine-tuning changes, as multiples of its learning rate: the output layer, FINE_TUNE_OUTPUT_RATE.

    The hidden layers keep their weights (FINE_TUNE_HIDDEN_RATE): their features
    were learned from thousands of digits, and twenty drawings teach best how
    those features vote for each digit."""
    L = network.depth
    rate = {l: FINE_TUNE_OUTPUT_RATE if l == L else FINE_TUNE_HIDDEN_RATE for l in range(1, L + 1)}
    return {f"{p}{l}": rate[l] for l in rate for p in "Wb"}


CROSS_CHECK_FOLDS = 2


def cross_check(network, mine, base=None, folds=CROSS_CHECK_FOLDS, seed=0):
    """How well fine-tuning reads drawings it did not learn from: a generator of (fold, folds),
    returning the share of ``mine`` read right by a fine-tune on the other folds.

    Each of the person's drawings sits in one of ``folds`` folds (each digit spread
    over them); a copy of ``network`` is fine-tuned on the rest and reads the fold.
    Reading the drawings a fine-tune learned from says little (it memorises them);
    this is the figure to trust. NaN when there are too few drawings to leave any out.
    """
    labels = np.asarray(mine.labels)
    fold = np.zeros(len(labels), np.int64)
    for label in np.unique(labels):
        where = np.flatnonzero(labels == label)
        fold[where] = np.random.default_rng(seed).permutation(len(where)) % folds
    right = total = 0
    for k in range(folds):
        kept, left_out = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        if len(kept) == 0 or len(left_out) == 0:
            continue
        tuned, run = fine_tune(network, mine.subset(kept), base, seed)
        for _ in run:
            pass
        guesses = personal.reading(tuned, mine.subset(left_out))
        pairs = [(g, int(y)) for g, y in zip(guesses, labels[left_out], strict=True) if g is not None]
        right += sum(g == y for g, y in pairs)
        total += len(pairs)
        yield k + 1, folds
    return right / total if total else float("nan")
