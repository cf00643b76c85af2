"""`EpochIterator`: the batches of one epoch of `fit`, from where a resumed run stopped, grouped into
executions of `steps_per_execution` batches (as Keras' `epoch_iterator.py`)."""

import warnings


class EpochIterator:
    """Walks the training batches of an epoch for `fit`.

    Args:
        data: The training `DataAdapter`.
        steps_per_execution: Batches run between two `on_train_batch_*` callbacks.

    Example:

    ```python
    from synalinks.trainers.data_adapter import DataAdapter

    data = DataAdapter(x, y, batch_size=2)
    iterator = EpochIterator(data, steps_per_execution=2)
    for step, x_batch, y_batch, begins, ends in iterator.steps(skip=0):
        print(step, len(x_batch), begins, ends)
    ```
    """

    def __init__(self, data, steps_per_execution=1):
        self.data = data
        self.steps_per_execution = steps_per_execution

    def steps(self, skip=0):
        """Yields `(step, x_batch, y_batch, begins, ends)` for the batches after the first `skip` (a run
        resumed mid-epoch); `begins` / `ends` say whether the batch opens / closes an execution (when
        `on_train_batch_begin` / `on_train_batch_end` are called)."""
        last = self.data.num_batches
        for step, (x_batch, y_batch) in enumerate(self.data.batches(skip=skip), start=skip):
            if y_batch is None:
                raise ValueError("Each generated batch must be an (x_batch, y_batch) pair for fit().")
            begins = step % self.steps_per_execution == 0
            ends = (step + 1) % self.steps_per_execution == 0 or step + 1 == last
            yield step, x_batch, y_batch, begins, ends

    @staticmethod
    def warn_out_of_data(epoch):
        """Warns that the data ran out before epoch `epoch` (counted from 0) had a batch."""
        warnings.warn(
            f"Your input ran out of data at epoch {epoch + 1}: training stops. With a generator, "
            "give steps_per_epoch and make sure it yields steps_per_epoch * epochs batches.",
            stacklevel=3,
        )
