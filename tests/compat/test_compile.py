"""`Program.compile` in Keras' and Synalinks' order, with reward_weights, run_eagerly and steps_per_execution."""

import synalinks
from tests.conftest import make_data, qa_program


def test_positional_arguments_follow_the_reference_order(lm):
    program = qa_program(lm)
    optimizer = synalinks.optimizers.RandomFewShot()
    reward = synalinks.rewards.ExactMatch()
    program.compile(optimizer, reward, None, [synalinks.metrics.Accuracy()])
    assert program.optimizer is optimizer and program.reward is reward
    assert [metric.name for metric in program.metrics] == ["reward", "failures", "accuracy"]


def test_reward_weights_scale_the_reward(lm):
    program = qa_program(lm)
    program.compile(reward=synalinks.rewards.ExactMatch(), reward_weights=[0.5], metrics=[synalinks.metrics.Accuracy()])
    logs = program.evaluate(*make_data(4), verbose=0)
    assert logs["reward"] == 0.5 and logs["accuracy"] == 1.0


def test_steps_per_execution_from_compile_is_fit_s_default(lm):
    program = qa_program(lm)
    program.compile(reward=synalinks.rewards.ExactMatch(), run_eagerly=True, steps_per_execution=2)
    ends = []
    callback = synalinks.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: ends.append(batch))
    program.fit(*make_data(8), batch_size=2, epochs=1, verbose=0, callbacks=[callback])
    assert ends == [1, 3] and program.run_eagerly is True
    config = program.get_compile_config()
    assert (config["steps_per_execution"], config["run_eagerly"]) == (2, True)
