"""What a run learns from and is checked on: scanned digits, pen-drawn digits, or both.

A corpus holds digits to train on as images (MNIST's, or an imported set) and
as pen strokes (drawn afresh for training by core.pen), and the validation
sets, each reported on its own: MNIST's fixed validation split, and the
held-out pen writers of each collection drawn on the canvas as a person
would (UCI's writers, UNIPEN's writers, and one whole UNIPEN laboratory).
Pen data are always split by writer: one writer's 25 sevens look alike, so a
random share of digits would flatter the figure.
"""

import functools
import threading
from dataclasses import dataclass
from pathlib import Path

from dnngui.core import data, pen, pendigits
from dnngui.core.errors import DataError
from dnngui.core.unipen import read_unipen

CHOICES = {
    "mnist+pen": "MNIST + pen-drawn digits (UCI, UNIPEN)",
    "mnist": "MNIST digits only",
    "pen": "pen-drawn digits only (UCI, UNIPEN)",
}
DEFAULT = "mnist+pen"


@dataclass(frozen=True)
class Corpus:
    """Training digits as ``images`` (a DigitSet) and ``pen`` (PenDigits), either may be None;
    ``validation``: a tuple of DigitSets, each named for a person ("MNIST validation", …), the pen-drawn
    ones DrawnDigits (their ``strokes`` kept for replaying them); ``sources``: (name, count) of the pen
    training digits from each source, in the order ``pen`` holds them."""

    name: str
    images: data.DigitSet | None
    pen: pendigits.PenDigits | None
    validation: tuple
    sources: tuple = ()

    @property
    def pen_validation(self):
        """The validation sets drawn from held-out pen writers (DrawnDigits), in order."""
        return tuple(v for v in self.validation if isinstance(v, DrawnDigits))

    @property
    def summary(self):
        parts = []
        if self.images is not None:
            parts.append(f"{len(self.images):,} scanned")
        if self.pen is not None:
            each = (
                f" ({', '.join(f'{count:,} {name}' for name, count in self.sources)})" if len(self.sources) > 1 else ""
            )
            parts.append(f"{len(self.pen):,} pen-drawn{each}")
        held = ", ".join(f"{len(v):,} {v.name}" for v in self.validation)
        return f"{self.name}: {' + '.join(parts)} for training; {held}"


class DrawnDigits:
    """Pen digits as a DigitSet: drawn on the canvas with its default brush (core.pen.draw) when first read.

    Drawing the held-out writers takes a few tenths of a second, which the app's
    start need not wait for: the window opens, then draws them in a thread; a run
    or an evaluation that reads them first draws them itself (or waits for that thread).
    """

    def __init__(self, strokes, name):
        self.strokes, self.labels, self.name = strokes, strokes.labels, name
        self._images = None
        self._lock = threading.Lock()

    @property
    def images(self):
        with self._lock:
            if self._images is None:
                self._images = pen.draw(self.strokes)
            return self._images

    def __len__(self):
        return len(self.labels)

    def subset(self, index, name=None):
        return data.DigitSet(self.images[index], self.labels[index], name or self.name)

    def __getstate__(self):  # sent to the training process as it is: drawn there if it was not yet
        return {"strokes": self.strokes, "labels": self.labels, "name": self.name, "_images": self._images}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.Lock()


def _split_images(images):
    """(training digits, validation digits) of scanned digits: the fixed split, MNIST's named for it."""
    train, val = data.split(images)
    name = images.name
    if name.startswith("bundled"):
        name = "MNIST validation"
    elif name.startswith("MNIST train"):  # an imported folder: "MNIST train (folder)"
        name = "MNIST validation" + name.removeprefix("MNIST train")
    else:
        name = val.name
    return train, data.DigitSet(val.images, val.labels, name)


def from_parts(name, images=None, strokes=None):
    """A corpus from image digits and/or pen digits, each split into training and validation.

    Pen digits are split by writer (a fifth of the writers, at most
    VALIDATION_WRITERS, held out), so they need at least two writers.
    """
    train_images = train_pen = None
    validation = []
    if images is not None:
        train_images, val = _split_images(images)
        validation.append(val)
    if strokes is not None:
        writers = len(set(strokes.writers.tolist()))
        if writers < 2:
            raise DataError(f"{strokes.name} names fewer than two writers, so none can be held out for validation")
        train_pen, held = pendigits.split_by_writer(strokes, min(pendigits.VALIDATION_WRITERS, max(1, writers // 5)))
        validation.append(DrawnDigits(held, "held-out pen writers"))
    sources = ((strokes.name, len(train_pen)),) if train_pen is not None else ()
    return Corpus(name, train_images, train_pen, tuple(validation), sources)


@functools.cache
def _bundled_pen():
    """(training digits, held-out sets as DrawnDigits, sources) of both bundled pen collections."""
    uci, uci_held = pendigits.split_by_writer(pendigits.bundled())
    unipen, unipen_held, unipen_lab = pendigits.split_unipen(pendigits.bundled_unipen())
    held = (
        DrawnDigits(uci_held, "held-out UCI writers"),
        DrawnDigits(unipen_held, "held-out UNIPEN writers"),
        DrawnDigits(unipen_lab, "held-out UNIPEN lab"),
    )
    return pendigits.concat([uci, unipen], "pen-drawn digits"), held, (("UCI", len(uci)), ("UNIPEN", len(unipen)))


@functools.cache
def _bundled(choice):
    train_images, validation = None, []
    if "mnist" in choice:
        train_images, val = _split_images(data.bundled())
        validation.append(val)
    if "pen" not in choice:
        return Corpus(CHOICES[choice], train_images, None, tuple(validation))
    strokes, held, sources = _bundled_pen()
    return Corpus(CHOICES[choice], train_images, strokes, (*validation, *held), sources)


def load(source=None):
    """The corpus for ``source``: one of CHOICES (None: DEFAULT), or a path to a folder of
    MNIST IDX files, an .npz of digits, or a .unipen[.gz] file of pen-drawn digits."""
    source = DEFAULT if source is None else source
    if source in CHOICES:
        return _bundled(source)  # the same arrays every time: nothing writes to them
    path = Path(source)
    if path.name.endswith((".unipen", ".unipen.gz")):
        return from_parts(path.name, strokes=read_unipen(path))
    digits = data.load_digits(path)
    return from_parts(digits.name, images=digits)
