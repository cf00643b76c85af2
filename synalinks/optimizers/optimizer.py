"""`Optimizer`: changes trainable variables from a batch's traces and rewards."""

import copy
import random

from synalinks.saving.serialization import deserialize_nested


class Optimizer:
    """The base class of optimizers.

    After each training batch the trainer calls
    `await optimizer.optimize(trainable_variables, traces, rewards, y_true)`:
    `traces[i]` holds what every module saw and produced for sample `i` (see
    `synalinks.modules.Trace`), `rewards[i]` is that sample's reward and
    `y_true[i]` its target. For each trainable variable, subclasses implement
    `optimize_variable(variable, calls)`, where `calls` are the
    `(inputs, outputs, reward, y_true)` of the calls that variable shaped in this
    batch (`outputs` is None for a failed call). At the end of each epoch,
    before validation, the trainer calls `await optimizer.on_epoch_end(variables)`.

    The optimizer's state (`get_state` / `set_state`) is saved with the
    program and restored by `load_program`. `calls` counts the LM calls the
    optimizer asked for during `fit` (its candidate trials and its own
    language model, cache hits included); the History logs it per epoch as
    `optimizer_calls`.

    Args:
        seed: Seed of the optimizer's random choices (by default drawn from
            Python's global generator, see `synalinks.utils.set_seed`).
        name: The optimizer's name.
    """

    def __init__(self, seed=None, name=None):
        self.seed = seed
        self.name = name or type(self).__name__.lower()
        self.iterations = 0
        self.calls = 0
        self._positions = {}
        # Without a seed, draw one from Python's global generator, so that
        # synalinks.utils.set_seed makes runs reproducible.
        self._random = random.Random(seed if seed is not None else random.getrandbits(64))
        self._trial_runner = None
        self._trial_samples = []

    def set_trial_runner(self, runner, samples):
        """Lets the optimizer score candidates: `await runner(samples)` runs the program as it
        is now on `(x, y)` pairs and returns their rewards (metrics untouched). `fit` sets it
        with the training samples; None when they are not known (a generator).

        A runner may also score several candidate values of a variable at once
        (`await runner.score_candidates(variable, values, samples)`, e.g.
        `synalinks.distributed.RayTrials`, one Ray task per candidate)."""
        self._trial_runner = runner
        self._trial_samples = list(samples or [])

    async def score_candidates(self, variable, values, samples):
        """The rewards of each candidate value of `variable` on the `(x, y)` pairs `samples`.

        With a plain runner, each value is put in the variable in turn and the
        program runs on the samples (the caller puts the variable back); a
        runner with its own `score_candidates` (Ray) scores them all at once.
        """
        score_all = getattr(self._trial_runner, "score_candidates", None)
        if score_all is not None:
            return await score_all(variable, values, samples)
        rewards = []
        for value in values:
            variable.update(copy.deepcopy(value))
            rewards.append(await self._trial_runner(samples))
        return rewards

    def reseed(self, seed):
        """Restarts the optimizer's random generator from `seed` (done by `fit(seed=...)`)."""
        self._random.seed(seed)

    def _index(self, trainable_variables):
        # State is keyed by position among the trainable variables, not by
        # path: a program built again (or loaded) gets other automatic names.
        self._positions = {id(variable): f"variable_{index}" for index, variable in enumerate(trainable_variables)}

    def variable_key(self, variable):
        """The key of `variable` in the optimizer's state: its position among the trainable variables."""
        return self._positions.get(id(variable), variable.path)

    async def optimize(self, trainable_variables, traces, rewards, y_true=None):
        """Updates `trainable_variables` from one batch."""
        self._index(trainable_variables)
        y_true = y_true if y_true is not None else [None] * len(rewards)
        for variable in trainable_variables:
            calls = []
            for trace, reward, target in zip(traces, rewards, y_true):
                for inputs, outputs in trace.calls.get(variable, ()):
                    calls.append((inputs, outputs, reward, target))
            if calls:
                await self.optimize_variable(variable, calls)
        self.iterations += 1

    async def optimize_variable(self, variable, calls):
        raise NotImplementedError(f"{type(self).__name__} must implement `optimize_variable`.")

    async def on_epoch_end(self, trainable_variables):
        """Called at the end of each epoch, before validation."""

    def get_state(self):
        """The state that decides the optimizer's next moves, as JSON."""
        version, internal, gauss = self._random.getstate()
        return {"iterations": self.iterations, "calls": self.calls, "random_state": [version, list(internal), gauss]}

    def set_state(self, state):
        """Restores a state from `get_state()`.

        Raises:
            ValueError: when the state is malformed (nothing is changed then).
        """
        if not isinstance(state, dict):
            raise ValueError(f"An optimizer state must be an object, got {type(state).__name__}.")
        iterations = state.get("iterations", 0)
        calls = state.get("calls", 0)
        for field, value in (("iterations", iterations), ("calls", calls)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"The optimizer state's '{field}' must be an integer, got {str(value)[:50]!r}.")
        random_state = state.get("random_state")
        if random_state:
            try:
                version, internal, gauss = random_state
                probe = type(self._random)()
                probe.setstate((version, tuple(internal), gauss))
            except (TypeError, ValueError, OverflowError):
                raise ValueError("The optimizer state's 'random_state' is malformed.") from None
            self._random.setstate(probe.getstate())
        self.iterations = iterations
        self.calls = calls

    def get_config(self):
        return {"seed": self.seed, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**deserialize_nested(config))
