"""The headless dnngui commands: train, evaluate, gradcheck."""

import argparse
import gzip
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from dnngui import cli, core
from dnngui.core import data, pendigits
from tests.support.commands import run
from tests.support.unipen_text import unipen_text


@pytest.fixture(scope="module")
def small_model(tmp_path_factory):
    path = tmp_path_factory.mktemp("m") / "small.npz"
    status, out, err = run(
        "train", "--hidden", "32", "--epochs", "2", "--no-augment", "--lr", "0.003", "--out", str(path)
    )
    assert status == 0, err
    return path, out, err


def test_train_saves_a_model_and_reports_validation_accuracy(small_model):
    path, out, err = small_model
    net = core.load_model(path)
    assert net.sizes == (784, 32, 10)
    lines = out.strip().splitlines()
    accuracy = float(lines[-1].split(": ")[1])
    assert accuracy > 0.85
    assert "epoch 2/2" in err
    assert "dnngui train --data mnist+pen" in net.description  # the model records how it was made
    # scanned and pen-drawn digits are reported each on its own, in the epoch lines too
    assert lines[-5].startswith("validation accuracy (MNIST validation): 0.")
    for k, name in enumerate(["held-out UCI writers", "held-out UNIPEN writers", "held-out UNIPEN lab"]):
        assert lines[-4 + k].startswith(f"validation accuracy ({name}): 0.")
        assert f"{name} 0." in err


def confusion_blocks(out):
    """{set name: confusion matrix} from evaluate's output."""
    lines = out.strip().splitlines()
    blocks = {}
    for i, line in enumerate(lines):
        if line.endswith(" digits") and ": " in line:
            name = line.rsplit(": ", 1)[0]
            rows = lines[i + 2 : i + 12]
            blocks[name] = np.array([[int(v) for v in row.split()[1:]] for row in rows])
    return blocks


def test_evaluate_prints_a_confusion_matrix_per_set_and_accuracy_last(small_model):
    path, _, _ = small_model
    status, out, err = run("evaluate", "--model", str(path))
    assert status == 0, err
    lines = out.strip().splitlines()
    assert lines[-1].startswith("accuracy: 0.")
    blocks = confusion_blocks(out)
    assert list(blocks) == [
        "MNIST validation",
        "held-out UCI writers",
        "held-out UNIPEN writers",
        "held-out UNIPEN lab",
    ]
    mnist, *pens = blocks.values()
    assert mnist.shape == (10, 10) and mnist.sum() == 1000 and all(pen.sum() > 1000 for pen in pens)
    for name, counts in blocks.items():
        assert f"accuracy ({name}): {np.trace(counts) / counts.sum():.4f}" in lines
        per_digit = np.diag(counts) / counts.sum(axis=1)
        assert f"per digit ({name}): " + " ".join(f"{d}:{a:.3f}" for d, a in enumerate(per_digit)) in lines
    total = sum(np.trace(counts) for counts in blocks.values())
    assert float(lines[-1].split()[1]) == pytest.approx(total / sum(c.sum() for c in blocks.values()), abs=1e-4)


