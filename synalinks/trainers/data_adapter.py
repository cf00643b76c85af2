"""`DataAdapter`: turns the `x` and `y` given to fit/evaluate/predict into batches."""

import math
import random


def _as_list(data, name):
    if data is None:
        return None
    if hasattr(data, "tolist") and hasattr(data, "dtype"):  # numpy array
        if data.ndim != 1:
            raise ValueError(f"`{name}` must be a 1-D array of data models, got shape {data.shape}.")
        return list(data)
    if isinstance(data, (str, bytes, dict)) or not hasattr(data, "__len__"):
        raise TypeError(f"`{name}` must be a list or 1-D numpy object array of data models, got {type(data).__name__}.")
    return list(data)


class DataAdapter:
    """Splits samples `x` (and targets `y`) into batches, shuffled per epoch if asked.

    Args:
        x: The inputs: a list or 1-D numpy object array of data models (a
            tuple of data models per sample for multi-input programs).
        y: The targets, same length as `x` (optional).
        batch_size: Samples per batch.
        shuffle: Shuffle the order at every epoch.
        seed: Seed of the shuffling.
    """

    def __init__(self, x, y=None, batch_size=32, shuffle=False, seed=None):
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
            raise ValueError(f"`batch_size` must be a positive integer, got {batch_size!r}.")
        self.x = _as_list(x, "x")
        self.y = _as_list(y, "y")
        if self.x is None:
            raise ValueError("No data: pass `x`, a list or numpy array of data models.")
        if not self.x:
            raise ValueError("`x` is empty: there is no sample to run on.")
        if self.y is not None and len(self.y) != len(self.x):
            raise ValueError(
                f"`x` and `y` must have the same length, got {len(self.x)} inputs and {len(self.y)} targets."
            )
        self.batch_size = batch_size
        self.shuffle = shuffle
        self._random = random.Random(seed)

    @property
    def num_batches(self):
        return math.ceil(len(self.x) / self.batch_size)

    def batches(self):
        """Yields `(x_batch, y_batch)` lists (`y_batch` is None when there is no `y`)."""
        order = list(range(len(self.x)))
        if self.shuffle:
            self._random.shuffle(order)
        for start in range(0, len(order), self.batch_size):
            indices = order[start : start + self.batch_size]
            x_batch = [self.x[i] for i in indices]
            y_batch = [self.y[i] for i in indices] if self.y is not None else None
            yield x_batch, y_batch
