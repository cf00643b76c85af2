"""`RandomFewShot`: few-shot examples picked among the best-rewarded predictions."""

import json

from synalinks.optimizers.optimizer import Optimizer
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class RandomFewShot(Optimizer):
    """Sets each Generator's few-shot examples to some of its best predictions.

    After each batch, the predictions the program made for its samples are
    added, with their rewards, to the variable's `predictions` pool (one per
    distinct input, the best-rewarded kept, at most `max_predictions`). Then
    between `nb_min_examples` and `nb_max_examples` examples are drawn at
    random among the pool's best-rewarded predictions (those with the top
    reward, topped up with the next best). Predictions with reward 0 are never
    used as examples.

    Only variables that have `examples` and `predictions` fields (the state of
    a `Generator`) are changed.

    Args:
        nb_min_examples: The fewest examples to set.
        nb_max_examples: The most examples to set.
        max_predictions: Size of the pool of predictions kept per variable.
        seed: Seed of the random draws.
        name: The optimizer's name.

    Example:

    ```python
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.RandomFewShot(nb_min_examples=1, nb_max_examples=3),
    )
    ```
    """

    def __init__(self, nb_min_examples=1, nb_max_examples=3, max_predictions=64, seed=None, name=None):
        super().__init__(seed=seed, name=name)
        if not 0 <= nb_min_examples <= nb_max_examples:
            raise ValueError(
                f"Need 0 <= nb_min_examples <= nb_max_examples, got {nb_min_examples} and {nb_max_examples}."
            )
        if max_predictions < nb_max_examples:
            raise ValueError(
                f"`max_predictions` ({max_predictions}) must be at least nb_max_examples ({nb_max_examples})."
            )
        self.nb_min_examples = nb_min_examples
        self.nb_max_examples = nb_max_examples
        self.max_predictions = max_predictions

    async def optimize_variable(self, variable, candidates):
        state = variable.get_json()
        if "examples" not in state or "predictions" not in state or not candidates:
            return
        pool = {}
        for prediction in [
            *state["predictions"],
            *({"inputs": i, "outputs": o, "reward": r} for i, o, r in candidates),
        ]:
            key = json.dumps(prediction["inputs"], sort_keys=True)
            kept = pool.get(key)
            if kept is None or (prediction.get("reward") or 0.0) >= (kept.get("reward") or 0.0):
                pool[key] = prediction
        ranked = sorted(pool.values(), key=lambda prediction: prediction.get("reward") or 0.0, reverse=True)
        ranked = ranked[: self.max_predictions]
        rewarded = [prediction for prediction in ranked if (prediction.get("reward") or 0.0) > 0.0]
        examples = state["examples"]
        if rewarded:
            count = self._random.randint(self.nb_min_examples, self.nb_max_examples)
            top = rewarded[0]["reward"]
            best = [prediction for prediction in rewarded if prediction["reward"] == top]
            if len(best) < count:
                best = rewarded[:count]
            chosen = self._random.sample(best, min(count, len(best)))
            examples = [{"inputs": prediction["inputs"], "outputs": prediction["outputs"]} for prediction in chosen]
        variable.update({"examples": examples, "predictions": ranked})

    def get_config(self):
        return {
            **super().get_config(),
            "nb_min_examples": self.nb_min_examples,
            "nb_max_examples": self.nb_max_examples,
            "max_predictions": self.max_predictions,
        }
