import pytest

import synalinks
from synalinks.saving import deserialize, serialize
from tests.conftest import Answer


def test_mean_accumulates_and_resets():
    mean = synalinks.metrics.Mean(name="score")
    mean.update_state([1.0, 0.0])
    mean.update_state(1.0)
    assert mean.result() == pytest.approx(2 / 3)
    mean.reset_state()
    assert mean.result() == 0.0


def test_accuracy_with_masks_and_failed_predictions():
    accuracy = synalinks.metrics.Accuracy()
    accuracy.update_state([Answer(answer="a"), Answer(answer="b")], [Answer(answer="a"), None])
    assert accuracy.result() == 0.5
    assert accuracy.name == "accuracy" and accuracy.direction == "up"
    rebuilt = deserialize(serialize(synalinks.metrics.Accuracy(in_mask=["answer"], name="acc")))
    assert rebuilt.name == "acc" and rebuilt.fn_kwargs["in_mask"] == ["answer"]


def test_mean_metric_wrapper_and_direction():
    @synalinks.saving.register_synalinks_serializable(package="tests")
    def length(y_true, y_pred):
        return len(y_pred.get("answer"))

    metric = synalinks.metrics.MeanMetricWrapper(length, direction="down")
    metric.update_state([Answer(answer="x")] * 2, [Answer(answer="ab"), Answer(answer="abcd")])
    assert metric.result() == 3.0 and metric.name == "length"
    rebuilt = deserialize(serialize(metric))
    assert rebuilt.direction == "down" and rebuilt.fn is length
    with pytest.raises(ValueError, match="direction"):
        synalinks.metrics.Mean(direction="sideways")
