"""`Trainer`: the `compile` / `fit` / `evaluate` / `predict` part of a program."""

import asyncio
import contextlib
import logging
import random
import sys

from synalinks.callbacks.callback_list import CallbackList
from synalinks.language_models.call_budget import BudgetExceededError, CallBudget
from synalinks.modules.trace import run_traced
from synalinks.optimizers.optimizer import Optimizer
from synalinks.saving.serialization import deserialize, serialize
from synalinks.saving.variables_payload import assign_variables_payload, variables_payload
from synalinks.trainers.batch_pipeline import pipelined_batches
from synalinks.trainers.compile_utils import CompiledReward, check_metrics, update_metrics
from synalinks.trainers.data_adapter import DataAdapter
from synalinks.trainers.epoch_iterator import EpochIterator
from synalinks.trainers.fit_interruption import FitInterruption
from synalinks.trainers.input_checks import check_inputs, check_targets
from synalinks.trainers.prediction_file import PredictionFile
from synalinks.trainers.prefetch import prefetched
from synalinks.trainers.termination_signal import TerminationSignal
from synalinks.trainers.training_progress import TrainingProgress, check_position
from synalinks.utils.async_utils import gather_all_or_none, run_maybe_sync
from synalinks.utils.checks import check_positive_int
from synalinks.utils.sample_failures import failures_summed_up

logger = logging.getLogger("synalinks")


