"""`EvaluateLoop`: `evaluate` and `test_on_batch`, scoring the program against targets."""

from synalinks.trainers.data_adapter import DataAdapter
from synalinks.utils.async_utils import gather_all_or_none, run_maybe_sync
from synalinks.utils.sample_failures import failures_summed_up


class EvaluateLoop:
    """Scoring without training: a mixin of `Trainer`.

    The samples run pipelined across batches; the reward and the compiled
    metrics accumulate batch by batch, as during `fit`.
    """

    async def _evaluate(self, data, callback_list):
        with failures_summed_up("evaluation"):
            return await self._evaluate_batches(data, callback_list)

    async def _evaluate_batches(self, data, callback_list):
        self.reset_metrics()
        callback_list.on_test_begin()
        logs = {}
        async with self._pipelined(data, callback_list.on_test_batch_begin) as batches:
            async for step, _, y_batch, y_pred in batches:
                if y_batch is None:
                    raise ValueError("Each generated batch must be an (x_batch, y_batch) pair for evaluation.")
                await self._score_batch(y_batch, y_pred)
                logs = self.get_metrics_result()
                callback_list.on_test_batch_end(step, logs)
        callback_list.on_test_end(logs)
        return logs

    def evaluate(self, x=None, y=None, batch_size=32, verbose="auto", callbacks=None, return_dict=True, steps=None):
        """Runs the program on `x` and scores it against `y`.

        Returns:
            A dict `{"reward": ..., metric_name: ...}` (with `return_dict=False`,
            the list of values in that order).

        Example:

        ```python
        metrics = program.evaluate(x=x_test, y=y_test, batch_size=32)
        ```
        """
        self._check_compiled("evaluate()")
        data = DataAdapter(x, y, batch_size=batch_size, steps_per_epoch=steps, input_names=self._input_names())
        if not data.is_iterator and data.y is None:
            raise ValueError("evaluate() needs targets `y` to compute rewards.")
        self._check_inputs(data)
        self._check_targets(data)
        callback_list = self._callback_list(callbacks, verbose, data)
        return run_maybe_sync(self._evaluate_entry(data, callback_list, return_dict))

    async def _evaluate_entry(self, data, callback_list, return_dict):
        logs = await self._evaluate(data, callback_list)
        self._log_lm_usage("evaluate")
        return logs if return_dict else list(logs.values())

    def test_on_batch(self, x, y, return_dict=False):
        """Scores the program on one batch (no update); returns the metrics like `train_on_batch`."""
        self._check_compiled("test_on_batch()")
        data = DataAdapter(x, y, batch_size=None, input_names=self._input_names())
        self._check_inputs(data)
        self._check_targets(data)
        return run_maybe_sync(self._batch_result(self._test_batch(data), return_dict))

    async def _test_batch(self, data):
        self.reset_metrics()
        y_pred = await gather_all_or_none([self(sample) for sample in data.x])
        await self._score_batch(data.y, y_pred)
        return self.get_metrics_result()
