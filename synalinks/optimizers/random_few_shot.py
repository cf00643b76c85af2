"""`RandomFewShot`: few-shot examples drawn from labels and the best-rewarded predictions."""

import copy

from synalinks.optimizers.population_optimizer import PopulationOptimizer, _key
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
        nb_candidates=4,
        eval_size=16,
    ):
        if sampling_temperature is not None:  # Synalinks' name for `temperature`
            temperature = sampling_temperature
        for argument, value in (("nb_candidates", nb_candidates), ("eval_size", eval_size)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"`{argument}` must be an integer, 0 or more, got {value!r}.")
        self.nb_candidates = nb_candidates
        self.eval_size = eval_size
        self.trials = []
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

    # Racing candidates at the end of each epoch

    async def on_epoch_end(self, trainable_variables):
        """Races example sets on the same training samples, then loads the winner.

        Without a trial runner (no `(x, y)` arrays in `fit`), or with
        `nb_candidates=0`, it keeps the scored population's best instead.
        """
        if not self.nb_candidates or self._trial_runner is None or len(self._trial_samples) < 4:
            return await super().on_epoch_end(trainable_variables)
        self._index(trainable_variables)
        for variable in trainable_variables:
            if "predictions" in variable.get_json():
                await self._race(variable)

    async def _race(self, variable):
        samples = self._trial_samples
        size = min(self.eval_size, len(samples) // 2)
        trial = [samples[index] for index in self._random.sample(range(len(samples)), size)]
        held_out = {_key(x.get_json()) for x, _ in trial if hasattr(x, "get_json")}
        # Demonstrations never come from the samples they are judged on.
        pool = [p for p in variable.get("predictions", []) if _key(p["inputs"]) not in held_out]
        original = variable.get_json()
        candidates, seen = [], set()
        best = self.best_candidate(variable)
        for examples in [
            best["value"].get("examples", []) if best else None,
            original.get("examples", []),
            *(self.sample_examples(pool, None) for _ in range(self.nb_candidates)),
        ]:
            if examples is not None and _key(examples) not in seen:
                seen.add(_key(examples))
                candidates.append(examples)
        rewards = {index: [] for index in range(len(candidates))}
        alive = list(range(len(candidates)))
        calls = 0
        halves = [trial[: size // 2], trial[size // 2 :]]
        for round_index, part in enumerate(halves):
            for index in alive:
                variable.update({"examples": candidates[index]})
                rewards[index].extend(await self._trial_runner(part))
                calls += len(part)
            if round_index == 0 and len(alive) > 2:  # successive halving: the worse half stops here
                alive = sorted(alive, key=lambda i: -_mean(rewards[i]))[: (len(alive) + 1) // 2]
        # Ties go to the earlier candidate: the incumbent best, then the set in use.
        winner = max(alive, key=lambda i: (_mean(rewards[i]), -i))
        variable.assign({**original, "examples": copy.deepcopy(candidates[winner])})
        population = self.populations.setdefault(self.variable_key(variable), [])
        fixed = {key: value for key, value in original.items() if key not in ("predictions", "examples")}
        for index, examples in enumerate(candidates):
            value = {**fixed, "examples": copy.deepcopy(examples)}
            entry = next((c for c in population if _key(c["value"]) == _key(value)), None)
            if entry is None:
                population.append({"value": value, "score": _mean(rewards[index]), "uses": len(rewards[index])})
            else:
                total = entry["score"] * entry["uses"] + sum(rewards[index])
                entry["uses"] += len(rewards[index])
                entry["score"] = total / entry["uses"] if entry["uses"] else 0.0
        await self.select(variable, population)
        self.trials.append(
            {
                "iteration": self.iterations,
                "variable": self.variable_key(variable),
                "samples": size,
                "calls": calls,
                "candidates": [
                    {"examples": len(examples), "score": _mean(rewards[index]), "samples": len(rewards[index])}
                    for index, examples in enumerate(candidates)
                ],
                "chosen": winner,
            }
        )
        del self.trials[:-MAX_TRIALS]

    def get_state(self):
        return {**super().get_state(), "trials": copy.deepcopy(self.trials)}

    def set_state(self, state):
        trials = state.get("trials", []) if isinstance(state, dict) else None
        if not isinstance(trials, list) or not all(isinstance(trial, dict) for trial in trials):
            raise ValueError("The optimizer state's 'trials' must be a list of objects.")
        super().set_state(state)
        self.trials = copy.deepcopy(trials[-MAX_TRIALS:])

    def get_config(self):
        return {**super().get_config(), "nb_candidates": self.nb_candidates, "eval_size": self.eval_size}


MAX_TRIALS = 50  # trials kept in the state (and in checkpoints): the newest


def _mean(values):
    return sum(values) / len(values) if values else 0.0