class Trainer:
    """Adds `compile`, `fit`, `evaluate` and `predict` to `Program`.

    `fit`, `evaluate` and `predict` work both from synchronous code
    (`program.fit(...)`) and inside a coroutine (`await program.fit(...)`).
    """

    def __init__(self):
        self._compiled = False
        self._compiled_reward = CompiledReward()
        self._optimizer = None
        self._compiled_metrics = []
        self._steps_per_execution = 1
        self.run_eagerly = False
        self.stop_training = False
        self.history = None
        self.checkpoint_info = {}
        self.progress = TrainingProgress()
        # The CallbackList of the training run in progress (it registers itself at on_train_begin):
        # whose states get_training_state collects.
        self.training_callbacks = None
        self._call_budget = None

    # Compiling

    def compile(
        self,
        optimizer=None,
        reward=None,
        reward_weights=None,
        metrics=None,
        run_eagerly=False,
        steps_per_execution=1,
        failure_reward=0.0,
    ):
        """Sets how the program is scored and trained (Keras' and Synalinks' argument order).

        Args:
            optimizer: A `synalinks.optimizers.Optimizer`, e.g. `RandomFewShot()`.
            reward: A `synalinks.rewards.Reward`, or a function
                `(y_true, y_pred) -> float` (wrapped in `RewardFunctionWrapper`).
            reward_weights: A number the reward is multiplied by (or a list
                holding one number), as Keras' `loss_weights`.
            metrics: A list of `synalinks.metrics.Metric`s, reported in the logs
                under their names (and `val_` + name for validation).
            run_eagerly: Accepted for Keras and Synalinks code; programs always
                run eagerly (there is no graph to compile).
            steps_per_execution: The default of `fit(steps_per_execution=...)`.
            failure_reward: The reward of a sample for which the program gave
                no output (its LM calls failed); such samples are also counted
                in the `failures` log.

        Example:

        ```python
        program.compile(
            optimizer=synalinks.optimizers.RandomFewShot(),
            reward=synalinks.rewards.ExactMatch(in_mask=["answer"]),
            metrics=[synalinks.metrics.Accuracy(in_mask=["answer"])],
        )
        ```
        """
        compiled_reward = CompiledReward(reward, reward_weights, failure_reward)
        if optimizer is not None and not isinstance(optimizer, Optimizer):
            raise TypeError(f"`optimizer` must be a synalinks Optimizer, e.g. RandomFewShot(), got {optimizer!r}.")
        check_positive_int(steps_per_execution, "steps_per_execution")
        metrics = check_metrics(metrics)
        for metric in metrics:
            if hasattr(metric, "set_program"):  # metrics that read the program itself, e.g. LMUsageMetric
                metric.set_program(self)
        self._compiled_reward = compiled_reward
        self._optimizer = optimizer
        self._compiled_metrics = metrics
        self.run_eagerly = bool(run_eagerly)
        self._steps_per_execution = steps_per_execution
        self._compiled = True

    @property
    def compiled(self):
        return self._compiled

    @property
    def reward(self):
        return self._compiled_reward.reward

    @property
    def optimizer(self):
        return self._optimizer

    @property
    def metrics(self):
        """The reward tracker (`reward`), the failure counter (`failures`) and the compiled metrics."""
        return [self._compiled_reward.tracker, self._compiled_reward.failure_counter, *self._compiled_metrics]

    def get_compile_config(self):
        """The arguments of `compile` as JSON, or None when not compiled."""
        if not self._compiled:
            return None
        return {
            "optimizer": serialize(self._optimizer),
            "reward": serialize(self._compiled_reward.reward),
            "reward_weights": None if self._compiled_reward.weight == 1.0 else self._compiled_reward.weight,
            "metrics": [serialize(metric) for metric in self._compiled_metrics],
            "run_eagerly": self.run_eagerly,
            "steps_per_execution": self._steps_per_execution,
            "failure_reward": self._compiled_reward.failure_reward,
        }

    def compile_from_config(self, config, custom_objects=None):
        """Compiles the program from `get_compile_config()`'s output."""
        self.compile(
            reward=deserialize(config.get("reward"), custom_objects=custom_objects),
            optimizer=deserialize(config.get("optimizer"), custom_objects=custom_objects),
            reward_weights=config.get("reward_weights"),
            metrics=[deserialize(metric, custom_objects=custom_objects) for metric in config.get("metrics", [])],
            run_eagerly=config.get("run_eagerly", False),
            steps_per_execution=config.get("steps_per_execution", 1),
            failure_reward=config.get("failure_reward", 0.0),
        )

    def reset_metrics(self):
        for metric in self.metrics:
            metric.reset_state()

    def get_metrics_result(self):
        return {metric.name: metric.result() for metric in self.metrics}

    # The training state

    def get_training_state(self):
        """Everything that decides what `fit` does next, as JSON.

        The position in training (`progress`), the variables, the optimizer's
        state, the metrics' accumulated state and the state of the running
        callbacks (`ProgramCheckpoint`, `EarlyStopping`, the `History`, ...),
        each under its `state_key`. `BackupAndRestore` saves it during `fit`.
        """
        return {
            "position": self.progress.get_state(),
            "variables": variables_payload(self),
            "optimizer_state": self._optimizer.get_state() if self._optimizer is not None else None,
            "metric_states": [metric.get_state() for metric in self.metrics],
            "callback_states": self.training_callbacks.get_state() if self.training_callbacks is not None else {},
        }

    def set_training_state(self, state, source="the training state"):
        """Puts back a `get_training_state()` output; the running `fit` goes on from its position.

        Raises:
            ValueError: naming `source` and what does not fit (another architecture, a malformed part).
        """
        try:
            check_position(state.get("position"))
        except ValueError as error:
            raise ValueError(f"'{source}' is damaged: {error}") from None
        assign_variables_payload(self, state["variables"], source)
        if state.get("optimizer_state") and self._optimizer is not None:
            self._optimizer.set_state(state["optimizer_state"])
        if state["position"]["step"] > 0:  # mid-epoch: the epoch's metrics go on accumulating
            for metric, metric_state in zip(self.metrics, state.get("metric_states") or []):
                metric.set_state(metric_state)
        if self.training_callbacks is not None:
            self.training_callbacks.set_state(state.get("callback_states") or {})
        self.progress.set_state(state["position"])

    # Running

    def _log_lm_usage(self, what):
        for model, usage in self.lm_usage().items():
            logger.info(
                "%s: %s made %d calls (%d cache hits, %d failures), %d prompt and %d completion tokens, $%.4f",
                what,
                model,
                usage["calls"],
                usage["cache_hits"],
                usage["failures"],
                usage["prompt_tokens"],
                usage["completion_tokens"],
                usage["cost"],
            )

    def _callback_list(self, callbacks, verbose, data, epochs=1, add_history=False):
        return CallbackList(
            callbacks,
            add_history=add_history,
            add_progbar=verbose != 0,
            program=self,
            verbose=1 if verbose == "auto" else verbose,
            epochs=epochs,
            steps=data.num_batches,
        )

    def _check_compiled(self, what):
        if not self._compiled:
            raise RuntimeError(
                f"Compile the program before calling {what}: program.compile(reward=..., optimizer=...)."
            )
        if self._compiled_reward.reward is None:
            raise RuntimeError(f"{what} needs a reward: program.compile(reward=synalinks.rewards.ExactMatch(), ...).")

    def _pipelined(self, data, on_batch_begin):
        """The batches of `data` with their outputs, samples running across batch boundaries
        (at most a batch's worth at once)."""
        window = data.batch_size or 1
        # Batches of a stream (a file dataset, a generator) are read ahead in a thread; slices of a list are free.
        batches = prefetched(data.batches()) if data.is_iterator else data.batches()
        return contextlib.aclosing(pipelined_batches(batches, self, window, on_batch_begin))

    async def _score_batch(self, y_batch, y_pred):
        rewards = await self.compute_rewards(y_batch, y_pred)
        await self.compute_metrics(y_batch, y_pred, rewards)
        return rewards

    async def compute_rewards(self, y_true, y_pred):
        """The reward of each prediction of a batch (weighted; `failure_reward` for a failed one).

        `synalinks.distributed.evaluate` calls it on its workers.
        """
        return await self._compiled_reward.rewards(y_true, y_pred)

    async def compute_metrics(self, y_true, y_pred, rewards):
        """Adds a batch to the reward, the failure count and the compiled metrics (in this order, as
        `evaluate` does, so the same batches give the same figures wherever the rewards were computed)."""
        self._compiled_reward.track(rewards, y_pred)
        await update_metrics(self._compiled_metrics, y_true, y_pred)

    async def score_samples(self, samples):
        """Runs the program on `(x, y)` pairs and returns their rewards, leaving the metrics alone
        (the optimizer's candidate trials)."""
        y_pred = await gather_all_or_none([self(x) for x, _ in samples])
        return await self.compute_rewards([y for _, y in samples], y_pred)

    async def _train_batch(self, x_batch, y_batch):
        results = await gather_all_or_none([run_traced(self, x, training=True) for x in x_batch])
        y_pred = [prediction for prediction, _ in results]
        traces = [trace for _, trace in results]
        rewards = await self._score_batch(y_batch, y_pred)
        if self._optimizer is not None:
            await self._optimizer_work(self._optimizer.optimize(self.trainable_variables, traces, rewards, y_batch))
        return self.get_metrics_result()

    async def _optimizer_work(self, work):
        """Runs an optimizer step, adding the LM calls it asks for to `optimizer.calls`."""
        budget = self._call_budget
        if budget is None:
            return await work
        before = budget.optimizer_requests
        try:
            with budget.optimizer_work():
                return await work
        finally:
            self._optimizer.calls += budget.optimizer_requests - before

    def _input_names(self):
        return [spec["name"] for spec in self.get_input_specs()] or None

    def _check_inputs(self, data, what="x"):
        check_inputs(self.get_input_specs(), data, what)

    def _check_targets(self, data):
        check_targets(self.get_output_schema(), data)

    def fit(
        self,
        x=None,
        y=None,
        batch_size=32,
        epochs=1,
        verbose="auto",
        callbacks=None,
        validation_split=0.0,
        validation_data=None,
        shuffle=True,
        initial_epoch=0,
        steps_per_epoch=None,
        validation_batch_size=None,
        validation_freq=1,
        steps_per_execution=None,
        seed=None,
        max_calls=None,
        max_cost=None,
        validation_steps=None,
        trial_runner=None,
    ):
        """Trains the program's variables on `x`, `y` for `epochs` epochs.

        For each batch, the program runs on every sample concurrently, the
        reward scores each prediction against its target, and the optimizer
        updates the trainable variables. When asked (`validation_freq`), the
        validation data is evaluated at the end of the epoch and its logs get a
        `val_` prefix. A sample whose program failed (no output) gets the
        `failure_reward` of `compile` and is counted in the `failures` log.

        Args:
            x: Inputs: a list or numpy object array of data models (tuples for
                several inputs), a dict `{input_name: array}`, or a generator
                of `(x_batch, y_batch)` batches.
            y: Targets: data models, same length as `x` (not with a generator).
            batch_size: Samples per batch.
            epochs: The epoch to stop at.
            verbose: 0 (silent), 1 (progress bar), 2 (a line per epoch) or "auto" (1).
            callbacks: `synalinks.callbacks.Callback`s, e.g. `ProgramCheckpoint`.
            validation_split: Fraction of `x`, `y` (taken from the end) kept
                apart for validation.
            validation_data: `(x_val, y_val)` evaluated at the end of epochs.
            shuffle: Shuffle the training samples at each epoch.
            initial_epoch: The epoch to start at (to resume a run).
            steps_per_epoch: Batches per epoch (default: all the data).
            validation_steps: Validation batches per validation (default: all).
            validation_batch_size: Batch size of the validation; by default the
                whole validation set is one batch (validation changes nothing,
                so its samples can all run at once, within the LM limits).
            validation_freq: Validate every N epochs (an int), or at the given
                epochs (a list of epoch numbers counted from 1).
            steps_per_execution: Batches run between two `on_train_batch_*`
                callbacks (the batch index passed is the last one run); by
                default the one given to `compile`.
            seed: Seed of the shuffling and of the optimizer's random choices:
                the same seed and the same LM replies give the same variables.
            max_calls: The most LM calls this fit may send, the program's,
                its validation's and the optimizer's together (a reply from
                the response cache is free). The call past it is never sent:
                the batch it belonged to is dropped (a resume runs it again),
                training stops as after SIGTERM (callbacks get
                `on_train_interrupted("max_calls")`, checkpoints are written as
                configured, the History is returned) and a warning says so.
            max_cost: The most USD this fit may spend (as the providers
                report it), with the same clean stop
                (`on_train_interrupted("max_cost")`). Each call reserves the
                price of the dearest call seen so far before it is sent, so
                the budget holds under concurrency (see `CallBudget`).
                Embedding requests count toward it too (priced once made:
                none is sent once it is spent).
            trial_runner: Where the optimizer's candidate trials run: None
                (default) in this process, or e.g.
                `synalinks.distributed.RayTrials(num_workers=4)`, one Ray task
                per candidate.

        Returns:
            A `History` whose `history` maps each log key to its value per epoch.

        Example:

        ```python
        history = program.fit(x=x_train, y=y_train, validation_data=(x_test, y_test), epochs=5)
        ```
        """
        self._check_compiled("fit()")
        if trial_runner is not None and not callable(getattr(trial_runner, "bind", None)):
            raise TypeError(
                f"`trial_runner` must be a trial runner such as synalinks.distributed.RayTrials(), "
                f"got {type(trial_runner).__name__}."
            )
        budget = CallBudget(max_calls, max_cost)
        rng = random.Random(seed) if seed is not None else random.Random(random.getrandbits(64))
        if seed is not None and self._optimizer is not None:
            self._optimizer.reseed(seed)
        data = DataAdapter(
            x,
            y,
            batch_size=batch_size,
            shuffle=shuffle,
            rng=rng,
            steps_per_epoch=steps_per_epoch,
            input_names=self._input_names(),
        )
        if not data.is_iterator and data.y is None:
            raise ValueError("fit() needs targets `y` to compute rewards.")
        validation = None
        if validation_split:
            if validation_data is not None:
                raise ValueError("Give `validation_data` or `validation_split`, not both.")
            validation_data = data.split(validation_split)
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
                raise ValueError("`validation_data` must be a tuple (x_val, y_val).")
            validation = DataAdapter(
                *validation_data,
                batch_size=validation_batch_size,
                steps_per_epoch=validation_steps,
                input_names=self._input_names(),
            )
            if validation.y is None:
                raise ValueError("`validation_data` needs targets: (x_val, y_val).")
            self._check_inputs(validation, "validation_data")
            self._check_targets(validation)
        self._check_inputs(data)
        self._check_targets(data)
        if steps_per_execution is None:
            steps_per_execution = self._steps_per_execution
        check_positive_int(steps_per_execution, "steps_per_execution")
        if isinstance(validation_freq, int):
            if validation_freq < 1:
                raise ValueError(
                    f"`validation_freq` must be a positive integer or a list of epochs, got {validation_freq}."
                )
            validate_at = lambda epoch: (epoch + 1) % validation_freq == 0  # noqa: E731
        else:
            epochs_to_validate = set(validation_freq)
            validate_at = lambda epoch: epoch + 1 in epochs_to_validate  # noqa: E731
        callback_list = self._callback_list(callbacks, verbose, data, epochs=epochs, add_history=True)
        if self._optimizer is not None:
            samples = list(zip(data.x, data.y)) if data.x is not None and data.y is not None else []
            runner = self.score_samples if trial_runner is None else trial_runner.bind(self)
            self._optimizer.set_trial_runner(runner if samples else None, samples)
        try:
            return run_maybe_sync(
                self._fit(
                    data, validation, callback_list, epochs, initial_epoch, validate_at, steps_per_execution, budget
                )
            )
        except KeyboardInterrupt as error:
            # One short traceback: what was saved is in the line fit printed.
            raise KeyboardInterrupt(*(error.args or ("training interrupted",))) from None

    async def _fit(
        self, data, validation, callback_list, epochs, initial_epoch, validate_at, steps_per_execution, budget
    ):
        self.stop_training = False
        self._call_budget = budget
        self.progress.reset()
        interruption = FitInterruption(self, callback_list, budget)
        training_logs = {}
        termination = TerminationSignal(on_signal=interruption.on_sigterm)
        try:
            with termination, budget.active():
                training_logs = await self._fit_epochs(
                    data,
                    validation,
                    callback_list,
                    epochs,
                    initial_epoch,
                    validate_at,
                    EpochIterator(data, steps_per_execution),
                    termination,
                    interruption,
                )
        except BaseException as error:
            try:
                callback_list.on_train_interrupted(error, interruption.latest_logs)
            except Exception as secondary:  # the error that stopped training is the one raised
                error.add_note(f"A callback failed too while handling it: {type(secondary).__name__}: {secondary}")
            if isinstance(error, (KeyboardInterrupt, asyncio.CancelledError)):
                print(interruption.line(self.progress), file=sys.stderr)
            raise
        finally:
            self._call_budget = None
        interruption.log_budget_stop()
        callback_list.on_train_end(training_logs)
        self._log_lm_usage("fit")
        return self.history

    async def _fit_epochs(
        self,
        data,
        validation,
        callback_list,
        epochs,
        initial_epoch,
        validate_at,
        epoch_iterator,
        termination,
        interruption,
    ):
        progress = self.progress
        logs, training_logs = {}, {}
        progress.begin_epoch(initial_epoch, data.get_rng_state())
        callback_list.on_train_begin()  # BackupAndRestore puts back the training state here
        if progress.resumed:
            data.set_rng_state(progress.rng_state)
        for epoch in range(progress.epoch, epochs):
            skip = progress.step
            progress.begin_epoch(epoch, data.get_rng_state())
            if skip == 0:
                self.reset_metrics()  # a run resumed mid-epoch had its metric states restored
            callback_list.on_epoch_begin(epoch)
            logs = None
            with failures_summed_up(f"epoch {epoch + 1}"):  # one line for the epoch's failed samples
                for step, x_batch, y_batch, begins, ends in epoch_iterator.steps(skip):
                    if begins:
                        callback_list.on_train_batch_begin(step)
                    try:
                        batch_logs = await termination.run(self._train_batch(x_batch, y_batch))
                    except BudgetExceededError as error:
                        interruption.reason = error.limit
                        batch_logs = None  # dropped: a resume runs this batch again
                    if batch_logs is None:  # SIGTERM's grace period ran out, or the budget: the batch was dropped
                        interruption.stop(interruption.reason, logs)
                        break
                    logs = interruption.latest_logs = batch_logs
                    progress.end_batch()
                    interruption.note_budget()  # an optimizer call was refused
                    if ends:
                        callback_list.on_train_batch_end(step, logs)
                    if interruption.reason is not None:
                        interruption.stop(interruption.reason, logs)
                    if self.stop_training:
                        break
            if logs is None and skip == 0 and not interruption.reason:
                epoch_iterator.warn_out_of_data(epoch)
                break
            epoch_logs = self.get_metrics_result() if logs is None else dict(logs)
            if self._optimizer is not None and not interruption.reason:  # no new LM call after SIGTERM
                await interruption.within_budget(
                    self._optimizer_work(self._optimizer.on_epoch_end(self.trainable_variables)), logs
                )
            if validation is not None and validate_at(epoch) and not interruption.reason:
                val_logs = await interruption.within_budget(self._evaluate(validation, callback_list), logs)
                if val_logs is not None:
                    epoch_logs.update({f"val_{name}": value for name, value in val_logs.items()})
            if self._optimizer is not None:
                epoch_logs["optimizer_calls"] = self._optimizer.calls
            if not interruption.reason:
                progress.end_epoch(data.get_rng_state())
            callback_list.on_epoch_end(epoch, epoch_logs)
            training_logs = epoch_logs
            if self.stop_training:
                break
        return training_logs

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

    # One batch at a time

    def train_on_batch(self, x, y, return_dict=False):
        """Runs one training step on a batch: the program, the reward, the optimizer's update.

        Returns:
            The metrics after the step (a dict with `return_dict=True`, else their values in order).

        Example:

        ```python
        logs = program.train_on_batch(x[:8], y[:8], return_dict=True)
        ```
        """
        self._check_compiled("train_on_batch()")
        data = DataAdapter(x, y, batch_size=None, input_names=self._input_names())
        self._check_inputs(data)
        self._check_targets(data)
        self.reset_metrics()
        return run_maybe_sync(self._batch_result(self._train_batch(data.x, data.y), return_dict))

    def test_on_batch(self, x, y, return_dict=False):
        """Scores the program on one batch (no update); returns the metrics like `train_on_batch`."""
        self._check_compiled("test_on_batch()")
        data = DataAdapter(x, y, batch_size=None, input_names=self._input_names())
        self._check_inputs(data)
        self._check_targets(data)
        return run_maybe_sync(self._batch_result(self._test_batch(data), return_dict))

    def predict_on_batch(self, x):
        """The program's outputs on one batch, as `predict` returns them."""
        return self.predict(x, batch_size=None, verbose=0)

    async def _test_batch(self, data):
        self.reset_metrics()
        y_pred = await gather_all_or_none([self(sample) for sample in data.x])
        await self._score_batch(data.y, y_pred)
        return self.get_metrics_result()

    @staticmethod
    async def _batch_result(work, return_dict):
        logs = await work
        return logs if return_dict else list(logs.values())

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
