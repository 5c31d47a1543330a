"""The ``dnngui`` sub-commands (``dnngui.COMMANDS``). No Qt is imported here.

Bad arguments and bad files end with status 2 and one line on stderr.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

from dnngui import COMMANDS, __version__, core
from dnngui.core import blas, personal
from dnngui.core import corpus as _corpus
from dnngui.core import data as _data
from dnngui.core import export as _export
from dnngui.core import onnxfile as _onnxfile
from dnngui.core import pen as _pen
from dnngui.core import recipe as _recipe
from dnngui.core import runs as _runs
from dnngui.core.activations import ACTIVATIONS
from dnngui.core.errors import os_message
from dnngui.core.evaluation import confusion_matrix, predict_digits
from dnngui.core.optimizers import OPTIMIZERS
from dnngui.core.resources import shipped_model_path
from dnngui.core.shapes import PIXELS
from dnngui.core.tasks import TASKS, network_arrays
from dnngui.core.trainer import SCHEDULES
from dnngui.core.unipen import read_unipen
from dnngui.noqt import desktop


class UsageError(Exception):
    """A command-line mistake: reported in one line, exit status 2."""


class _DefaultsHelp(argparse.HelpFormatter):
    """Each setting's default once, as it is typed (512,256, not (512, 256)); none for a required option
    or one whose help already says what happens without it."""

    def _get_help_string(self, action):
        text = action.help or ""
        default = action.default
        if action.required or default in (None, argparse.SUPPRESS) or "default" in text:
            return text
        if isinstance(default, bool):
            shown = "on" if default else "off"
        else:
            shown = ",".join(map(str, default)) if isinstance(default, tuple) else str(default)
        return f"{text} (default: {shown.replace('%', '%%')})"


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def _int_list(text):
    try:
        values = tuple(int(v) for v in text.replace(" ", "").split(",") if v)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole numbers separated by commas, got {text!r}") from None
    if not values:
        raise argparse.ArgumentTypeError("give at least one hidden layer size")
    return values


def _name_list(text):
    return tuple(v for v in text.replace(" ", "").split(",") if v)


def build_parser():
    defaults = _recipe.Recipe()
    parser = _Parser(
        prog="dnngui",
        description="Draw digits and watch a NumPy neural network learn them. With no command, dnngui opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"dnngui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="{" + ",".join(COMMANDS) + "}")

    train = sub.add_parser(
        "train",
        help="train a model and save it",
        description="Train a model and save it. The defaults are the recipe of the shipped digits model (about "
        "three minutes on two cores); the app's Train tab starts from a smaller, 10-epoch recipe that "
        "trains in seconds, so that you can watch a whole run.",
        formatter_class=_DefaultsHelp,
    )
    train.add_argument(
        "--data",
        default=defaults.data,
        help=f"{', '.join(_corpus.CHOICES)} (the bundled digits), a folder of MNIST IDX files, an .npz of digits "
        "or a .unipen[.gz] file of pen-drawn digits",
    )
    train.add_argument(
        "--pen-drawings",
        type=int,
        default=defaults.pen_drawings,
        help="drawings of each pen digit made with a random pen; each epoch shows one",
    )
    train.add_argument(
        "--pen-per-writer",
        type=int,
        default=defaults.pen_per_writer,
        help="each epoch shows at most this many of one writer's pen digits, so that no writer dominates (0: all)",
    )
    train.add_argument(
        "--pen-styles",
        type=float,
        default=defaults.pen_styles,
        help="the share of pen-drawn 0s, 1s and 7s drawn with a stroke of a style few writers wrote added "
        "(a slashed zero, a flag or base on a one, a crossed seven)",
    )
    train.add_argument("--task", choices=list(TASKS), default=defaults.task, help="0–9 digits, or the article's 0 vs 1")
    train.add_argument("--hidden", type=_int_list, default=defaults.hidden, help="hidden layer sizes, e.g. 256,128")
    train.add_argument(
        "--activation",
        type=_name_list,
        default=defaults.activations,
        help=f"one for all hidden layers or one per layer ({', '.join(ACTIVATIONS)})",
    )
    train.add_argument(
        "--optimizer", choices=OPTIMIZERS, default=defaults.optimizer, help="how gradients move the weights"
    )
    train.add_argument("--lr", type=float, default=defaults.lr, help="learning rate")
    train.add_argument("--batch-size", type=int, default=defaults.batch_size, help="m, the digits in each mini-batch")
    train.add_argument("--epochs", type=int, default=defaults.epochs, help="passes over the training digits")
    train.add_argument("--schedule", choices=SCHEDULES, default=defaults.schedule, help="learning-rate schedule")
    train.add_argument("--weight-decay", type=float, default=defaults.weight_decay, help="L2 weight decay")
    train.add_argument(
        "--augment",
        action=argparse.BooleanOptionalAction,
        default=defaults.augment,
        help="distort each batch at random (shift, rotation, scale, shear, stroke width)",
    )
    train.add_argument(
        "--elastic", type=float, default=defaults.elastic, help="elastic distortion in pixels with --augment (0: none)"
    )
    train.add_argument("--seed", type=int, default=defaults.seed, help="seeds the weights, batches and pens")
    train.add_argument("--out", required=True, help="where to save the model (.npz)")
    train.add_argument("--log", help="also write the run as CSV: its settings, then each epoch's costs and accuracies")

    evaluate = sub.add_parser(
        "evaluate",
        help="accuracy and confusion matrix of a model",
        formatter_class=_DefaultsHelp,
    )
    evaluate.add_argument("--model", required=True)
    source = evaluate.add_mutually_exclusive_group()
    source.add_argument(
        "--data",
        help=f"{', '.join(_corpus.CHOICES)}, a folder of MNIST IDX files (its t10k set if present), an .npz, "
        "or a .unipen[.gz] file (every digit drawn on the canvas) (default: the validation sets of mnist+pen)",
    )
    source.add_argument("--images", help="an MNIST images IDX file (with --labels)")
    evaluate.add_argument("--labels", help="an MNIST labels IDX file (with --images)")

    check = sub.add_parser(
        "gradcheck",
        help="backprop against finite differences, per parameter array",
        formatter_class=_DefaultsHelp,
    )
    check.add_argument("--model", help="a model file (default: the shipped digits model)")
    check.add_argument("--entries", type=int, default=40, help="entries checked per array")
    tune = sub.add_parser(
        "fine-tune",
        help="teach a model your digits: its output layer retrained on them, mixed with the training digits",
        description="Fine-tune a model on your labelled drawings (the drawings file the app keeps, or one it "
        "exported), mixed with digits of the default training data so that the rest is not forgotten: its "
        "output layer learns how the hidden layers' features vote for your digits, the hidden layers stay as "
        "they are. The same fine-tune as the app's My digits tab.",
        formatter_class=_DefaultsHelp,
    )
    tune.add_argument("--model", required=True, help="the model to start from (.npz)")
    tune.add_argument(
        "--mine",
        required=True,
        help="your drawings: my_digits.npz in the folder the My digits tab names, or a file it exported",
    )
    tune.add_argument("--seed", type=int, default=0, help="seeds the mix and the batches")
    tune.add_argument("--out", required=True, help="where to save the fine-tuned model (.npz)")
    export = sub.add_parser(
        "export",
        help="write a model as a standalone NumPy script (the article's equations) and its weights",
        description="Write the model as one readable Python file that needs only NumPy, with the article's "
        "names and equations for its shape, beside its weights (OUT.weights.npz) and, with --digits, the bundled "
        "MNIST digits (OUT.digits.npz). `python OUT.py` reads the validation digits with the weights; "
        "`python OUT.py --train` trains a fresh network with the model's recipe.",
    )
    export.add_argument("--model", required=True, help="the model to export (.npz)")
    export.add_argument("--script", help="the Python file to write (.py)")
    export.add_argument("--onnx", help='the ONNX file to write (.onnx; needs pip install "dnngui[onnx]")')
    export.add_argument("--digits", action="store_true", help="also write the MNIST digits the script reads")
    desktop = sub.add_parser(
        "install-desktop",
        help="add dnngui to your desktop's application menu (Linux)",
        description="Write a .desktop launcher and the icon into your data folder ($XDG_DATA_HOME or "
        "~/.local/share), so that dnngui appears in your application menu.",
    )
    desktop.add_argument("--folder", help="the data folder to write into (default: $XDG_DATA_HOME or ~/.local/share)")
    return parser


class ProgressBar:
    """One self-rewriting line on a terminal; one line per epoch otherwise."""

    def __init__(self, stream, total_steps):
        self.stream = stream
        self.total = total_steps
        self.done = 0
        self.start = time.monotonic()
        self.last_draw = 0.0
        self.tty = stream.isatty()

    def batch(self, record):
        self.done += 1
        now = time.monotonic()
        if self.tty and (now - self.last_draw > 0.1 or self.done == self.total):
            self.last_draw = now
            width = 30
            filled = int(width * self.done / self.total)
            elapsed = now - self.start
            eta = elapsed / self.done * (self.total - self.done)
            self.stream.write(
                f"\repoch {record.epoch}/{record.epochs} [{'#' * filled}{'.' * (width - filled)}] "
                f"{self.done / self.total:4.0%} cost {record.cost:.4f} ETA {_clock(eta)}  "
            )
            self.stream.flush()

    def epoch(self, record):
        val = ""
        if record.val_accuracy is not None:
            val = f", validation cost {record.val_cost:.4f} acc {record.val_accuracy:.4f}"
            if len(record.val_by_set) > 1:
                val += " (" + ", ".join(f"{name} {acc:.4f}" for name, _, acc in record.val_by_set) + ")"
        line = f"epoch {record.epoch}/{record.epochs}: train cost {record.train_cost:.4f}{val}"
        self.stream.write(("\r" + line + " " * 20 + "\n") if self.tty else line + "\n")
        self.stream.flush()


def _clock(seconds):
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


def train_threads(recipe, corpus):
    """BLAS threads for ``recipe`` trained here: one core left to the thread preparing its batches, if it has
    one (distortions or pen digits: core.batches), else BLAS's own choice."""
    if recipe.augment or corpus.pen is not None:
        return blas.beside_batches()
    return blas.default_threads() or 1


