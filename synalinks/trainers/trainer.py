"""`Trainer`: the `compile` / `fit` / `evaluate` / `predict` part of a program."""

import contextlib
import logging
import random

from synalinks.callbacks.callback_list import CallbackList
from synalinks.language_models.call_budget import CallBudget
from synalinks.optimizers.optimizer import Optimizer
from synalinks.saving.serialization import deserialize, serialize
from synalinks.saving.variables_payload import assign_variables_payload, variables_payload
from synalinks.trainers.batch_pipeline import pipelined_batches
from synalinks.trainers.compile_utils import CompiledReward, check_metrics, update_metrics
from synalinks.trainers.data_adapter import DataAdapter
from synalinks.trainers.evaluate_loop import EvaluateLoop
from synalinks.trainers.fit_loop import FitLoop
from synalinks.trainers.input_checks import check_inputs, check_targets
from synalinks.trainers.predict_loop import PredictLoop
from synalinks.trainers.prefetch import prefetched
from synalinks.trainers.training_progress import TrainingProgress, check_position
from synalinks.utils.async_utils import gather_all_or_none, run_maybe_sync
from synalinks.utils.checks import check_positive_int

logger = logging.getLogger("synalinks")


class Trainer(FitLoop, EvaluateLoop, PredictLoop):
    """Adds `compile`, `fit`, `evaluate` and `predict` to `Program`.

    This file holds `compile`, the training state and `fit`'s argument
    checks; the loops are in `fit_loop.py`, `evaluate_loop.py` and
    `predict_loop.py`.

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

    @staticmethod
    async def _batch_result(work, return_dict):
        logs = await work
        return logs if return_dict else list(logs.values())