def test_train_and_evaluate_on_a_unipen_file(tmp_path):
    pen = pendigits.bundled()
    few = pen.subset(np.isin(pen.writers, [1, 2, 3, 4, 5]))
    (tmp_path / "mine.unipen.gz").write_bytes(gzip.compress(unipen_text(few).encode()))
    out_path = tmp_path / "pen.npz"
    status, out, err = run(
        "train", "--data", str(tmp_path / "mine.unipen.gz"), "--hidden", "16", "--epochs", "2", "--out", str(out_path)
    )
    assert status == 0, err
    assert "held-out pen writers" in out
    status, out, err = run("evaluate", "--model", str(out_path), "--data", str(tmp_path / "mine.unipen.gz"))
    assert status == 0, err
    assert f"mine.unipen.gz (drawn on the canvas): {len(few)} digits" in out


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('.SEGMENT DIGIT 0 ? "x"\n', 1, "label"),
        (".COMMENT UNIPEN 1a\n.SEGMENT DIGIT 0 ?\n.PEN_DOWN\n 1 2\n.PEN_UP\n", 2, "label"),
        ('.SEGMENT DIGIT 0 ? "3"\n.COMMENT 3 1001 1\n.PEN_DOWN\n 1 2\n.PEN_UP\n.INK blue\n', 6, "keyword"),
        ('.SEGMENT DIGIT 0 ? "3"\n.COMMENT 3 1001 1\n.PEN_DOWN\n 0 1000\n -40000 9\n.PEN_UP\n', 5, "beyond"),
    ],
    ids=["letter label", "missing label", "unknown keyword", "absurd coordinates"],
)
def test_a_bad_unipen_file_is_one_line_and_status_2(tmp_path, text, line, words):
    (tmp_path / "bad.unipen").write_text(text)
    for argv in (
        ["train", "--data", str(tmp_path / "bad.unipen"), "--out", str(tmp_path / "m.npz")],
        ["evaluate", "--model", "assets/models/digits.npz", "--data", str(tmp_path / "bad.unipen")],
    ):
        status, _out, err = run(*argv)
        assert status == 2 and err.count("\n") == 1 and f"bad.unipen, line {line}" in err and words in err


def idx(magic, dims, payload):
    return magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in dims) + payload


def test_evaluate_on_idx_files(small_model, tmp_path):
    path, _, _ = small_model
    val = data.split(data.bundled())[1]
    (tmp_path / "imgs.gz").write_bytes(gzip.compress(idx(0x803, (100, 28, 28), val.images[:100].tobytes())))
    (tmp_path / "labels").write_bytes(idx(0x801, (100,), val.labels[:100].tobytes()))
    status, out, _ = run(
        "evaluate", "--model", str(path), "--images", str(tmp_path / "imgs.gz"), "--labels", str(tmp_path / "labels")
    )
    assert status == 0
    assert "100 digits" in out


def test_zero_one_task_trains_a_sigmoid_classifier(tmp_path):
    path = tmp_path / "z.npz"
    status, out, _ = run("train", "--task", "zero-one", "--hidden", "8,4", "--epochs", "1", "--out", str(path))
    assert status == 0
    assert core.load_model(path).output.name == "sigmoid"
    status, out, _ = run("evaluate", "--model", str(path))
    assert out.splitlines()[1].split() == ["true\\pred", "0", "1"]


def test_train_logs_the_run_as_csv_and_a_diverged_run_too(tmp_path):
    log = tmp_path / "run.csv"
    args = ("train", "--data", "mnist", "--hidden", "16", "--epochs", "2", "--no-augment")
    status, _, err = run(*args, "--out", str(tmp_path / "m.npz"), "--log", str(log))
    assert status == 0, err
    lines = log.read_text().splitlines()
    assert "# hidden: [16]" in lines and "# outcome: finished" in lines and "# data: mnist" in lines
    header = lines.index(next(line for line in lines if line.startswith("epoch,")))
    assert lines[header].split(",")[:5] == ["epoch", "train_cost", "train_accuracy", "val_cost", "val_accuracy"]
    rows = lines[header + 1 :]
    assert [row.split(",")[0] for row in rows] == ["1", "2"] and float(rows[-1].split(",")[4]) > 0.5
    status, _, err = run(*args, "--optimizer", "sgd", "--lr", "50", "--out", str(tmp_path / "d.npz"), "--log", str(log))
    assert status == 2 and "try a learning rate of 5" in err and "Traceback" not in err
    assert "# outcome: diverged" in log.read_text() and not (tmp_path / "d.npz").exists()


