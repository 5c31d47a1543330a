"""The cost history of a training run, as growing NumPy arrays the plots read (no Qt)."""

import numpy as np

SMOOTHING = 0.05  # weight of each new batch in the smoothed cost (an exponential moving average)


class Growing:
    """A float array that grows by appending, without reallocating on every append."""

    def __init__(self):
        self._data = np.empty(1024)
        self._n = 0

    def extend(self, values):
        values = np.asarray(values, float)
        need = self._n + values.size
        if need > self._data.size:
            grown = np.empty(max(need, 2 * self._data.size))
            grown[: self._n] = self._data[: self._n]
            self._data = grown
        self._data[self._n : need] = values
        self._n = need

    @property
    def values(self):
        return self._data[: self._n]

    def __len__(self):
        return self._n


class CostHistory:
    """Batch costs with their position in epochs (1.5 = half-way through epoch 2), a smoothed
    cost, and per-epoch validation cost and accuracy, overall and for each validation set."""

    def __init__(self):
        self.clear()

    def clear(self):
        self.batch_x, self.batch_cost, self.smooth_cost = Growing(), Growing(), Growing()
        self.epoch_x, self.train_cost, self.val_cost = Growing(), Growing(), Growing()
        self.train_accuracy, self.val_accuracy = Growing(), Growing()
        self.set_accuracy = {}  # validation set name → accuracy per epoch (NaN where not measured)
        self._ema = None
        self.epoch_offset = 0  # epochs of earlier runs, when training continues

    def add_batches(self, records, steps):
        if not records:
            return
        x = [self.epoch_offset + r.epoch - 1 + r.step / steps for r in records]
        costs = [r.cost for r in records]
        smooth = []
        for c in costs:
            self._ema = c if self._ema is None else (1 - SMOOTHING) * self._ema + SMOOTHING * c
            smooth.append(self._ema)
        self.batch_x.extend(x)
        self.batch_cost.extend(costs)
        self.smooth_cost.extend(smooth)

    def add_epochs(self, records):
        for r in records:
            self.epoch_x.extend([self.epoch_offset + r.epoch])
            self.train_cost.extend([r.train_cost])
            self.train_accuracy.extend([r.train_accuracy])
            self.val_cost.extend([np.nan if r.val_cost is None else r.val_cost])
            self.val_accuracy.extend([np.nan if r.val_accuracy is None else r.val_accuracy])
            measured = {name: accuracy for name, _, accuracy in r.val_by_set}
            for name in measured:
                if name not in self.set_accuracy:
                    self.set_accuracy[name] = Growing()
                    self.set_accuracy[name].extend(np.full(len(self.epoch_x) - 1, np.nan))
            for name, values in self.set_accuracy.items():
                values.extend([measured.get(name, np.nan)])

    def continue_after(self):
        """Count the next run's epochs after this one's."""
        if len(self.epoch_x):
            self.epoch_offset = int(self.epoch_x.values[-1])
