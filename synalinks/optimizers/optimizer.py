"""`Optimizer`: changes trainable variables from a batch's traces and rewards."""

import random


class Optimizer:
    """The base class of optimizers.

    After each training batch the trainer calls
    `await optimizer.optimize(trainable_variables, traces, rewards)`: `traces[i]`
    holds what every module saw and produced for sample `i` (see
    `synalinks.modules.Trace`) and `rewards[i]` is that sample's reward.
    Subclasses implement `optimize_variable(variable, candidates)` for each
    trainable variable, where `candidates` are the `(inputs, outputs, reward)`
    of the calls that variable shaped in this batch.

    The optimizer's state (`get_state` / `set_state`: iteration count and
    random generator) is saved with the program.

    Args:
        seed: Seed of the optimizer's random choices.
        name: The optimizer's name.
    """

    def __init__(self, seed=None, name=None):
        self.seed = seed
        self.name = name or type(self).__name__.lower()
        self.iterations = 0
        # Without a seed, draw one from Python's global generator, so that
        # synalinks.utils.set_seed makes runs reproducible.
        self._random = random.Random(seed if seed is not None else random.getrandbits(64))

    def reseed(self, seed):
        """Restarts the optimizer's random generator from `seed` (done by `fit(seed=...)`)."""
        self._random.seed(seed)

    async def optimize(self, trainable_variables, traces, rewards):
        """Updates `trainable_variables` from one batch."""
        for variable in trainable_variables:
            candidates = []
            for trace, reward in zip(traces, rewards):
                for inputs, outputs in trace.calls.get(variable, ()):
                    if outputs is not None:
                        candidates.append((inputs, outputs, reward))
            await self.optimize_variable(variable, candidates)
        self.iterations += 1

    async def optimize_variable(self, variable, candidates):
        raise NotImplementedError(f"{type(self).__name__} must implement `optimize_variable`.")

    def get_state(self):
        """The state that decides the optimizer's next moves, as JSON."""
        version, internal, gauss = self._random.getstate()
        return {"iterations": self.iterations, "random_state": [version, list(internal), gauss]}

    def set_state(self, state):
        """Restores a state from `get_state()`."""
        self.iterations = int(state.get("iterations", 0))
        random_state = state.get("random_state")
        if random_state:
            version, internal, gauss = random_state
            self._random.setstate((version, tuple(internal), gauss))

    def get_config(self):
        return {"seed": self.seed, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
