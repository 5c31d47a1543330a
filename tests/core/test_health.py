"""core.health and the trainer's watch over a run: vanishing gradients, dead units, divergence."""

import itertools

import numpy as np
import pytest

from dnngui import core
from dnngui.core import data, health
from dnngui.core.corpus import load
from dnngui.core.recipe import Recipe, start


@pytest.fixture(scope="module")
def digits():
    images, labels = data.load_bundled()
    return data.as_columns(images)[:, :1024], labels[:1024]


def first_step(sizes, activation, digits, **kwargs):
    X, y = digits
    net = core.Network(sizes, activation, "softmax", seed=0)
    run = core.train(net, X, net.output.one_hot(y, 10), epochs=1, batch_size=128, lr=0.1, health_every=1, **kwargs)
    records = list(run)
    return net, records


def test_a_deep_sigmoid_network_shows_vanishing_gradients_and_relu_does_not(digits):
    deep = [784] + [64] * 6 + [10]
    _, records = first_step(deep, "sigmoid", digits)
    sigmoid = records[0].health.grad_rms
    assert len(sigmoid) == 7 and sigmoid[0] * 10 <= sigmoid[-1]  # the first layer learns 10× slower and more
    assert all(a < b for a, b in itertools.pairwise(sigmoid))  # a fan: smaller towards the input
    _, records = first_step(deep, "relu", digits)
    relu = records[0].health.grad_rms
    assert relu[0] * 10 > relu[-1]


def test_every_step_is_watched_when_asked_and_the_update_ratio_is_the_step_over_the_weights(digits):
    X, y = digits
    net = core.Network([784, 32, 10], "relu", "softmax", seed=0)
    W2 = net.params["W2"].copy()
    run = core.train(net, X, net.output.one_hot(y, 10), epochs=1, batch_size=512, lr=0.1, health_every=1)
    first = next(run)
    step = net.params["W2"] - W2
    expected = np.sqrt(np.mean(step.astype(np.float64) ** 2)) / np.sqrt(
        np.mean(net.params["W2"].astype(np.float64) ** 2)
    )
    assert first.health.update_ratio[1] == pytest.approx(expected, rel=1e-5)
    assert next(run).health is not None
    quiet = core.train(net, X, net.output.one_hot(y, 10), epochs=1, batch_size=512, lr=0.1)
    assert next(quiet).health is None  # not asked: nothing extra is computed


def test_an_epoch_reports_dead_relus_on_a_validation_batch(digits):
    X, y = digits
    net = core.Network([784, 16, 10], "relu", "softmax", seed=0)
    net.params["b1"][:4] = -1e3  # four units that no digit can switch on
    Y = net.output.one_hot(y, 10)
    records = list(
        core.train(net, X, Y, epochs=1, batch_size=128, lr=1e-4, X_val=X[:, :256], Y_val=Y[:, :256], health_every=4)
    )
    epoch = records[-1].health
    assert epoch.dead[0] == pytest.approx(4 / 16)
    assert np.isnan(epoch.saturated[0])  # a ReLU cannot saturate
    assert [h.counts.sum() for h in epoch.weights] == [16 * 784, 10 * 16]
    assert epoch.activations[0].counts.sum() == 16 * 256


def test_saturated_sigmoid_units_are_counted():
    net = core.Network([4, 3, 2], "sigmoid", "softmax", seed=0)
    net.params["b1"][:] = np.array([[50.0], [0.0], [-50.0]], np.float32)  # two units stuck at 1 and at 0
    X = np.random.default_rng(0).random((4, 64)).astype(np.float32)
    result = health.epoch_health(net, X, net.output.one_hot(np.zeros(64, int), 2))
    assert result.saturated[0] == pytest.approx(2 / 3) and np.isnan(result.dead[0])


def test_sgd_at_learning_rate_50_is_stopped_as_diverged_naming_a_layer_and_restoring_the_weights():
    corpus = load("mnist")
    network, run = start(Recipe(hidden=(256, 128), optimizer="sgd", lr=50, epochs=2, data="mnist"), corpus)
    before = {k: v.copy() for k, v in network.params.items()}
    with pytest.raises(core.TrainingDivergedError) as caught:
        list(run)
    message = str(caught.value)
    assert "the cost grew from" in message and "try a learning rate of 5" in message
    assert "the gradient of layer" in message
    assert all(np.array_equal(network.params[k], before[k]) for k in before)


