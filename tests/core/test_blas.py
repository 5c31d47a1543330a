"""core.blas: how many threads NumPy's OpenBLAS uses can be read and set, and restored."""

import numpy as np
import pytest

from dnngui.core import blas


def test_the_thread_count_can_be_set_and_restored_and_products_stay_right():
    before = blas.threads()
    if before is None:
        pytest.skip("NumPy here is not built on OpenBLAS")
    a = np.random.default_rng(0).standard_normal((300, 300))
    expected = a @ a
    try:
        assert blas.set_threads(1) and blas.threads() == 1
        np.testing.assert_allclose(a @ a, expected, rtol=1e-10)
    finally:
        blas.set_threads(before)
    assert blas.threads() == before and blas.default_threads() >= 1
