import pytest

import synalinks
from synalinks.saving import deserialize, serialize
from synalinks.testing import ScriptedLanguageModel
from tests.conftest import correct_reply, make_data, qa_program


class Pair(synalinks.DataModel):
    title: str
    body: str


TRUE = Pair(title="the red cat", body="a b c d")
# title: 2 of 3 true words found, 1 wrong word; body: 4 of 4 found, 4 extra words.
PRED = Pair(title="the red dog", body="a b c d e f g h")


def value(metric):
    metric.update_state([TRUE], [PRED])
    return metric.result()


def test_f1_micro_macro_weighted():
    # title: tp=2 fp=1 fn=1 -> P=R=F1=2/3 ; body: tp=4 fp=4 fn=0 -> P=1/2 R=1 F1=2/3
    assert value(synalinks.metrics.F1Score(average="macro")) == pytest.approx(2 / 3)
    # micro: tp=6 fp=5 fn=1 -> P=6/11 R=6/7
    micro_p, micro_r = 6 / 11, 6 / 7
    assert value(synalinks.metrics.F1Score()) == pytest.approx(2 * micro_p * micro_r / (micro_p + micro_r))
    assert value(synalinks.metrics.F1Score(average="weighted")) == pytest.approx((2 / 3 * 3 + 2 / 3 * 4) / 7)


def test_precision_recall_fbeta_and_masks():
    assert value(synalinks.metrics.Precision(in_mask=["body"])) == pytest.approx(0.5)
    assert value(synalinks.metrics.Recall(in_mask=["body"])) == pytest.approx(1.0)
    beta = 2.0
    expected = (1 + beta**2) * 0.5 * 1.0 / (beta**2 * 0.5 + 1.0)
    assert value(synalinks.metrics.FBetaScore(beta=beta, out_mask=["title"])) == pytest.approx(expected)


def test_missing_predictions_and_empty_targets():
    metric = synalinks.metrics.F1Score()
    metric.update_state([TRUE, Pair(title="", body="")], [None, Pair(title="", body="")])
    assert metric.result() == pytest.approx(0.5)
    assert metric.direction == "up"
    with pytest.raises(ValueError, match="average"):
        synalinks.metrics.F1Score(average="median")


def test_f_score_configs_round_trip():
    for metric in (
        synalinks.metrics.F1Score(average="macro", in_mask=["x"]),
        synalinks.metrics.Precision(),
        synalinks.metrics.Recall(),
        synalinks.metrics.FBetaScore(beta=0.5),
        synalinks.metrics.Sum(),
    ):
        rebuilt = deserialize(serialize(metric))
        assert type(rebuilt) is type(metric) and rebuilt.get_config() == metric.get_config()


def test_sum():
    total = synalinks.metrics.Sum()
    total.update_state([1.0, 2.5])
    assert total.result() == 3.5


def test_lm_usage_metric_in_fit_logs_and_checkpoint_mode(tmp_path):
    lm = ScriptedLanguageModel(reply_function=correct_reply)
    program = qa_program(lm)
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.RandomFewShot(seed=0),
        metrics=[synalinks.metrics.LMUsageMetric("calls"), synalinks.metrics.LMUsageMetric("completion_tokens")],
    )
    x, y = make_data(6)
    checkpoint = synalinks.callbacks.ProgramCheckpoint(
        filepath=tmp_path / "c.json", monitor="val_lm_calls", save_best_only=True
    )
    history = program.fit(
        x, y, validation_data=make_data(3, 50), batch_size=3, epochs=2, verbose=0, callbacks=[checkpoint]
    )
    assert history.history["lm_calls"] == [6, 6]
    assert history.history["val_lm_calls"] == [3, 3]
    assert history.history["lm_completion_tokens"][0] > 0
    assert checkpoint.maximize is False, "fewer calls is better"
    with pytest.raises(ValueError, match="field"):
        synalinks.metrics.LMUsageMetric("joules")
