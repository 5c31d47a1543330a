import numpy as np
import pytest

from dnngui.core import optimizers


def quadratic_descent(opt, steps=300):
    """Minimise J = ½‖W − 3‖² from W = 0 with the optimiser; return W."""
    params = {"W1": np.zeros((2, 2)), "b1": np.zeros((2, 1))}
    for _ in range(steps):
        grads = {k: (v - 3.0) for k, v in params.items()}
        opt.step(params, grads)
    return params


@pytest.mark.parametrize("name", optimizers.OPTIMIZERS)
def test_each_optimizer_reaches_the_minimum(name):
    params = quadratic_descent(optimizers.make(name, lr=0.05))
    for P in params.values():
        np.testing.assert_allclose(P, 3.0, atol=1e-2)


def test_sgd_step_is_lr_times_gradient():
    opt = optimizers.make("sgd", lr=0.5)
    params = {"W1": np.array([[1.0]])}
    opt.step(params, {"W1": np.array([[2.0]])})
    assert params["W1"][0, 0] == pytest.approx(0.0)


def test_momentum_accumulates_velocity():
    opt = optimizers.make("momentum", lr=0.1, momentum=0.9)
    params = {"W1": np.array([[0.0]])}
    for _ in range(2):
        opt.step(params, {"W1": np.array([[1.0]])})
    # v1 = −0.1, v2 = 0.9·(−0.1) − 0.1 = −0.19; W = v1 + v2
    assert params["W1"][0, 0] == pytest.approx(-0.29)


def test_adam_first_step_is_lr_in_the_gradient_direction():
    opt = optimizers.make("adam", lr=0.01)
    params = {"W1": np.array([[0.0, 0.0]])}
    opt.step(params, {"W1": np.array([[5.0, -0.001]])})
    np.testing.assert_allclose(params["W1"], [[-0.01, 0.01]], rtol=1e-3)


def test_weight_decay_shrinks_weights_not_biases():
    opt = optimizers.make("sgd", lr=0.1, weight_decay=0.5)
    params = {"W1": np.array([[2.0]]), "b1": np.array([[2.0]])}
    opt.step(params, {"W1": np.array([[0.0]]), "b1": np.array([[0.0]])})
    assert params["W1"][0, 0] == pytest.approx(2.0 - 0.1 * 0.5 * 2.0)
    assert params["b1"][0, 0] == 2.0


@pytest.mark.parametrize("name", optimizers.OPTIMIZERS)
def test_rates_freeze_some_arrays_and_speed_up_others(name):
    """rates: 0 leaves an array as it was; 2 moves it twice as far on the first step as the rate 1 does."""
    opt = optimizers.make(name, lr=0.01, rates={"W1": 0.0, "W2": 2.0})
    params = {"W1": np.array([[1.0]]), "W2": np.array([[1.0]]), "b2": np.array([[1.0]])}
    opt.step(params, {k: np.array([[4.0]]) for k in params})
    assert params["W1"][0, 0] == 1.0
    assert 1.0 - params["W2"][0, 0] == pytest.approx(2 * (1.0 - params["b2"][0, 0]))
    assert params["b2"][0, 0] < 1.0


@pytest.mark.parametrize("weight_decay", [0.0, 0.01])
def test_adams_in_place_step_is_the_equations(weight_decay):
    """Adam.step reuses arrays and folds its corrections together; over 50 steps it stays on adam_step's path."""
    rng = np.random.default_rng(0)
    W = rng.normal(size=(4, 3))
    params = {"W1": W.copy(), "b1": np.zeros((4, 1))}
    opt = optimizers.make("adam", lr=0.01, weight_decay=weight_decay)
    m = v = np.zeros_like(W)
    for t in range(1, 51):
        g = rng.normal(size=W.shape) * 10.0 ** rng.integers(-4, 2)
        opt.step(params, {"W1": g.copy(), "b1": np.zeros((4, 1))})
        W, m, v = optimizers.adam_step(W, g + weight_decay * W, m, v, t, lr=0.01)
        np.testing.assert_allclose(params["W1"], W, rtol=1e-12, atol=1e-12)
    assert not np.allclose(W, 0.0)
