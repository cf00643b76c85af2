"""`CandidateRace`: candidate values of a variable raced on the same held-out training samples, with
successive halving, the winner loaded and every trial recorded."""

import copy

from synalinks.optimizers.example_pool import sample_json, value_key


class CandidateRace:
    """The race of a `PopulationOptimizer` (a mixin: it uses the optimizer's trial samples, populations,
    `propose_candidates`, `score_candidates` and `select`)."""

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
            value_key(e.get("inputs"))
            for value in (incumbent, best and best["value"])
            if value
            for e in value.get("examples") or []
        }
        fresh = [index for index, (x, _) in enumerate(samples) if value_key(sample_json(x)) not in shown]
        if len(fresh) >= size:
            positions = self._random.sample(fresh, size)
        else:
            others = [index for index in range(len(samples)) if index not in set(fresh)]
            positions = fresh + self._random.sample(others, size - len(fresh))
        positions.sort()
        trial = [samples[index] for index in positions]
        held_out = {value_key(sample_json(x)) for x, _ in trial}
        pool = [p for p in variable.get("predictions", []) if value_key(p["inputs"]) not in held_out]
        await self._embed_inputs(pool)
        original = variable.get_json()
        candidates, seen = [], set()
        for value in [
            best["value"] if best else None,
            incumbent,
            *await self.propose_candidates(variable, pool, copy.deepcopy(best["value"] if best else incumbent)),
        ]:
            if value is not None and value_key(value) not in seen:
                seen.add(value_key(value))
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
                    alive = sorted(alive, key=lambda i: -mean(rewards[i]))[: (len(alive) + 1) // 2]
        except BaseException:
            variable.assign(original)
            raise
        # Ties go to the earlier candidate: the incumbent best, then the value in use.
        winner = max(alive, key=lambda i: (mean(rewards[i]), -i))
        variable.assign({**original, **copy.deepcopy(candidates[winner])})
        population = self.populations.setdefault(self.variable_key(variable), [])
        wins = pareto_wins([rewards[index][: len(halves[0])] for index in range(len(candidates))])
        for entry in population:  # the front is the latest race's
            entry["front"] = 0
        for index, value in enumerate(candidates):
            add_rewards(population, value, rewards[index])["front"] = wins[index]
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
        return {**summary, "score": mean(rewards), "samples": len(rewards)}


MAX_TRIALS = 50  # trials kept in the state (and in checkpoints): the newest


def add_rewards(population, value, rewards):
    """Adds `rewards` to the running mean score of `value`'s entry in `population` (made if missing); returns it."""
    entry = next((candidate for candidate in population if value_key(candidate["value"]) == value_key(value)), None)
    if entry is None:
        entry = {"value": copy.deepcopy(value), "score": 0.0, "uses": 0}
        population.append(entry)
    total = entry["score"] * entry["uses"] + sum(rewards)
    entry["uses"] += len(rewards)
    entry["score"] = total / entry["uses"] if entry["uses"] else 0.0
    return entry


def mean(values):
    return sum(values) / len(values) if values else 0.0


def pareto_wins(reward_rows):
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
