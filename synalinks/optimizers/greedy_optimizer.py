"""`GreedyOptimizer`: the base of optimizers that set few-shot examples drawn from the best predictions."""

from synalinks.optimizers.population_optimizer import PopulationOptimizer


class GreedyOptimizer(PopulationOptimizer):
    """Optimizers that teach by example: each candidate is the incumbent's
    prompt with a new set of few-shot examples drawn from the best-rewarded
    predictions (see `PopulationOptimizer` for the population and the race).

    `propose` draws the next batch's example set; `propose_candidates` draws
    the example sets raced at the end of an epoch (their sizes spread over
    `nb_min_examples`..`nb_max_examples`). Subclasses refine either, and may
    call `sample_best_predictions` to draw examples.

    Args:
        nb_min_examples: The fewest examples a candidate gets.
        nb_max_examples: The most examples a candidate gets.
        sampling: How examples are drawn: "softmax" (weighted by
            `exp(reward / sampling_temperature)`), "best" (the highest
            rewards, ties drawn at random) or "random".
        sampling_temperature: The softmax temperature.
        population_size: The most candidates kept per variable.
        name: The optimizer's name.
        description: What it does (by default the first line of its docstring).
        max_predictions, seed, nb_candidates, eval_size, embedding_model:
            See `PopulationOptimizer`.
        temperature: Our older name for `sampling_temperature`.

    Example:

    ```python
    class FewestShots(synalinks.optimizers.GreedyOptimizer):
        \"\"\"Always the fewest examples, drawn from the best predictions.\"\"\"

        async def propose(self, variable, calls):
            return {"examples": self.sample_best_predictions(variable, count=self.nb_min_examples)}
    ```
    """

    def __init__(
        self,
        nb_min_examples=1,
        nb_max_examples=3,
        sampling="softmax",
        sampling_temperature=0.3,
        population_size=10,
        name=None,
        description=None,
        max_predictions=64,
        seed=None,
        nb_candidates=4,
        eval_size=16,
        embedding_model=None,
        temperature=None,
    ):
        super().__init__(
            population_size=population_size,
            nb_min_examples=nb_min_examples,
            nb_max_examples=nb_max_examples,
            sampling=sampling,
            temperature=sampling_temperature if temperature is None else temperature,
            max_predictions=max_predictions,
            seed=seed,
            name=name,
            nb_candidates=nb_candidates,
            eval_size=eval_size,
            embedding_model=embedding_model,
        )
        self.description = description or (type(self).__doc__ or "").strip().split("\n")[0]

    @property
    def sampling_temperature(self):
        return self.temperature

    def sample_best_predictions(self, variable, count=None):
        """Few-shot examples drawn from `variable`'s rewarded predictions, by `sampling`
        (`count` of them, or a count between the bounds); None when none is rewarded."""
        return self.sample_examples(variable.get("predictions"), variable.get("examples"), count=count)

    async def propose(self, variable, calls):
        return {"examples": self.sample_best_predictions(variable)}

    async def propose_candidates(self, variable, pool, base):
        """Example sets of sizes spread over `nb_min_examples`..`nb_max_examples`, on the incumbent's prompt."""
        candidates = []
        for count in self.example_counts():
            examples = self.sample_examples(pool, None, count=count)
            if examples is not None:  # None: no rewarded prediction to draw from
                candidates.append({**base, "examples": examples})
        return candidates

    def get_config(self):
        config = super().get_config()
        config["sampling_temperature"] = config.pop("temperature")
        return {**config, "description": self.description}
