import numpy as np
import pytest

from dnngui.core import activations

NAMES = list(activations.ACTIVATIONS)


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_finite_differences(name):
    f = activations.get(name)
    Z = np.linspace(-4, 4, 81).reshape(9, 9) + 0.013  # avoid the kink at exactly 0
    eps = 1e-6
    numeric = (f(Z + eps) - f(Z - eps)) / (2 * eps)
    np.testing.assert_allclose(f.derivative(Z, f(Z)), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", NAMES)
def test_in_place_backprop_equals_the_plain_product(name):
    f = activations.get(name)
    rng = np.random.default_rng(1)
    Z = rng.normal(size=(5, 7))
    A = f(Z)
    dA = rng.normal(size=Z.shape)
    expected = dA * f.derivative(Z, A)
    f.backprop(dA, Z, A, np.empty_like(Z))
    np.testing.assert_allclose(dA, expected, rtol=1e-12)


def test_sigmoid_is_stable_for_huge_inputs():
    Z = np.array([[-1e4, -50.0, 0.0, 50.0, 1e4]], np.float32)
    A = activations.get("sigmoid")(Z)
    assert np.all(np.isfinite(A))
    np.testing.assert_allclose(A[0, [0, 2, 4]], [0.0, 0.5, 1.0])


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(KeyError, match="relu"):
        activations.get("gelu")
