import itertools

import numpy as np
import pytest

from dnngui import core
from dnngui.core import data
from dnngui.core.tasks import TASKS


@pytest.fixture(scope="module")
def zero_one():
    train, val = data.split(data.bundled())
    task = TASKS["zero-one"]
    return task.select(train), task.select(val)


def blobs(n=400, seed=0):
    """Two well separated clusters in 4-D, as uint8 pixels."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    X = rng.normal(64 + 128 * labels, 20, (4, n)).clip(0, 255).astype(np.uint8)
    return X, labels


def test_articles_zero_one_classifier_reaches_99_percent_on_held_out_digits(zero_one):
    (X, y), (X_val, y_val) = zero_one
    net = core.Network([784, 32, 16, 1], "relu", "sigmoid", seed=0)
    records = list(core.train(net, X, net.output.one_hot(y, 2), epochs=3, batch_size=32, lr=0.1, seed=0))
    _, accuracy = net.evaluate(X_val, y_val)
    assert accuracy >= 0.99
    assert isinstance(records[-1], core.EpochDone)


def test_cost_falls_and_records_are_in_order():
    X, y = blobs()
    net = core.Network([4, 8, 2], "tanh", "softmax", seed=0)
    Y = net.output.one_hot(y, 2)
    records = list(core.train(net, X, Y, epochs=5, batch_size=50, lr=0.5, X_val=X, Y_val=Y))
    batches = [r for r in records if isinstance(r, core.BatchDone)]
    epochs = [r for r in records if isinstance(r, core.EpochDone)]
    assert len(batches) == 5 * 8 and len(epochs) == 5
    assert [(b.epoch, b.step) for b in batches[:9]] == [(1, s) for s in range(1, 9)] + [(2, 1)]
    assert epochs[-1].train_cost < epochs[0].train_cost
    assert epochs[-1].val_accuracy > 0.95
    assert np.isclose(epochs[-1].val_cost, net.evaluate(X, y)[0])


def test_same_seed_same_run():
    X, y = blobs()
    results = []
    for _ in range(2):
        net = core.Network([4, 8, 2], "relu", "softmax", seed=1)
        costs = [
            r.cost
            for r in core.train(net, X, net.output.one_hot(y, 2), epochs=2, batch_size=32, lr=0.1, seed=4)
            if isinstance(r, core.BatchDone)
        ]
        results.append((costs, net.params["W1"].copy()))
    assert results[0][0] == results[1][0]
    assert np.array_equal(results[0][1], results[1][1])


def test_stopping_between_batches_leaves_the_last_batchs_weights():
    X, y = blobs()
    net = core.Network([4, 8, 2], "relu", "softmax", seed=1)
    before = net.params["W1"].copy()
    run = core.train(net, X, net.output.one_hot(y, 2), epochs=100, batch_size=32, lr=0.1)
    taken = list(itertools.islice(run, 3))
    assert [r.step for r in taken] == [1, 2, 3]
    after_three = net.params["W1"].copy()
    assert not np.array_equal(before, after_three)
    run.close()
    assert np.array_equal(net.params["W1"], after_three)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_every_optimizer_learns(optimizer):
    X, y = blobs()
    net = core.Network([4, 8, 2], "relu", "softmax", seed=0)
    lr = {"sgd": 0.5, "momentum": 0.1, "adam": 0.05}[optimizer]
    list(
        core.train(
            net,
            X,
            net.output.one_hot(y, 2),
            epochs=5,
            batch_size=32,
            lr=lr,
            optimizer=optimizer,
            weight_decay=1e-4,
            lr_schedule="cosine",
        )
    )
    assert net.evaluate(X, y)[1] > 0.95


def test_uint8_data_is_not_copied_to_float_for_the_whole_set():
    X, y = blobs(n=64)
    net = core.Network([4, 3, 2], seed=0)
    seen = []

    def augment(rows, rng):
        seen.append((rows.dtype, rows.shape, float(rows.max())))
        return rows

    list(core.train(net, X, net.output.one_hot(y, 2), epochs=1, batch_size=16, lr=0.1, augment=augment))
    assert seen and all(d == np.float32 and s == (16, 4) and mx <= 1.0 for d, s, mx in seen)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"epochs": 0}, "epochs"),
        ({"epochs": 2.5}, "epochs"),
        ({"batch_size": 0}, "batch size"),
        ({"batch_size": 10_000}, "batch size"),
        ({"lr": float("nan")}, "learning rate"),
        ({"lr": -0.1}, "learning rate"),
        ({"lr": 0}, "learning rate"),
        ({"optimizer": "rmsprop"}, "optimizer"),
        ({"weight_decay": -1}, "weight decay"),
    ],
)
def test_bad_settings_are_refused_before_any_work(settings, message):
    X, y = blobs(n=100)
    net = core.Network([4, 3, 2], seed=0)
    before = net.params["W1"].copy()
    kwargs = {"epochs": 1, "batch_size": 10, "lr": 0.1, **settings}
    with pytest.raises(core.HyperParameterError, match=message):
        core.train(net, X, net.output.one_hot(y, 2), **kwargs)
    assert np.array_equal(net.params["W1"], before)


class CostTurnsNaN:
    """The network's own output layer, except that its cost is NaN from the n-th batch on."""

    def __init__(self, output, n):
        self._output, self._n, self.calls = output, n, 0

    def __getattr__(self, name):
        return getattr(self._output, name)

    def cost(self, Z, Y):
        self.calls += 1
        return float("nan") if self.calls >= self._n else self._output.cost(Z, Y)


def test_divergence_goes_back_to_the_last_checkpoint():
    X, y = blobs()
    net = core.Network([4, 8, 2], "relu", "softmax", seed=0)
    Y = net.output.one_hot(y, 2)
    net.output = CostTurnsNaN(net.output, n=31)
    run = core.train(net, X, Y, epochs=10, batch_size=20, lr=0.1)
    after_20 = None
    with pytest.raises(core.TrainingDivergedError, match="10 steps earlier"):
        for record in run:
            if (record.epoch - 1) * 20 + getattr(record, "step", 0) == 20:
                after_20 = {k: v.copy() for k, v in net.params.items()}
    assert all(np.array_equal(net.params[k], after_20[k]) for k in after_20)


def test_divergence_stops_with_a_message_and_restores_the_weights():
    X, y = blobs()
    X = X * np.float32(1e12)  # inputs far outside [0, 1] make the first steps overflow
    net = core.Network([4, 8, 2], "relu", "softmax", seed=0)
    start = {k: v.copy() for k, v in net.params.items()}
    run = core.train(net, X, net.output.one_hot(y, 2), epochs=1, batch_size=20, lr=10.0)
    with pytest.raises(core.TrainingDivergedError, match="try a learning rate of 1"):
        list(run)
    assert all(np.array_equal(net.params[k], start[k]) for k in start)


def test_a_divergence_one_step_after_a_checkpoint_says_one_step_and_the_rate_as_set():
    X, y = blobs()
    net = core.Network([4, 8, 2], "relu", "softmax", seed=0)
    net.output = CostTurnsNaN(net.output, n=22)  # 20 steps to the checkpoint, then one more
    run = core.train(net, X, net.output.one_hot(y, 2), epochs=10, batch_size=20, lr=0.1, lr_schedule="cosine")
    with pytest.raises(core.TrainingDivergedError, match=r"learning rate of 0\.01 .*as they were 1 step earlier\)"):
        for _ in run:
            pass
