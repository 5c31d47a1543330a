"""A run's cost history as the plots read it (dnngui.noqt.history)."""

import numpy as np

from dnngui.core.trainer import BatchDone, EpochDone
from dnngui.noqt.history import CostHistory, Growing


def test_a_growing_array_keeps_every_value_past_its_first_room():
    growing = Growing()
    for start in range(0, 5000, 700):
        growing.extend(np.arange(start, start + 700))
    assert len(growing) == 5600 and growing.values.tolist() == list(range(5600))


def test_batches_sit_at_their_place_in_the_epochs_and_the_smoothed_cost_follows():
    history = CostHistory()
    history.add_batches([BatchDone(1, 2, s, 4, 1.0, 0.1) for s in range(1, 5)], 4)
    history.add_batches([BatchDone(2, 2, s, 4, 0.0, 0.1) for s in range(1, 5)], 4)
    assert history.batch_x.values.tolist() == [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]
    smooth = history.smooth_cost.values
    assert smooth[3] == 1.0 and np.all(np.diff(smooth[4:]) < 0) and smooth[-1] > 0  # falls, but smoothly


def test_a_set_measured_from_a_later_epoch_on_is_blank_before_it():
    history = CostHistory()
    history.add_epochs([EpochDone(1, 3, 1.0, 0.5, 0.9, 0.6, (("MNIST validation", 0.9, 0.6),))])
    history.add_epochs([EpochDone(2, 3, 0.8, 0.7, 0.7, 0.8, (("MNIST validation", 0.7, 0.8), ("UCI", 0.6, 0.9)))])
    assert history.set_accuracy["MNIST validation"].values.tolist() == [0.6, 0.8]
    uci = history.set_accuracy["UCI"].values
    assert np.isnan(uci[0]) and uci[1] == 0.9


def test_a_continued_run_counts_its_epochs_after_the_last_ones():
    history = CostHistory()
    history.add_epochs([EpochDone(e, 3, 1.0, 0.5, None, None) for e in (1, 2, 3)])
    history.continue_after()
    history.add_epochs([EpochDone(1, 2, 0.5, 0.8, None, None)])
    assert history.epoch_x.values.tolist() == [1, 2, 3, 4] and np.isnan(history.val_cost.values).all()
