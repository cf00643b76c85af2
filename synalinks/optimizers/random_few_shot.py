"""`RandomFewShot`: few-shot examples drawn from the best-rewarded predictions."""

from synalinks.optimizers.population_optimizer import PopulationOptimizer
from synalinks.saving.object_registry import register_synalinks_serializable


@register_synalinks_serializable(package="synalinks")
class RandomFewShot(PopulationOptimizer):
    """Tries sets of few-shot examples drawn from labeled data and the program's best predictions.

    After each batch, the predictions made for its samples join the
    variable's `predictions` pool with their rewards (one per distinct input,
    the best kept). For a module whose output is the program's output, the
    targets `y` join the pool too, as labeled demonstrations (so a label the
    untrained model never predicts right still gets examples). Examples are
    drawn balanced across output values, so each label of a classifier is
    shown about equally often. The examples in use are scored by the rewards of the
    batch they were used on; then a new set of between `nb_min_examples` and
    `nb_max_examples` examples is drawn from the rewarded predictions (by
    `sampling`) and tried on the next batch. The `population_size` best sets
    are kept, and the best is loaded at the end of each epoch (a set not
    tried yet is validated first). Predictions with reward 0 are never used
    as examples. No extra LM call is made.

    Only variables with `examples` and `predictions` fields (the state of a
    `Generator`) are changed.

    Args:
        nb_min_examples: The fewest examples to set.
        nb_max_examples: The most examples to set.
        sampling: "best" (default: the highest rewards, ties drawn at
            random), "random" (uniformly among rewarded predictions) or
            "softmax" (weighted by `exp(reward / temperature)`).
        temperature: The softmax temperature (`sampling_temperature` is
            accepted too, Synalinks' name).
        population_size: The most example sets kept per variable.
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

    def __init__(
        self,
        nb_min_examples=4,
        nb_max_examples=8,
        sampling="best",
        temperature=1.0,
        population_size=10,
        max_predictions=64,
        seed=None,
        name=None,
        sampling_temperature=None,
    ):
        if sampling_temperature is not None:  # Synalinks' name for `temperature`
            temperature = sampling_temperature
        super().__init__(
            population_size=population_size,
            nb_min_examples=nb_min_examples,
            nb_max_examples=nb_max_examples,
            sampling=sampling,
            temperature=temperature,
            max_predictions=max_predictions,
            seed=seed,
            name=name,
        )

    async def propose(self, variable, calls):
        return {"examples": self.sample_examples(variable.get("predictions"), variable.get("examples"))}