def test_a_log_that_cannot_be_written_keeps_the_trained_model(tmp_path, monkeypatch):
    def refuse(log, path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(cli._runs, "write_csv", refuse)
    args = ("train", "--data", "mnist", "--hidden", "8", "--epochs", "1", "--no-augment")
    status, out, err = run(*args, "--out", str(tmp_path / "m.npz"), "--log", str(tmp_path / "run.csv"))
    last = err.strip().splitlines()[-1]  # after the epoch lines
    assert status == 2 and last.startswith("dnngui: the model is saved") and "Permission denied" in last
    assert core.load_model(tmp_path / "m.npz").sizes == (784, 8, 10) and "saved" in out


def test_a_symlink_is_never_replaced_by_a_saved_model(tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    (tmp_path / "link.npz").symlink_to(target)
    status, _, err = run("train", "--data", "mnist", "--epochs", "1", "--out", str(tmp_path / "link.npz"))
    assert status == 2 and "not a regular file" in err
    assert (tmp_path / "link.npz").is_symlink() and target.read_text() == "keep me"


def test_a_file_name_that_is_not_utf8_is_escaped_on_a_strict_terminal(tmp_path):
    out_name = os.fsdecode(b"m\xff.npz")
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    args = ["train", "--data", "mnist", "--hidden", "8", "--epochs", "1", "--no-augment"]
    status = cli.main([*args, "--out", str(tmp_path / out_name)], stdout, stderr)
    stdout.flush()
    assert status == 0 and b"\\udcff" in stdout.buffer.getvalue()


@pytest.mark.parametrize("classes", [[3, 7], list(range(9))], ids=["3 vs 7", "nine digits"])
def test_gradcheck_checks_a_model_of_other_classes_on_its_own_digits(tmp_path, classes):
    from dnngui.core.network import Network

    Network([784, 8, len(classes)], ["relu"], "softmax", seed=0, classes=classes).save(tmp_path / "m.npz")
    status, out, err = run("gradcheck", "--model", str(tmp_path / "m.npz"), "--entries", "5")
    assert status == 0, err
    assert [row.split()[-1] for row in out.strip().splitlines()[1:]] == ["ok"] * 4


def test_gradcheck_reports_every_array(small_model):
    path, _, _ = small_model
    status, out, _ = run("gradcheck", "--model", str(path), "--entries", "5")
    assert status == 0
    rows = out.strip().splitlines()[1:]
    assert [r.split()[0] for r in rows] == ["W1", "b1", "W2", "b2"]
    assert all(float(r.split()[-2]) < 1e-6 for r in rows)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["train"], "--out"),
        (["train", "--out", "x.npz", "--hidden", "a,b"], "whole numbers"),
        (["train", "--out", "x.npz", "--hidden", "0"], "1 to 4096 units"),
        (["train", "--out", "x.npz", "--lr", "-1"], "learning rate"),
        (["train", "--out", "x.npz", "--batch-size", "999999"], "batch size"),
        (["train", "--out", "x.npz", "--activation", "gelu"], "unknown activation"),
        (["train", "--out", "x.npz", "--elastic", "-1"], "elastic"),
        (["train", "--out", "/no/such/folder/x.npz"], "does not exist"),
        (["train", "--out", "."], "it is a folder"),
        (["train", "--out", " "], "needs a file name"),
        (["train", "--data", "/no/such/file.npz", "--out", "x.npz"], "no such file"),
        (["evaluate", "--model", "/no/such/model.npz"], "no such file"),
        (["evaluate", "--model", "m.npz", "--images", "i"], "go together"),
        (["frobnicate"], "invalid choice"),
        (["train", "--out", "/dev/null"], "not a regular file"),
        (["train", "--out", "x.npz", "--log", "/dev/null"], "not a regular file"),
        (["train", "--out", "x.npz", "--log", "/no/such/folder/run.csv"], "does not exist"),
        (["train", "--out", "assets/models/digits.npz"], "shipped with dnngui"),
        (["fine-tune", "--model", "m.npz", "--mine", "d.npz", "--seed", "-1", "--out", "t.npz"], "--seed"),
        (["gradcheck", "--entries", "1000000000"], "--entries"),
        (["evaluate", "--model", "x" * 5000 + ".npz"], "File name too long"),
        (["evaluate", "--model", "bad\nname.npz"], "bad\\nname.npz"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(argv, message, tmp_path, monkeypatch):
    shipped = Path("assets/models/digits.npz").resolve()
    monkeypatch.chdir(tmp_path)
    if "assets/models/digits.npz" in argv:
        argv = [str(shipped) if a == "assets/models/digits.npz" else a for a in argv]
    status, _out, err = run(*argv)
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("dnngui: ")
    assert message in err


def test_a_corrupt_model_file_is_one_line_not_a_traceback(tmp_path):
    (tmp_path / "bad.npz").write_bytes(b"not a zip at all")
    result = subprocess.run(
        [sys.executable, "-m", "dnngui", "evaluate", "--model", str(tmp_path / "bad.npz")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "dnngui: bad.npz is not a model file (not an .npz archive)"


def test_headless_commands_import_no_qt():
    code = (
        "import sys; from dnngui.cli import main; main(['gradcheck', '--entries', '1'], open('/dev/null', 'w'));"
        "print(any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_a_mistyped_command_says_so_and_opens_no_window(capsys):
    from dnngui.__main__ import main as entry

    assert entry(["tarin", "--out", "x.npz"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dnngui: unknown command 'tarin'") and err.count("\n") == 1


def test_a_damaged_test_set_in_a_folder_is_an_error_not_the_training_set(tmp_path):
    val = data.split(data.bundled())[1]
    for which, n, cut in (("train", 50, False), ("t10k", 20, True)):
        raw = idx(0x803, (n, 28, 28), val.images[:n].tobytes())
        (tmp_path / f"{which}-images-idx3-ubyte").write_bytes(raw[: len(raw) // 2] if cut else raw)
        (tmp_path / f"{which}-labels-idx1-ubyte").write_bytes(idx(0x801, (n,), val.labels[:n].tobytes()))
    status, out, err = run("evaluate", "--model", "assets/models/digits.npz", "--data", str(tmp_path))
    assert status == 2 and "t10k-images-idx3-ubyte is truncated" in err and out == ""


def test_training_on_five_digits_saves_a_model_and_says_none_were_held_out(tmp_path):
    digits = data.bundled()
    np.savez(tmp_path / "five.npz", images=digits.images[:5], labels=digits.labels[:5])
    status, out, err = run(
        "train",
        "--data",
        str(tmp_path / "five.npz"),
        "--hidden",
        "4",
        "--epochs",
        "1",
        "--batch-size",
        "2",
        "--out",
        str(tmp_path / "m.npz"),
    )
    assert status == 0, err
    assert out.strip().endswith("validation accuracy: none (the data are too few to hold any out)")


def test_fine_tune_teaches_a_model_drawings_it_misread(tmp_path):
    """Sevens with a long flat base, which the shipped model does not read as 7s, are read after fine-tuning."""
    from dnngui.core import personal, preprocess
    from tests.support.strokes import painted_like_the_canvas

    rng = np.random.default_rng(0)
    samples = []
    for _ in range(12):
        j = rng.normal(0, 0.4, 4)
        points = [(8 + j[0], 6.0), (20 + j[1], 6.0), (11 + j[2], 22.0), (21 + j[3], 22.0)]
        samples.append(preprocess.to_mnist(painted_like_the_canvas([points])))
    mine = personal.empty()
    for x in samples:
        mine = personal.add(mine, x, 7)
    personal.save(mine, tmp_path / "mine.npz")
    X = np.array(samples).T
    assert np.mean(core.load_model("assets/models/digits.npz").predict(X) == 7) < 0.5
    status, out, err = run(
        "fine-tune",
        "--model",
        "assets/models/digits.npz",
        "--mine",
        str(tmp_path / "mine.npz"),
        "--out",
        str(tmp_path / "tuned.npz"),
    )
    assert status == 0, err
    tuned = core.load_model(tmp_path / "tuned.npz")
    assert np.mean(tuned.predict(X) == 7) >= 0.9 and "fine-tune on mine.npz" in tuned.description
    # what it gained and what it cost, before and after, for the drawings and every validation set
    lines = re.findall(r"^(.+): ([\d.]+) before, ([\d.]+) after$", out, re.MULTILINE)
    rows = {name: (float(before), float(after)) for name, before, after in lines}
    assert set(rows) >= {"your drawings (it trained on them)", "MNIST validation", "held-out UCI writers"}
    mine_before, mine_after = rows["your drawings (it trained on them)"]
    assert mine_before < 0.5 <= 0.9 <= mine_after
    assert all(after > 0.9 for name, (_, after) in rows.items())


def test_train_help_gives_each_default_once_as_it_is_typed():
    parser = cli.build_parser()
    train = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["train"]
    text = " ".join(train.format_help().split())
    assert "(default: 512,256)" in text and "(default: relu)" in text and "(default: on)" in text
    assert "(512, 256)" not in text and "('relu',)" not in text and "(default: None)" not in text
    assert text.count("default: mnist+pen") == 1  # the --data default, once


def test_a_wide_deep_model_is_read_within_a_bounded_workspace(tmp_path):
    """784-1-100000-1-100000-1-10 is a legal model; 2,048 digits at once wanted 3.3 GB and ended in a
    MemoryError traceback. Evaluate, gradcheck and the Health tab's check now fit 1.5 GB of address space."""
    import resource

    from dnngui.core.network import Network

    path = tmp_path / "wide.npz"
    Network([784, 1, 100_000, 1, 100_000, 1, 10], ["relu"] * 5, "softmax", seed=0).save(path)

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))

    check = (
        "import sys\nfrom dnngui import core\nfrom dnngui.core import data, health\n"
        "from dnngui.core.tasks import network_arrays\n"
        "net = core.load_model(sys.argv[1])\n"
        "X, Y = network_arrays(net, data.split(data.bundled())[1], limit=health.BATCH)\n"
        "print(len(health.epoch_health(net, X, Y).grad_rms), health.batch_for(net))\n"
    )
    for args in (["-m", "dnngui", "evaluate", "--model", str(path)], ["-m", "dnngui", "gradcheck", "--model", str(path),
                 "--entries", "2"], ["-c", check, str(path)]):  # fmt: skip
        result = subprocess.run([sys.executable, *args], capture_output=True, text=True, preexec_fn=limit, timeout=300)
        assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.split() == ["6", str(Network.columns_within(core.load_model(path), 32 * 2**20))]


def test_a_model_whose_outputs_overflow_is_said_plainly_not_as_warnings_or_check(tmp_path):
    """Weights of 3e38: evaluate printed RuntimeWarnings, gradcheck said CHECK, the Health check divided by zero."""
    from dnngui.core import data, health
    from dnngui.core.network import Network
    from dnngui.core.tasks import network_arrays

    net = Network([784, 16, 10], ["relu"], "softmax", seed=0)
    for array in net.params.values():
        array[...] = 3e38
    net.save(tmp_path / "huge.npz")
    evaluate = [sys.executable, "-W", "error::RuntimeWarning", "-m", "dnngui", "evaluate", "--model"]
    result = subprocess.run([*evaluate, str(tmp_path / "huge.npz")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Warning" not in result.stderr and "accuracy:" in result.stdout
    status, out, err = run("gradcheck", "--model", str(tmp_path / "huge.npz"))
    assert status == 2 and "overflow float32" in err and "CHECK" not in out and err.count("\n") == 1
    X, Y = network_arrays(net, data.split(data.bundled())[1], limit=64)
    figures = health.epoch_health(net, X, Y)
    assert "not finite numbers" in health.diagnosis(figures.grad_rms, figures.dead, figures.saturated)
