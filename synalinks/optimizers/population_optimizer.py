"""`PopulationOptimizer`: a population of candidate values per variable, the best kept."""

import copy
import json
import math

from synalinks.optimizers.optimizer import Optimizer

SAMPLINGS = ("random", "best", "softmax")


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _key(value):
    return json.dumps(value, sort_keys=True)


class PopulationOptimizer(Optimizer):
    """Keeps, for each variable, a population of candidate values with their scores.

    A candidate is the variable's value without its `predictions` pool. The
    candidate in the variable is scored by the rewards of the batches it was
    used on (a running mean), so scoring costs no extra LM call. After each
    batch, a new candidate is proposed (`propose`) and tried on the next batch;
    the population keeps the `population_size` best. At the end of each epoch
    the best candidate is loaded into the variable, so validation and
    checkpoints see the best found so far, unless the variable holds a
    proposal not tried yet: an untried candidate counts as promising, so it
    is validated (checkpoints keep the best validated one) and scored on the
    next batch.

    Subclasses implement `async propose(variable, calls)` returning the new
    value's fields, and may refine `select`.

    Args:
        population_size: The most candidates kept per variable.
        nb_min_examples: The fewest few-shot examples a candidate gets.
        nb_max_examples: The most few-shot examples a candidate gets.
        sampling: How examples are drawn from the best predictions:
            "random" (uniformly among rewarded ones), "best" (the highest
            rewards, ties drawn at random) or "softmax" (weighted by
            `exp(reward / temperature)`).
        temperature: The softmax temperature.
        max_predictions: Size of the pool of predictions kept per variable.
        seed: Seed of the random choices.
        name: The optimizer's name.
    """

    def __init__(
        self,
        population_size=10,
        nb_min_examples=1,
        nb_max_examples=3,
        sampling="best",
        temperature=1.0,
        max_predictions=64,
        seed=None,
        name=None,
    ):
        super().__init__(seed=seed, name=name)
        if not isinstance(population_size, int) or population_size < 1:
            raise ValueError(f"`population_size` must be a positive integer, got {population_size!r}.")
        if not 0 <= nb_min_examples <= nb_max_examples:
            raise ValueError(
                f"Need 0 <= nb_min_examples <= nb_max_examples, got {nb_min_examples} and {nb_max_examples}."
            )
        if sampling not in SAMPLINGS:
            raise ValueError(f"`sampling` must be one of {SAMPLINGS}, got {sampling!r}.")
        if temperature <= 0:
            raise ValueError(f"`temperature` must be positive, got {temperature!r}.")
        if max_predictions < nb_max_examples:
            raise ValueError(
                f"`max_predictions` ({max_predictions}) must be at least nb_max_examples ({nb_max_examples})."
            )
        self.population_size = population_size
        self.nb_min_examples = nb_min_examples
        self.nb_max_examples = nb_max_examples
        self.sampling = sampling
        self.temperature = temperature
        self.max_predictions = max_predictions
        self.populations = {}

    # The predictions pool and few-shot examples

    def _update_predictions(self, variable, calls):
        pool = {}
        new = [{"inputs": i, "outputs": o, "reward": r} for i, o, r, _ in calls if o is not None]
        new += self._labeled_demonstrations(calls)
        for prediction in [*variable.get("predictions", []), *new]:
            # A labeled demonstration and the program's own prediction for one input are both kept.
            key = (_key(prediction["inputs"]), bool(prediction.get("labeled")))
            kept = pool.get(key)
            if kept is None or (prediction.get("reward") or 0.0) >= (kept.get("reward") or 0.0):
                pool[key] = prediction
        ranked = sorted(pool.values(), key=lambda prediction: prediction.get("reward") or 0.0, reverse=True)
        return ranked[: self.max_predictions]

    @staticmethod
    def _labeled_demonstrations(calls):
        """`(inputs, y_true)` pairs for the calls of a module whose output is the program's output.

        A module's output is the program's when the target has exactly the
        fields that module produces; its ground truth is then a correct
        example, whatever the module predicted (so a label the untrained model
        never gets right still gets examples). Its reward is the best of the
        batch's rewards, at least 1.
        """
        produced = next((set(outputs) for _, outputs, _, _ in calls if isinstance(outputs, dict)), None)
        best = max([1.0, *(reward for _, _, reward, _ in calls if isinstance(reward, (int, float)))])
        demonstrations = []
        for inputs, _, _, target in calls:
            label = target.get_json() if hasattr(target, "get_json") else target
            if produced and isinstance(label, dict) and set(label) == produced:
                demonstrations.append({"inputs": inputs, "outputs": label, "reward": best, "labeled": True})
        return demonstrations

    def sample_examples(self, predictions, current_examples):
        """Draws few-shot examples from the rewarded predictions, by `sampling`, balanced across outputs.

        The rewarded predictions are grouped by their output; examples are
        taken from the groups in turn (each group ordered by `sampling`), so
        every label of a classifier is shown about equally often.
        """
        by_input = {}
        for prediction in predictions:
            if (prediction.get("reward") or 0.0) <= 0.0:
                continue
            key = _key(prediction["inputs"])
            kept = by_input.get(key)
            # One example per input: the ground truth when there is one, else the best prediction.
            if kept is None or (bool(prediction.get("labeled")), prediction["reward"]) > (
                bool(kept.get("labeled")),
                kept["reward"],
            ):
                by_input[key] = prediction
        rewarded = list(by_input.values())
        if not rewarded:
            return current_examples
        count = min(self._random.randint(self.nb_min_examples, self.nb_max_examples), len(rewarded))
        groups = {}
        for prediction in rewarded:
            groups.setdefault(_key(prediction["outputs"]), []).append(prediction)
        ordered = [self._order(group) for group in groups.values()]
        self._random.shuffle(ordered)
        chosen = []
        while len(chosen) < count:
            for group in ordered:
                if group and len(chosen) < count:
                    chosen.append(group.pop(0))
        self._random.shuffle(chosen)  # no label always comes last, right before the input
        return [{"inputs": prediction["inputs"], "outputs": prediction["outputs"]} for prediction in chosen]

    def _order(self, group):
        """A group of predictions in the order `sampling` draws them."""
        if self.sampling == "random":
            return self._random.sample(group, len(group))
        if self.sampling == "best":
            shuffled = self._random.sample(group, len(group))
            return sorted(shuffled, key=lambda prediction: prediction["reward"], reverse=True)
        ordered, remaining = [], list(group)
        while remaining:
            weights = [math.exp(prediction["reward"] / self.temperature) for prediction in remaining]
            pick = self._random.choices(range(len(remaining)), weights=weights)[0]
            ordered.append(remaining.pop(pick))
        return ordered

    # The population

    def _candidate_value(self, variable):
        return {key: copy.deepcopy(value) for key, value in variable.get_json().items() if key != "predictions"}

    def _score_current(self, variable, calls):
        population = self.populations.setdefault(self.variable_key(variable), [])
        value = self._candidate_value(variable)
        key = _key(value)
        rewards = [reward for _, _, reward, _ in calls]
        candidate = next((candidate for candidate in population if _key(candidate["value"]) == key), None)
        if candidate is None:
            candidate = {"value": value, "score": 0.0, "uses": 0}
            population.append(candidate)
        total = candidate["score"] * candidate["uses"] + sum(rewards)
        candidate["uses"] += len(rewards)
        candidate["score"] = total / candidate["uses"]
        return population

    async def select(self, variable, population):
        """Keeps the `population_size` best candidates (subclasses may prune more)."""
        population.sort(key=lambda candidate: candidate["score"], reverse=True)
        del population[self.population_size :]

    def best_candidate(self, variable):
        population = self.populations.get(self.variable_key(variable))
        if not population:
            return None
        return max(population, key=lambda candidate: candidate["score"])

    async def optimize_variable(self, variable, calls):
        if "predictions" not in variable.get_json():
            return
        population = self._score_current(variable, calls)
        await self.select(variable, population)
        predictions = self._update_predictions(variable, calls)
        variable.update({"predictions": predictions})
        proposal = await self.propose(variable, calls)
        if proposal:
            variable.update(proposal)

    async def propose(self, variable, calls):
        raise NotImplementedError

    async def on_epoch_end(self, trainable_variables):
        self._index(trainable_variables)
        for variable in trainable_variables:
            population = self.populations.get(self.variable_key(variable)) or []
            current = _key(self._candidate_value(variable))
            if population and all(_key(candidate["value"]) != current for candidate in population):
                # A proposal not tried yet counts as promising: validation measures it, and
                # it is scored on the next batch (with one batch per epoch it would never be tried).
                continue
            best = self.best_candidate(variable)
            if best is not None:
                variable.update(copy.deepcopy(best["value"]))

    # Saving

    def get_state(self):
        return {**super().get_state(), "populations": copy.deepcopy(self.populations)}

    def set_state(self, state):
        populations = state.get("populations", {}) if isinstance(state, dict) else None
        if not isinstance(populations, dict) or not all(
            isinstance(population, list)
            and all(
                isinstance(candidate, dict)
                and isinstance(candidate.get("value"), dict)
                and _is_number(candidate.get("score"))
                and isinstance(candidate.get("uses"), int)
                for candidate in population
            )
            for population in populations.values()
        ):
            raise ValueError(
                "The optimizer state's 'populations' is malformed: expected {variable: [{value, score, uses}, ...]}."
            )
        super().set_state(state)
        self.populations = copy.deepcopy(populations)

    def get_config(self):
        return {
            **super().get_config(),
            "population_size": self.population_size,
            "nb_min_examples": self.nb_min_examples,
            "nb_max_examples": self.nb_max_examples,
            "sampling": self.sampling,
            "temperature": self.temperature,
            "max_predictions": self.max_predictions,
        }
