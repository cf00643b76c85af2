"""`ConfusionScore`: F-beta, precision or recall from counts accumulated over the epoch."""

from synalinks.metrics.fbeta_score import FBetaScore, average_counts


class ConfusionScore(FBetaScore):
    """The base of the binary and categorical scores: true positives, false
    positives, false negatives and support are counted per key (a field or a
    label) over all the samples of the epoch, then scored by `average`
    ("micro" pools the counts, "macro" averages the keys' scores, "weighted"
    weights them by support), as scikit-learn does.

    Subclasses implement `sample_counts(expected, found)`: `{key: (tp, fp,
    fn, support)}` for one sample's masked target and prediction (dicts; the
    prediction is `{}` when the program failed).

    Arguments: those of `FBetaScore`.
    """

    def sample_counts(self, expected, found):
        raise NotImplementedError(f"{type(self).__name__} must implement `sample_counts(expected, found)`.")

    def update_state(self, y_true, y_pred):
        for true, pred in zip(y_true, y_pred):
            found = self.masked(pred) if pred is not None else {}
            for key, counts in self.sample_counts(self.masked(true), found).items():
                totals = self.counts.setdefault(key, [0, 0, 0, 0])
                for index, count in enumerate(counts):
                    totals[index] += int(count)

    def result(self):
        return float(average_counts(self.counts, self.average, self.score)) if self.counts else 0.0

    def reset_state(self):
        self.counts = {}

    def get_state(self):
        return {"counts": {key: list(counts) for key, counts in self.counts.items()}}

    def set_state(self, state):
        counts = state.get("counts", {})
        if not isinstance(counts, dict) or not all(
            isinstance(value, list) and len(value) == 4 and all(isinstance(v, int) for v in value)
            for value in counts.values()
        ):
            raise ValueError(f"The state of metric '{self.name}' is malformed: expected 'counts' of four integers.")
        self.counts = {key: list(value) for key, value in counts.items()}
