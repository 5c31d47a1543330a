"""Every bad file, absurd setting and fault a person can meet from the window: one line, nothing lost."""

import gzip
import os

import numpy as np
import pytest

from dnngui import core
from dnngui.jobs import training
from dnngui.jobs.job import running_jobs
from tests.support.mnist_files import idx_pair
from tests.support.window import click, small_settings, start_long_run, stop_and_wait


def model_arrays(tmp_path):
    core.Network([784, 8, 10], seed=0).save(tmp_path / "good.npz")
    with np.load(tmp_path / "good.npz") as npz:
        return {k: npz[k] for k in npz.files}


def broken_models(tmp_path):
    arrays = model_arrays(tmp_path)
    good = (tmp_path / "good.npz").read_bytes()
    cases = {
        "truncated.npz": good[: len(good) // 2],
        "empty.npz": b"",
        "text.npz": b"weights, I promise",
    }
    for name, change in {
        "nan.npz": {"W1": np.full((8, 784), np.nan, np.float32)},
        "pickle.npz": {"W1": np.array([object()], dtype=object)},
        "version.npz": {"format_version": np.array(99)},
        "chain.npz": {"W2": np.zeros((10, 9), np.float32)},
        "dtype.npz": {"b1": np.zeros((8, 1), np.int64)},
    }.items():
        np.savez(tmp_path / name, **{**arrays, **change}, allow_pickle=True)
    return cases


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("truncated.npz", "truncated.npz"),
        ("empty.npz", "not a model file"),
        ("text.npz", "not a model file"),
        ("nan.npz", "NaN or infinite"),
        ("pickle.npz", "never loads pickles"),
        ("version.npz", "format version 99"),
        ("chain.npz", "W2 has shape (10, 9)"),
        ("dtype.npz", "float32 or float64"),
    ],
)
def test_a_bad_model_file_shows_one_line_and_keeps_the_model(window, dialogs, tmp_path, name, message):
    for file_name, raw in broken_models(tmp_path).items():
        (tmp_path / file_name).write_bytes(raw)
    before = window.state.network
    assert not window.files.open_model(str(tmp_path / name))
    assert len(dialogs.errors) == 1 and message in dialogs.errors[0] and "\n" not in dialogs.errors[0]
    assert window.state.network is before


def test_a_bad_mnist_folder_is_refused_and_the_data_kept(window, dialogs, tmp_path):
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(b"\x00\x00\x08\x03" + bytes(20)))
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(b"\x00\x00\x08\x01\x00\x00\x00\x01\x05")
    dialogs.folder = str(tmp_path)
    before = window.data_source.corpus
    assert not window.import_mnist()
    assert "train-images-idx3-ubyte.gz" in dialogs.errors[0]
    assert window.data_source.corpus is before


def test_a_good_mnist_folder_is_used_with_its_test_set(window, dialogs, tmp_path):
    val = window.data_source.validation
    for which, n in (("train", 300), ("t10k", 100)):
        idx_pair(tmp_path, which, val.images[:n], val.labels[:n])
    dialogs.folder = str(tmp_path)
    assert window.import_mnist()
    assert len(window.data_source.corpus.images) == 270 and window.data_source.corpus.pen is None
    assert "270 scanned for training" in window.train_tab.data_label.text()
    view = window.evaluation_view
    assert [view.source.itemText(i) for i in range(view.source.count())] == [
        f"MNIST validation ({tmp_path.name}) · 30 digits",
        "the MNIST test set · 100 digits",
    ]
    window.bundled_action.trigger()  # back to the bundled digits: the imported test set goes with the import
    titles = [title for title, _, _ in view.sources]
    assert "the MNIST test set" not in titles and titles[0] == "MNIST validation"
    assert window.data_source.corpus.pen is not None


def test_an_exception_in_the_worker_stops_training_with_the_message(window, qtbot, monkeypatch):
    calls = {"n": 0}
    original = core.Network.backward_into

    def failing(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 40:
            raise RuntimeError("simulated fault")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(core.Network, "backward_into", failing)
    monkeypatch.setattr(training, "IN_CHILD_PROCESS", False)  # in a thread, where the fault is patched in
    small_settings(window, epochs=50)
    click(qtbot, window.train_tab.train_button)
    qtbot.waitUntil(lambda: not window.train_tab.running, timeout=20000)
    assert "Training failed: unexpected RuntimeError: simulated fault" in window.train_tab.message.text()
    assert not running_jobs()
    assert all(np.isfinite(p).all() for p in window.state.network.params.values())
    assert window.train_tab.train_button.isEnabled()


def test_a_failed_save_keeps_the_old_file_and_says_why(window, dialogs, tmp_path, monkeypatch):
    path = tmp_path / "mine.npz"
    dialogs.save_path = str(path)
    assert window.files.save_model_as()
    old = path.read_bytes()
    trained = window.state.network.copy()
    trained.set_params({k: v * 0 for k, v in trained.params.items()})
    window.state.replace(trained)  # as a finished training run does

    def disk_full(f, **arrays):
        f.write(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez", disk_full)
    assert not window.files.save_model()
    assert "No space left on device" in dialogs.errors[-1]
    assert path.read_bytes() == old
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]  # no half-written leftovers
    assert window.state.dirty  # still unsaved, so closing will still ask


def test_weight_snapshots_are_copies_never_the_live_arrays(window, qtbot, monkeypatch):
    # in the job's thread, where a snapshot could be the live arrays (from a child process it is a copy anyway)
    monkeypatch.setattr(training, "IN_CHILD_PROCESS", False)
    received = []
    start_long_run(window, qtbot)
    window.train_tab.job.yielded.connect(
        lambda progress: (
            progress.params is not None
            and received.append((progress.params, {k: v.copy() for k, v in progress.params.items()}))
        )
    )
    qtbot.waitUntil(lambda: len(received) >= 3, timeout=15000)
    stop_and_wait(window, qtbot)
    first, copied_on_arrival = received[0]
    for name in first:  # training went on, but what was sent never changed
        assert np.array_equal(first[name], copied_on_arrival[name])
    assert not np.array_equal(first["W1"], window.state.network.params["W1"])


def test_closing_during_a_gradient_check_exits_within_a_second(window, qtbot):
    window.math_view.check_button.click()
    qtbot.waitUntil(lambda: window.math_view.job is not None and window.math_view.job.is_running, timeout=2000)
    window.close()  # the check stops between two arrays, then the window closes
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=1000)
    assert not running_jobs()


def test_absurd_settings_are_refused_before_any_work(window):
    form = window.train_tab.form
    form.hidden.setText("1000000")
    assert not window.train_tab.train_button.isEnabled()
    assert "4096" in form.error.text()
    form.hidden.setText("16")
    corpus = window.data_source.corpus
    assert form.batch.maximum() == len(corpus.images) + len(corpus.pen)
    form.task.setCurrentIndex(form.task.findData("zero-one"))
    zero_one = [np.isin(part.labels, [0, 1]).sum() for part in (corpus.images, corpus.pen)]
    assert form.batch.maximum() == sum(zero_one)
