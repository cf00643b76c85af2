"""`get`, `serialize`, `deserialize`: metrics by name, by config, or as they are (Keras' `metrics.get`)."""

from synalinks.metrics.metric import Metric
from synalinks.saving import serialization
from synalinks.saving.named_objects import object_by_name


def serialize(metric):
    """The metric's config (`deserialize` builds it back).

    Example:

    ```python
    config = synalinks.metrics.serialize(synalinks.metrics.F1Score())
    ```
    """
    return serialization.serialize(metric)


def deserialize(config, custom_objects=None):
    """Builds a metric from `serialize`'s output."""
    return serialization.deserialize(config, custom_objects=custom_objects)


def get(identifier):
    """A metric from a name (`"f1_score"` or `"F1Score"`), a config, a function or a metric.

    A function becomes a `MeanMetricWrapper` (the mean of its per-sample values).

    Raises:
        ValueError: for a name no metric has, listing the names.

    Example:

    ```python
    program.compile(reward=synalinks.rewards.ExactMatch(), metrics=[synalinks.metrics.get("accuracy")])
    ```
    """
    from synalinks import metrics

    if identifier is None or isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        excluded = (Metric, metrics.Mean, metrics.MeanMetricWrapper, metrics.Sum, metrics.Min, metrics.Max)
        return object_by_name(identifier, metrics, Metric, "metric", excluded)
    if callable(identifier):
        return metrics.MeanMetricWrapper(identifier)
    raise ValueError(f"Cannot make a metric from {identifier!r}: give a name, a config, a function or a Metric.")
