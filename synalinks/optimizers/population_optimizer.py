"""`PopulationOptimizer`: a population of candidate values per variable, the best kept."""

import copy

from synalinks.optimizers.candidate_race import MAX_TRIALS, CandidateRace, add_rewards
from synalinks.optimizers.example_pool import ExamplePool, is_number, value_key
from synalinks.optimizers.optimizer import Optimizer
from synalinks.utils.checks import check_non_negative_int, check_positive_int

SAMPLINGS = ("random", "best", "softmax")


class PopulationOptimizer(ExamplePool, CandidateRace, Optimizer):
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

    # The population

    def _candidate_value(self, variable):
        return {key: copy.deepcopy(value) for key, value in variable.get_json().items() if key != "predictions"}

    def _score_current(self, variable, calls):
        population = self.populations.setdefault(self.variable_key(variable), [])
        add_rewards(population, self._candidate_value(variable), [reward for _, _, reward, _ in calls])
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
        current = value_key(self._candidate_value(variable))
        if population and all(value_key(candidate["value"]) != current for candidate in population):
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
                and is_number(candidate.get("score"))
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
