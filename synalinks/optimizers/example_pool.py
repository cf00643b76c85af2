"""`ExamplePool`: the rewarded predictions and labeled demonstrations a population optimizer keeps per
variable, and how few-shot examples are drawn from them (by `sampling`, balanced across outputs, made
diverse when inputs are embedded)."""

import json
import math

from synalinks.language_models.embedding_model import cosine_similarity


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def value_key(value):
    return json.dumps(value, sort_keys=True)


def sample_json(data_model):
    """A sample's inputs as JSON (a tuple of inputs as a list)."""
    if isinstance(data_model, tuple):
        return [sample_json(item) for item in data_model]
    return data_model.get_json() if hasattr(data_model, "get_json") else data_model


class ExamplePool:
    """The example pool of a `PopulationOptimizer` (a mixin: it uses the optimizer's `sampling`,
    `temperature`, `nb_min_examples`, `nb_max_examples`, `max_predictions`, `embedding_model` and
    random generator)."""

    def _update_predictions(self, variable, calls):
        pool = {}
        new = [{"inputs": i, "outputs": o, "reward": r} for i, o, r, _ in calls if o is not None]
        new += self._labeled_demonstrations(calls)
        for prediction in [*variable.get("predictions", []), *new]:
            # A labeled demonstration and the program's own prediction for one input are both kept.
            key = (value_key(prediction["inputs"]), bool(prediction.get("labeled")))
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
            key = value_key(prediction["inputs"])
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
            groups.setdefault(value_key(prediction["outputs"]), []).append(prediction)
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
        vectors = [self._input_vectors.get(value_key(prediction["inputs"])) for prediction in ordered]
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
        missing = sorted({value_key(p["inputs"]) for p in predictions} - set(self._input_vectors))
        if missing:
            for key, vector in zip(missing, await self.embedding_model(missing)):
                self._input_vectors[key] = vector
