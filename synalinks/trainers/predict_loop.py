"""`PredictLoop`: `predict`, in memory or streamed to a JSON Lines file that a rerun continues."""

import asyncio

from synalinks.trainers.data_adapter import DataAdapter
from synalinks.trainers.prediction_file import PredictionFile
from synalinks.utils.async_utils import run_maybe_sync
from synalinks.utils.sample_failures import failures_summed_up


class PredictLoop:
    """Running the program on inputs with no target: a mixin of `Trainer`."""

    def predict(self, x, batch_size=32, verbose="auto", callbacks=None, steps=None, predict_to=None):
        """Runs the program on every sample of `x`.

        Args:
            x: The inputs: a list or array of data models, a generator of
                batches, or a `synalinks.datasets.Dataset` (streamed).
            batch_size: Samples per batch (at most this many run at once).
            verbose, callbacks, steps: As for `evaluate`.
            predict_to: A JSON Lines file to write the outputs to as they
                finish, one line per input record in input order (`null`
                where the program produced nothing), instead of keeping them
                in memory. When the file exists, its records are not run
                again: a run started again after a crash continues it. Only
                a file predict wrote for the same program and inputs is
                continued (`PredictionFileError` otherwise, the file left as
                it is), and one writer at a time (`PredictionFileLockedError`).

        Returns:
            A numpy object array of outputs (`JsonDataModel`, or None where
            the program produced nothing); with `predict_to`, the number of
            records the file holds.

        Example:

        ```python
        predictions = program.predict(x_test, batch_size=32)
        predictions[0].get_json()  # {"answer": "..."}
        ```
        """
        data = DataAdapter(x, batch_size=batch_size, steps_per_epoch=steps, input_names=self._input_names())
        self._check_inputs(data)
        if predict_to is not None:
            prediction_file = PredictionFile(predict_to, self)
            done = prediction_file.open()
            try:
                remaining = DataAdapter(prediction_file.batches_after(data.batches()), batch_size=batch_size)
                callback_list = self._callback_list(callbacks, verbose, remaining)
            except BaseException:
                prediction_file.close()
                raise
            return run_maybe_sync(self._predict_to(remaining, callback_list, prediction_file, done))
        callback_list = self._callback_list(callbacks, verbose, data)
        return run_maybe_sync(self._predict(data, callback_list))

    def predict_on_batch(self, x):
        """The program's outputs on one batch, as `predict` returns them."""
        return self.predict(x, batch_size=None, verbose=0)

    async def _predict_to(self, data, callback_list, prediction_file, done):
        with failures_summed_up("prediction"):
            return await self._predict_batches_to(data, callback_list, prediction_file, done)

    async def _predict_batches_to(self, data, callback_list, prediction_file, done):
        callback_list.on_predict_begin()
        written = done
        try:
            async with self._pipelined(data, callback_list.on_predict_batch_begin) as batches:
                async for step, _, _, y_pred in batches:
                    # In order (one batch at a time), but the disk sync does not hold up the samples.
                    await asyncio.to_thread(prediction_file.write, prediction_file.encode(y_pred))
                    written += len(y_pred)
                    callback_list.on_predict_batch_end(step, {"outputs": y_pred})
        finally:
            prediction_file.close()
        callback_list.on_predict_end()
        return written

    async def _predict(self, data, callback_list):
        with failures_summed_up("prediction"):
            return await self._predict_batches(data, callback_list)

    async def _predict_batches(self, data, callback_list):
        import numpy as np

        callback_list.on_predict_begin()
        outputs = []
        async with self._pipelined(data, callback_list.on_predict_batch_begin) as batches:
            async for step, _, _, y_pred in batches:
                outputs.extend(y_pred)
                callback_list.on_predict_batch_end(step, {"outputs": y_pred})
        callback_list.on_predict_end()
        result = np.empty(len(outputs), dtype=object)
        for index, output in enumerate(outputs):
            result[index] = output
        return result
