"""Layers' units and weight tiles as one picture, and colour levels that change rarely (dnngui.noqt.mosaic)."""

import numpy as np

from dnngui.noqt.mosaic import StickyLevels, near_square, tiles, unit_grid


def test_units_fill_a_near_square_grid_and_the_empty_cells_are_blank():
    assert near_square(16) == (4, 4) and near_square(10) == (3, 4) and near_square(1) == (1, 1)
    grid = unit_grid(np.arange(10))
    assert grid.shape == (3, 4)
    assert grid.reshape(-1)[:10].tolist() == list(range(10)) and np.isnan(grid.reshape(-1)[10:]).all()


def test_tiles_keep_each_picture_whole_with_a_gap_between():
    images = np.arange(5 * 2 * 3, dtype=float).reshape(5, 2, 3)
    mosaic = tiles(images, gap=1)
    assert mosaic.shape == (2 * 3 - 1, 3 * 4 - 1)  # 2 rows and 3 columns of 2×3 pictures
    np.testing.assert_array_equal(mosaic[:2, 4:7], images[1])  # the second picture, right of the first
    np.testing.assert_array_equal(mosaic[3:5, :3], images[3])  # the fourth starts the second row
    assert np.isnan(mosaic[2]).all() and np.isnan(mosaic[3:5, 8:]).all()  # the gap, and the empty cell


def test_sticky_levels_widen_at_once_and_narrow_only_when_the_data_shrink_a_lot():
    levels = StickyLevels()
    first, changed = levels.update(0.0, 1.0)
    assert changed and first[0] == 0.0 and first[1] > 1.0
    assert levels.update(0.1, 0.9) == (first, False)  # most updates keep the bar as it is
    wider, changed = levels.update(0.0, 2.0)
    assert changed and wider[1] >= 2.0
    narrow, changed = levels.update(0.0, 0.5)
    assert changed and 0.5 <= narrow[1] < 1.0
    (low, high), _ = StickyLevels(symmetric=True).update(-0.2, 0.5)
    assert low == -high and high >= 0.5
