"""`DataAdapter`: turns the `x` and `y` given to fit/evaluate/predict into batches.

Accepted forms:
- a list or 1-D numpy object array of data models (a tuple of data models per
  sample for programs with several inputs), with `y` the same length;
- a dict `{input_name: array}` for programs with several inputs;
- a Python generator (or any iterator) of batches: each item is
  `(x_batch, y_batch)`, `(x_batch,)` or `x_batch`;
- a `synalinks.datasets.Dataset`, read again from its start at each epoch.
"""

import math
import random

from synalinks.datasets.dataset import Dataset
from synalinks.utils.checks import check_positive_int


def _is_iterator(data):
    return hasattr(data, "__next__") and not isinstance(data, (list, tuple, dict, str, bytes))


def _as_list(data, name):
    if data is None:
        return None
    if hasattr(data, "tolist") and hasattr(data, "dtype"):  # numpy array
        if data.ndim != 1:
            raise ValueError(f"`{name}` must be a 1-D array of data models, got shape {data.shape}.")
        return list(data)
    if isinstance(data, (str, bytes)) or not hasattr(data, "__len__"):
        raise TypeError(f"`{name}` must be a list or 1-D numpy object array of data models, got {type(data).__name__}.")
    return list(data)


def _from_dict(data, name, input_names):
    if input_names is None:
        raise TypeError(f"`{name}` is a dict, which needs a functional program whose inputs are named.")
    if set(data) != set(input_names):
        raise ValueError(f"`{name}` has keys {sorted(data)}, but the program's inputs are named {list(input_names)}.")
    columns = [_as_list(data[key], f"{name}[{key!r}]") for key in input_names]
    lengths = {len(column) for column in columns}
    if len(lengths) > 1:
        raise ValueError(
            f"The arrays of `{name}` have different lengths: { {k: len(c) for k, c in zip(input_names, columns)} }."
        )
    return [tuple(values) for values in zip(*columns)]


class DataAdapter:
    """Batches of `(x_batch, y_batch)` for one epoch at a time.

    Args:
        x: The inputs (see the module docstring for the forms).
        y: The targets, for array and dict data.
        batch_size: Samples per batch (array and dict data).
        shuffle: Shuffle the order at every epoch (array and dict data).
        rng: The `random.Random` used for shuffling.
        steps_per_epoch: Batches per epoch; by default all the data (for an
            iterator: until it is exhausted).
        input_names: The program's input names, to read dict data.
    """

    def __init__(self, x, y=None, batch_size=32, shuffle=False, rng=None, steps_per_epoch=None, input_names=None):
        check_positive_int(batch_size, "batch_size", allow_none=True)
        check_positive_int(steps_per_epoch, "steps_per_epoch", allow_none=True)
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.steps_per_epoch = steps_per_epoch
        self._random = rng or random.Random()
        self._iterator = None
        if x is None:
            raise ValueError("No data: pass `x`, a list or numpy array of data models.")
        self._dataset = None
        if isinstance(x, Dataset):
            if y is not None:
                raise ValueError("With a Dataset, give no `y`: its rows give the targets (`output_data_model`).")
            self._dataset = x
            self._iterator = iter(())  # replaced by a fresh pass over the dataset at each epoch
            self.x = self.y = None
            return
        if _is_iterator(x):
            if y is not None:
                raise ValueError("With a generator of batches, give no `y`: yield (x_batch, y_batch) pairs instead.")
            self._iterator = x
            self.x = self.y = None
            return
        self.x = _from_dict(x, "x", input_names) if isinstance(x, dict) else _as_list(x, "x")
        self.y = _as_list(y, "y")
        if not self.x:
            raise ValueError("`x` is empty: there is no sample to run on.")
        if self.y is not None and len(self.y) != len(self.x):
            raise ValueError(
                f"`x` and `y` must have the same length, got {len(self.x)} inputs and {len(self.y)} targets."
            )
        if self.batch_size is None:
            self.batch_size = len(self.x)

    @property
    def is_iterator(self):
        return self._iterator is not None

    @property
    def num_batches(self):
        """Batches per epoch, or None when unknown (an iterator without `steps_per_epoch`)."""
        if self.is_iterator:
            return self.steps_per_epoch
        total = math.ceil(len(self.x) / self.batch_size)
        return min(total, self.steps_per_epoch) if self.steps_per_epoch else total

    def split(self, fraction):
        """Keeps the first `1 - fraction` of the samples and returns the rest as `(x_val, y_val)`."""
        if self.is_iterator:
            raise ValueError("`validation_split` needs array data, not a generator: pass `validation_data` instead.")
        if not 0.0 < fraction < 1.0:
            raise ValueError(f"`validation_split` must be between 0 and 1 (excluded), got {fraction!r}.")
        cut = len(self.x) - max(1, int(round(len(self.x) * fraction)))
        if cut < 1:
            raise ValueError(f"`validation_split={fraction}` leaves no training sample out of {len(self.x)}.")
        validation = (self.x[cut:], self.y[cut:] if self.y is not None else None)
        self.x, self.y = self.x[:cut], (self.y[:cut] if self.y is not None else None)
        return validation

    def get_rng_state(self):
        """The shuffling generator's state, as JSON (taken at the start of an epoch to replay its order)."""
        version, internal, gauss = self._random.getstate()
        return [version, list(internal), gauss]

    def set_rng_state(self, state):
        version, internal, gauss = state
        self._random.setstate((version, tuple(internal), gauss))

    def batches(self, skip=0):
        """Yields `(x_batch, y_batch)` lists for one epoch (`y_batch` is None when there is no `y`).

        Args:
            skip: Batches to leave out at the start (already done before a resume).
        """
        if self.is_iterator:
            for step, batch in enumerate(self._iterator_batches()):
                if step >= skip:
                    yield batch
            return
        order = list(range(len(self.x)))
        if self.shuffle:
            self._random.shuffle(order)
        for step, start in enumerate(range(0, len(order), self.batch_size)):
            if self.steps_per_epoch and step >= self.steps_per_epoch:
                return
            if step < skip:
                continue
            indices = order[start : start + self.batch_size]
            yield [self.x[i] for i in indices], ([self.y[i] for i in indices] if self.y is not None else None)

    def _iterator_batches(self):
        if self._dataset is not None:
            self._iterator = iter(self._dataset)
        step = 0
        while self.steps_per_epoch is None or step < self.steps_per_epoch:
            try:
                item = next(self._iterator)
            except StopIteration:
                return
            if isinstance(item, tuple) and len(item) == 2:
                x_batch, y_batch = item
            elif isinstance(item, tuple) and len(item) == 1:  # an inputs-only batch, `(x_batch,)`
                x_batch, y_batch = item[0], None
            else:
                x_batch, y_batch = item, None
            x_batch = _as_list(x_batch, "x batch")
            y_batch = _as_list(y_batch, "y batch")
            if y_batch is not None and len(y_batch) != len(x_batch):
                raise ValueError(f"A generated batch has {len(x_batch)} inputs and {len(y_batch)} targets.")
            step += 1
            yield x_batch, y_batch