def cmd_train(args, out, err):
    recipe = _recipe.Recipe(
        task=args.task,
        hidden=args.hidden,
        activations=args.activation,
        optimizer=args.optimizer,
        lr=args.lr,
        batch_size=args.batch_size,
        epochs=args.epochs,
        augment=args.augment,
        elastic=args.elastic,
        seed=args.seed,
        weight_decay=args.weight_decay,
        schedule=args.schedule,
        data=args.data,
        pen_drawings=args.pen_drawings,
        pen_per_writer=args.pen_per_writer,
        pen_styles=args.pen_styles,
    )
    recipe.check()
    out_path = _check_out(args.out)
    log_path = _check_out(args.log, "--log") if args.log is not None else None
    corpus = _corpus.load(args.data)
    blas.set_threads(train_threads(recipe, corpus))
    started = time.monotonic()
    network, run = _recipe.start(recipe, corpus)
    log = _runs.begin(recipe.as_dict())
    try:
        last = _run_with_progress(run, err, log.add_epoch)
        log.outcome = "finished"
    except core.TrainingDivergedError:
        log.outcome = "diverged"
        raise
    finally:
        log.seconds = time.monotonic() - started
        if log_path is not None and log.outcome == "diverged":
            _runs.write_csv(log, log_path)
    seconds = time.monotonic() - started
    network.save(out_path, description=recipe.command(out_path.name))  # the model first: it took the time
    out.write(f"saved {out_path} after {seconds:.1f} s\n")
    _write_validation(last, out)
    if log_path is not None:
        try:
            _runs.write_csv(log, log_path)
        except (OSError, core.DnnguiError) as e:
            raise UsageError(
                f"the model is saved, but the log could not be written to {log_path}: {_reason(e)}"
            ) from None
    return 0