class ScriptedCost:
    """The network's own output layer, except that the cost of the n-th batch is ``script(n, real cost)``."""

    def __init__(self, output, script):
        self._output, self._script, self.calls = output, script, 0

    def __getattr__(self, name):
        return getattr(self._output, name)

    def cost(self, Z, Y):
        self.calls += 1
        return self._script(self.calls, self._output.cost(Z, Y))


def test_an_epoch_at_chance_whose_cost_rose_is_stopped_as_diverged():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (4, 400)).astype(np.uint8)
    y = rng.integers(0, 2, 400)  # nothing to learn: it stays at chance
    net = core.Network([4, 8, 2], "relu", "softmax", seed=0)
    Y = net.output.one_hot(y, 2)
    net.output = ScriptedCost(net.output, lambda n, cost: cost * (1 if n == 1 else 3))  # past 1.5×, short of 10×
    with pytest.raises(core.TrainingDivergedError, match="no better than guessing"):
        list(core.train(net, X, Y, epochs=3, batch_size=40, lr=1e-3))


def test_continuing_a_trained_network_is_not_taken_for_divergence_when_a_batch_is_harder():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    X = rng.normal(64 + 128 * y, 20, (4, 400)).clip(0, 255).astype(np.uint8)
    net = core.Network([4, 8, 2], "relu", "softmax", seed=0)
    Y = net.output.one_hot(y, 2)
    list(core.train(net, X, Y, epochs=5, batch_size=40, lr=0.01, optimizer="adam"))  # trained: cost near 0
    net.output = ScriptedCost(net.output, lambda n, cost: 0.01 if n == 1 else 0.2)  # then a batch 20× harder
    records = list(core.train(net, X, Y, epochs=2, batch_size=40, lr=1e-4, optimizer="adam"))
    assert records[-1].epoch == 2  # it ran to the end: 0.2 is far from ten times the cost of guessing


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_histogram_counts_every_finite_value_in_its_bin(dtype):
    """The Health tab's histograms: 40 equal bins from the smallest to the largest value, NaN and ±inf left out."""
    values = np.random.default_rng(0).standard_normal((256, 784)).astype(dtype)
    reference, edges = np.histogram(values, bins=health.BINS, range=(values.min(), values.max()))
    counted = health.histogram(values)
    assert counted.counts.sum() == values.size and np.abs(counted.counts - reference).sum() <= 2
    np.testing.assert_allclose(counted.edges, edges, atol=1e-5)
    values[0, :3] = [np.nan, np.inf, -np.inf]
    assert health.histogram(values).counts.sum() == values.size - 3
    assert health.histogram(np.array([2.0, 2.0])).counts.sum() == 2  # one value: a bin around it
    assert health.histogram(np.array([np.nan])).counts.sum() == 1  # nothing finite: a zero, not an error


def test_a_diagnosis_names_vanishing_gradients_only_where_the_figures_show_them():
    from dnngui.core.health import diagnosis

    healthy = diagnosis([0.002, 0.01, 0.03])  # a ReLU 256-128 network: the first layer a fifteenth of the last
    assert "vanishing" not in healthy and "15 times the first's" in healthy
    fan = diagnosis([1e-6, 1e-5, 1e-4, 1e-3, 6e-3])  # six sigmoid layers
    assert "6,000 times smaller than the last's (vanishing gradients)" in fan
    zigzag = diagnosis([1e-5, 1e-3, 1e-4, 1e-2])  # not growing layer by layer: no fan
    assert "vanishing" not in zigzag
    dead = diagnosis([1e-7, 1e-3, 1e-2], dead=[0.9, 0.2])
    assert "90% of layer 1's units are dead" in dead and "vanishing" not in dead
    assert "exploding" in diagnosis([1.0, 0.1, 0.001])
    assert "20% of layer 2's units are saturated" in diagnosis([0.01, 0.01], saturated=[0.0, 0.2])
