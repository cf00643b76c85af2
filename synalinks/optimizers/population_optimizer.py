"""`PopulationOptimizer`: a population of candidate values per variable, the best kept."""

import copy
import json
import math

from synalinks.language_models.embedding_model import cosine_similarity
from synalinks.optimizers.optimizer import Optimizer
from synalinks.utils.checks import check_non_negative_int, check_positive_int

SAMPLINGS = ("random", "best", "softmax")


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _key(value):
    return json.dumps(value, sort_keys=True)


def _json(data_model):
    """A sample's inputs as JSON (a tuple of inputs as a list)."""
    if isinstance(data_model, tuple):
        return [_json(item) for item in data_model]
    return data_model.get_json() if hasattr(data_model, "get_json") else data_model


class PopulationOptimizer(Optimizer):
    """Keeps, for each variable, a population of candidate values with their scores.

    A candidate is the variable's value without its `predictions` pool. The
    candidate in the variable is scored by the rewards of the batches it was
    used on (a running mean), so scoring costs no extra LM call. After each
    batch, a new candidate is proposed (`propose`) and tried on the next batch;
    the population keeps the `population_size` best.

    At the end of each epoch, when `fit` was given `(x, y)` arrays, the
    incumbents and `nb_candidates` new candidates (`propose_candidates`) race
    on the same `eval_size` training samples with successive halving, and the
    winner is loaded, so validation and checkpoints see the best found. Each
    race is recorded in `trials` (the newest 50), with the per-sample front:
    on how many samples each candidate had the best reward (GEPA's Pareto
    front, which `OMEGA` uses to choose parents). Without a race, the best
    scored candidate is loaded, unless the variable holds a proposal not
    tried yet (it is validated first).

    Subclasses implement `async propose(variable, calls)` returning the new
    value's fields and `async propose_candidates(variable, pool, base)`, and
    may refine `select`.

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
        nb_candidates: New candidates raced at each epoch end (0: no race).
        eval_size: Training samples each race runs on.
        embedding_model: When given, the examples drawn for one output value
            are also diverse: after the first, each is the input farthest
            (by cosine similarity) from those already chosen.
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
        nb_candidates=4,
        eval_size=16,
        embedding_model=None,
    ):
        super().__init__(seed=seed, name=name)
        check_non_negative_int(nb_candidates, "nb_candidates")
        check_non_negative_int(eval_size, "eval_size")
        self.nb_candidates = nb_candidates
        self.eval_size = eval_size
        self.embedding_model = embedding_model
        self.trials = []
        self._input_vectors = {}  # embeddings of example inputs, by input: computed again after a resume
        check_positive_int(population_size, "population_size")
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

    def sample_examples(self, predictions, current_examples, count=None):
        """Draws few-shot examples from the rewarded predictions, by `sampling`, balanced across outputs.

        `count` examples (by default a random number between `nb_min_examples`
        and `nb_max_examples`), fewer when fewer inputs were rewarded.

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
        if count is None:
            count = self._random.randint(self.nb_min_examples, self.nb_max_examples)
        count = min(count, len(rewarded))
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
        """A group of predictions in the order `sampling` draws them (made diverse when inputs are embedded)."""
        if self.sampling == "random":
            ordered = self._random.sample(group, len(group))
        elif self.sampling == "best":
            shuffled = self._random.sample(group, len(group))
            ordered = sorted(shuffled, key=lambda prediction: prediction["reward"], reverse=True)
        else:
            ordered, remaining = [], list(group)
            while remaining:
                weights = [math.exp(prediction["reward"] / self.temperature) for prediction in remaining]
                pick = self._random.choices(range(len(remaining)), weights=weights)[0]
                ordered.append(remaining.pop(pick))
        return self._diversified(ordered)

    def _diversified(self, ordered):
        """`ordered` re-ranked so each next prediction is the one least similar to those before it
        (ties kept in `ordered`'s order); unchanged when some input has no embedding."""
        vectors = [self._input_vectors.get(_key(prediction["inputs"])) for prediction in ordered]
        if len(ordered) < 3 or any(vector is None for vector in vectors):
            return ordered
        chosen, remaining = [0], list(range(1, len(ordered)))
        closest = {index: cosine_similarity(vectors[index], vectors[0]) for index in remaining}
        while remaining:
            pick = min(remaining, key=lambda index: (closest[index], index))
            remaining.remove(pick)
            chosen.append(pick)
            for index in remaining:
                closest[index] = max(closest[index], cosine_similarity(vectors[index], vectors[pick]))
        return [ordered[index] for index in chosen]

    async def _embed_inputs(self, predictions):
        """Embeds the inputs of `predictions` not embedded yet (with `embedding_model`, when given)."""
        if self.embedding_model is None:
            return
        missing = sorted({_key(p["inputs"]) for p in predictions} - set(self._input_vectors))
        if missing:
            for key, vector in zip(missing, await self.embedding_model(missing)):
                self._input_vectors[key] = vector

    # The population

    def _candidate_value(self, variable):
        return {key: copy.deepcopy(value) for key, value in variable.get_json().items() if key != "predictions"}

    def _score_current(self, variable, calls):
        population = self.populations.setdefault(self.variable_key(variable), [])
        _add_rewards(population, self._candidate_value(variable), [reward for _, _, reward, _ in calls])
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
        await self._embed_inputs(predictions)
        proposal = await self.propose(variable, calls)
        if proposal:
            variable.update(proposal)

    async def propose(self, variable, calls):
        raise NotImplementedError

    async def on_epoch_end(self, trainable_variables):
        """Races candidates on the same training samples, then loads the winner into each variable.

        Without a trial runner (no `(x, y)` arrays in `fit`), or with
        `nb_candidates=0`, it loads the scored population's best instead
        (keeping a proposal not tried yet, which validation then measures).
        """
        self._index(trainable_variables)
        racing = self.nb_candidates and self._trial_runner is not None and len(self._trial_samples) >= 4
        for variable in trainable_variables:
            if "predictions" not in variable.get_json():
                continue
            if racing:
                await self._race(variable)
            else:
                self._load_best(variable)

    def _load_best(self, variable):
        population = self.populations.get(self.variable_key(variable)) or []
        current = _key(self._candidate_value(variable))
        if population and all(_key(candidate["value"]) != current for candidate in population):
            # A proposal not tried yet counts as promising: validation measures it, and
            # it is scored on the next batch (with one batch per epoch it would never be tried).
            return
        best = self.best_candidate(variable)
        if best is not None:
            variable.update(copy.deepcopy(best["value"]))

    async def propose_candidates(self, variable, pool, base):
        """`nb_candidates` new values to race against the incumbents.

        `pool` holds the predictions that may become examples (none from the
        samples the race judges on); `base` is the incumbent value. Subclasses
        say what varies (examples, instructions, ...).
        """
        raise NotImplementedError

    def example_counts(self):
        """The number of examples of each proposal in a race: spread from `nb_min_examples` to `nb_max_examples`,
        so the race also searches how many shots work best."""
        low, high, count = self.nb_min_examples, self.nb_max_examples, self.nb_candidates
        if count == 1:
            return [self._random.randint(low, high)]
        return [low + round(index * (high - low) / (count - 1)) for index in range(count)]

    async def _race(self, variable):
        """Scores the incumbents and `nb_candidates` proposals on the same held-out training samples.

        Every candidate runs on the first half of the samples; the better half
        goes on to the second (successive halving). The best mean reward wins,
        ties going to the incumbent. A refused call (the budget of `fit`) puts
        the variable back as it was and ends the race.
        """
        samples = self._trial_samples
        size = min(self.eval_size, len(samples) // 2)
        incumbent = self._candidate_value(variable)
        best = self.best_candidate(variable)
        # Demonstrations never come from the samples they are judged on: the incumbents' examples
        # are kept out of the trial samples (while enough others remain), the proposals' drawn apart.
        shown = {
            _key(e.get("inputs"))
            for value in (incumbent, best and best["value"])
            if value
            for e in value.get("examples") or []
        }
        fresh = [index for index, (x, _) in enumerate(samples) if _key(_json(x)) not in shown]
        if len(fresh) >= size:
            positions = self._random.sample(fresh, size)
        else:
            others = [index for index in range(len(samples)) if index not in set(fresh)]
            positions = fresh + self._random.sample(others, size - len(fresh))
        positions.sort()
        trial = [samples[index] for index in positions]
        held_out = {_key(_json(x)) for x, _ in trial}
        pool = [p for p in variable.get("predictions", []) if _key(p["inputs"]) not in held_out]
        await self._embed_inputs(pool)
        original = variable.get_json()
        candidates, seen = [], set()
        for value in [
            best["value"] if best else None,
            incumbent,
            *await self.propose_candidates(variable, pool, copy.deepcopy(best["value"] if best else incumbent)),
        ]:
            if value is not None and _key(value) not in seen:
                seen.add(_key(value))
                candidates.append(value)
        rewards = {index: [] for index in range(len(candidates))}
        alive = list(range(len(candidates)))
        calls = 0
        halves = [trial[: size // 2], trial[size // 2 :]]
        try:
            for round_index, part in enumerate(halves):
                scored = await self.score_candidates(variable, [candidates[index] for index in alive], part)
                for index, candidate_rewards in zip(alive, scored):
                    rewards[index].extend(candidate_rewards)
                    calls += len(part)
                if round_index == 0 and len(alive) > 2:  # successive halving: the worse half stops here
                    alive = sorted(alive, key=lambda i: -_mean(rewards[i]))[: (len(alive) + 1) // 2]
        except BaseException:
            variable.assign(original)
            raise
        # Ties go to the earlier candidate: the incumbent best, then the value in use.
        winner = max(alive, key=lambda i: (_mean(rewards[i]), -i))
        variable.assign({**original, **copy.deepcopy(candidates[winner])})
        population = self.populations.setdefault(self.variable_key(variable), [])
        wins = _pareto_wins([rewards[index][: len(halves[0])] for index in range(len(candidates))])
        for entry in population:  # the front is the latest race's
            entry["front"] = 0
        for index, value in enumerate(candidates):
            _add_rewards(population, value, rewards[index])["front"] = wins[index]
        await self.select(variable, population)
        self.trials.append(
            {
                "iteration": self.iterations,
                "variable": self.variable_key(variable),
                "samples": size,
                "sample_indices": positions,
                "calls": calls,
                "candidates": [self._describe(value, rewards[index]) for index, value in enumerate(candidates)],
                "chosen": winner,
            }
        )
        del self.trials[:-MAX_TRIALS]

    @staticmethod
    def _describe(value, rewards):
        """A candidate in a trial record: what it tried, in a few characters, and how it did."""
        summary = {"examples": len(value.get("examples") or [])}
        if value.get("instructions"):
            summary["instructions"] = str(value["instructions"])[:120]
        return {**summary, "score": _mean(rewards), "samples": len(rewards)}

    # Saving

    def get_state(self):
        return {
            **super().get_state(),
            "populations": copy.deepcopy(self.populations),
            "trials": copy.deepcopy(self.trials),
        }

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
        trials = state.get("trials", [])
        if not isinstance(trials, list) or not all(isinstance(trial, dict) for trial in trials):
            raise ValueError("The optimizer state's 'trials' must be a list of objects.")
        super().set_state(state)
        self.populations = copy.deepcopy(populations)
        self.trials = copy.deepcopy(trials[-MAX_TRIALS:])

    def get_config(self):
        return {
            **super().get_config(),
            "population_size": self.population_size,
            "nb_min_examples": self.nb_min_examples,
            "nb_max_examples": self.nb_max_examples,
            "sampling": self.sampling,
            "temperature": self.temperature,
            "max_predictions": self.max_predictions,
            "nb_candidates": self.nb_candidates,
            "eval_size": self.eval_size,
            "embedding_model": self.embedding_model,
        }


MAX_TRIALS = 50  # trials kept in the state (and in checkpoints): the newest


def _add_rewards(population, value, rewards):
    """Adds `rewards` to the running mean score of `value`'s entry in `population` (made if missing); returns it."""
    entry = next((candidate for candidate in population if _key(candidate["value"]) == _key(value)), None)
    if entry is None:
        entry = {"value": copy.deepcopy(value), "score": 0.0, "uses": 0}
        population.append(entry)
    total = entry["score"] * entry["uses"] + sum(rewards)
    entry["uses"] += len(rewards)
    entry["score"] = total / entry["uses"] if entry["uses"] else 0.0
    return entry


def _mean(values):
    return sum(values) / len(values) if values else 0.0


def _pareto_wins(reward_rows):
    """For each candidate, on how many samples it has the best reward (ties shared): GEPA's per-sample front.

    A candidate with no win is beaten on every sample it was judged on.
    """
    if not reward_rows or not reward_rows[0]:
        return [0] * len(reward_rows)
    wins = [0] * len(reward_rows)
    for sample in range(len(reward_rows[0])):
        best = max(row[sample] for row in reward_rows)
        for index, row in enumerate(reward_rows):
            wins[index] += row[sample] == best
    return wins