MAX_ENTRIES = 10_000  # gradcheck's entries per array: each costs two forward passes


def _check_out(text, option="--out"):
    """The path ``option`` names to write to, checked before any work: a new file or a regular, writable one in a
    writable folder, never a device, a FIFO, a link or one of the shipped model files."""
    out_path = Path(text)
    if not text.strip():
        raise UsageError(f"{option} needs a file name to save to")
    if out_path.is_symlink() or (out_path.exists() and not out_path.is_file()):
        if out_path.is_dir():
            raise UsageError(
                f"cannot save to {out_path}: it is a folder; name a file, such as {out_path / 'model.npz'}"
            )
        raise UsageError(f"cannot save to {out_path}: it is not a regular file (dnngui writes only files or new paths)")
    folder = out_path.parent
    if not folder.is_dir():
        raise UsageError(f"cannot save to {out_path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK) or (out_path.exists() and not os.access(out_path, os.W_OK)):
        raise UsageError(f"cannot save to {out_path}: permission denied")
    if out_path.exists() and out_path.resolve() in {shipped_model_path(t).resolve() for t in ("digits", "zero-one")}:
        raise UsageError(f"cannot save to {out_path}: it is a model shipped with dnngui; name another file")
    return out_path


def _run_with_progress(run, err, on_epoch=None):
    """Consume a run, drawing its progress on ``err``; the last EpochDone. ``on_epoch(record)``: each epoch."""
    last = bar = None
    for record in run:
        if isinstance(record, core.BatchDone):
            bar = bar or ProgressBar(err, record.epochs * record.steps)
            bar.batch(record)
        else:
            bar.epoch(record)
            last = record
            if on_epoch is not None:
                on_epoch(record)
    return last


def _write_validation(last, out):
    for name, _, accuracy in last.val_by_set:
        out.write(f"validation accuracy ({name}): {accuracy:.4f}\n")
    if last.val_accuracy is None:
        out.write("validation accuracy: none (the data are too few to hold any out)\n")
    else:
        out.write(f"validation accuracy: {last.val_accuracy:.4f}\n")


def _evaluation_sets(args):
    """The digit sets to evaluate on, each reported on its own."""
    if args.images or args.labels:
        return [_data.read_idx_pair(args.images, args.labels)]
    if args.data is None or args.data in _corpus.CHOICES:
        return list(_corpus.load(args.data).validation)
    source = Path(args.data)
    if source.name.endswith((".unipen", ".unipen.gz")):
        strokes = read_unipen(source)
        return [_data.DigitSet(_pen.draw(strokes), strokes.labels, f"{source.name} (drawn on the canvas)")]
    if source.is_dir():  # its test set if it has one (a damaged one is an error, not a reason to use another)
        return [_data.read_mnist_folder(source, "t10k" if _data.has_mnist_set(source, "t10k") else "train")]
    return [_data.read_digits_npz(source)]


def format_confusion(counts, classes):
    width = max(5, len(str(counts.max())) + 1)
    head = "true\\pred" + "".join(f"{c:>{width}}" for c in classes)
    rows = [f"{c:>9}" + "".join(f"{n:>{width}}" for n in row) for c, row in zip(classes, counts, strict=True)]
    return "\n".join([head, *rows])


def cmd_evaluate(args, out, err):
    if bool(args.images) != bool(args.labels):
        raise UsageError("--images and --labels go together")
    network = core.load_model(args.model)
    if network.sizes[0] != PIXELS:
        raise UsageError(f"{Path(args.model).name} takes {network.sizes[0]} inputs; digits have {PIXELS}")
    sets = _evaluation_sets(args)
    total = np.zeros((len(network.classes), len(network.classes)), np.int64)
    for digits in sets:
        true_idx, pred_idx, _ = predict_digits(network, digits)
        if true_idx.size == 0:
            continue
        counts = confusion_matrix(true_idx, pred_idx, len(network.classes))
        out.write(f"{digits.name}: {true_idx.size} digits\n")
        out.write(format_confusion(counts, network.classes.tolist()) + "\n")
        if len(sets) > 1:
            out.write(f"accuracy ({digits.name}): {np.trace(counts) / counts.sum():.4f}\n")
        per_digit = np.diag(counts) / np.maximum(counts.sum(axis=1), 1)
        out.write(
            f"per digit ({digits.name}): "
            + " ".join(f"{c}:{a:.3f}" for c, a in zip(network.classes.tolist(), per_digit, strict=True))
            + "\n"
        )
        total += counts
    if total.sum() == 0:
        raise UsageError(f"the data have no digits of the model's classes {network.classes.tolist()}")
    out.write(f"accuracy: {np.trace(total) / total.sum():.4f}\n")
    return 0


def cmd_gradcheck(args, out, err):
    path = args.model or shipped_model_path("digits")
    network = core.load_model(path)
    if network.sizes[0] != PIXELS:
        raise UsageError(f"{Path(path).name} takes {network.sizes[0]} inputs; digits have {PIXELS}")
    if not 1 <= args.entries <= MAX_ENTRIES:
        raise UsageError(f"--entries must be from 1 to {MAX_ENTRIES:,}")
    val = _data.split(_data.bundled())[1]
    X, Y = network_arrays(network, val, limit=core.gradcheck.samples_for(network, 64))
    if X.shape[1] == 0:
        raise UsageError(f"the validation digits hold none of the model's classes {network.classes.tolist()}")
    core.gradcheck.check_computable(network, X, Y)
    errors = core.gradient_check(network, X, Y, max_entries=args.entries)
    out.write(f"relative error of backprop against finite differences ({Path(path).name}, {X.shape[1]} digits)\n")
    for name, error in errors.items():
        verdict = "ok" if error < 1e-6 else "CHECK"
        out.write(f"{name:>4} {network.params[name].shape!s:>12}  {error:.2e}  {verdict}\n")
    return 0


def cmd_fine_tune(args, out, err):
    if args.seed < 0:
        raise UsageError(f"--seed must be a whole number ≥ 0, got {args.seed}")
    out_path = _check_out(args.out)
    network = core.load_model(args.model)
    if network.sizes[0] != PIXELS:
        raise UsageError(f"{Path(args.model).name} takes {network.sizes[0]} inputs; digits have {PIXELS}")
    mine = personal.load(args.mine)
    blas.set_threads(blas.beside_batches())  # distorted and redrawn digits are prepared in a thread
    started = time.monotonic()
    base = _corpus.load()
    before = network
    network, run = _recipe.fine_tune(before, mine, base=base, seed=args.seed)
    _run_with_progress(run, err)
    network.save(out_path, description=f"{network.description} then dnngui fine-tune on {Path(args.mine).name}")
    out.write(f"saved {out_path} after {time.monotonic() - started:.1f} s\n")
    # what it gained on the drawings and what it cost the rest, as My digits shows it
    for name, old, new in _recipe.FineTune(before, network, mine, base).figures():
        out.write(f"{name}: {_share(old)} before, {_share(new)} after\n")
    return 0


def _share(share):
    return "none of its classes" if share != share else f"{share:.4f}"  # NaN: nothing it could read


def cmd_export(args, out, err):
    if not args.script and not args.onnx:
        raise UsageError("name what to write: --script net.py, --onnx net.onnx, or both")
    if args.script and not args.script.endswith(".py"):
        raise UsageError(f"--script names a Python file ending in .py, not {args.script}")
    if args.onnx and not args.onnx.endswith(".onnx"):
        raise UsageError(f"--onnx names a file ending in .onnx, not {args.onnx}")
    script = _check_out(args.script, "--script") if args.script else None
    graph = _check_out(args.onnx, "--onnx") if args.onnx else None
    network = core.load_model(args.model)
    if network.sizes[0] != PIXELS:
        raise UsageError(f"{Path(args.model).name} takes {network.sizes[0]} inputs; digits have {PIXELS}")
    if script is not None:
        for path in _export.write_script(network, script, Path(args.model).name, with_digits=args.digits):
            out.write(f"wrote {path}\n")
    if graph is not None:
        _onnxfile.save_onnx(network, graph)
        out.write(
            f"wrote {graph} (ONNX opset {_onnxfile.OPSET}: input {_onnxfile.INPUT!r} (m, 784), "
            f"output {_onnxfile.OUTPUT!r})\n"
        )
    return 0


def cmd_install_desktop(args, out, err):
    try:
        entry, icon = desktop.install(args.folder)
    except OSError as e:
        raise UsageError(f"cannot install the launcher: {e.strerror or e}") from None
    out.write(f"wrote {entry}\nwrote {icon}\n")
    return 0


def _reason(error):
    """An OSError (or a DnnguiError) as the end of one line."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error)


def _one_line(text):
    return text.replace("\r", "\\r").replace("\n", "\\n")


def main(argv, out=sys.stdout, err=sys.stderr):
    """Run a sub-command; return the exit status."""
    for stream in (out, err):  # a file name that is not UTF-8 is written escaped, never a traceback
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            raise UsageError(f"choose a command: {', '.join(COMMANDS)} (or none at all, to open the app)")
        handlers = {
            "train": cmd_train,
            "evaluate": cmd_evaluate,
            "gradcheck": cmd_gradcheck,
            "fine-tune": cmd_fine_tune,
            "export": cmd_export,
            "install-desktop": cmd_install_desktop,
        }
        handler = handlers[args.command]
        return handler(args, out, err)
    except (UsageError, core.DnnguiError) as e:
        err.write(f"dnngui: {_one_line(str(e))}\n")
        return 2
    except OSError as e:  # a path the system refuses (too long, a folder that cannot be searched, …)
        err.write(f"dnngui: {os_message(e)}\n")
        return 2
    except KeyboardInterrupt:
        err.write("\ndnngui: interrupted\n")
        return 130
