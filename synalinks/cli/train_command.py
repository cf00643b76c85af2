"""`synalinks train`: train a bundled example program and keep the best checkpoint."""

import os

EXAMPLES = {
    "sentiment": ("Review", "Sentiment"),
    "arithmetic": ("Problem", "NumericAnswer"),
    "extraction": ("Message", "Order"),
}
# Examples the embedded model cannot learn, measured: training would spend minutes to stay where it starts.
NEEDS_A_PROVIDER = {
    "arithmetic": "the embedded 135M model cannot do arithmetic, with or without examples",
}


def build_program(example, language_model):
    """The program of a bundled example: `Input -> Generator` with the task's instructions."""
    import synalinks

    dataset = getattr(synalinks.datasets, example)
    inputs_name, outputs_name = EXAMPLES[example]
    return synalinks.Sequential(
        [
            synalinks.Input(data_model=getattr(dataset, inputs_name)),
            synalinks.Generator(
                data_model=getattr(dataset, outputs_name),
                language_model=language_model,
                instructions=dataset.INSTRUCTIONS,
            ),
        ],
        name=example,
    )


def train(example, model, epochs, batch_size, output, out, verbose=1, max_calls=None, max_cost=None):
    """Trains the example, prints accuracy before and after, where the best program is, and predictions.

    Refuses, before anything runs, an example that the embedded model cannot learn (exit status 2).
    """
    if model.startswith("local/") and example in NEEDS_A_PROVIDER:
        out(
            f"The {example} example needs a provider model: {NEEDS_A_PROVIDER[example]}. Run it with one, "
            f"e.g. synalinks train --example {example} --model openai/gpt-4o-mini (or ollama/llama3.2). "
            "Nothing was trained."
        )
        return 2
    import synalinks

    dataset = getattr(synalinks.datasets, example)
    (x_train, y_train), (x_test, y_test) = dataset.load_data()
    language_model = synalinks.LanguageModel(model=model)
    program = build_program(example, language_model)
    program.compile(
        reward=synalinks.rewards.ExactMatch(),
        optimizer=synalinks.optimizers.RandomFewShot(seed=0),
        metrics=[synalinks.metrics.Accuracy()],
    )
    folder = os.path.join(output, example)
    backup_dir = os.path.join(folder, "backup")
    out(f"Training the {example} example on {model} for {epochs} epochs (checkpoints in {folder}).")
    resuming = os.path.exists(os.path.join(backup_dir, "backup.json"))
    if resuming:
        out(f"An interrupted run was found in {backup_dir}: going on from where it stopped.")
    else:
        before = program.evaluate(x_test, y_test, batch_size=batch_size, verbose=0)
        out(f"validation accuracy before training: {before['accuracy']:.2f}")
    best_path = os.path.join(folder, "best.program.json")
    stops = []
    spent_before = program.lm_usage().get(model, {}).get("cost", 0.0)
    history = program.fit(
        x_train,
        y_train,
        validation_data=(x_test, y_test),
        epochs=epochs,
        batch_size=batch_size,
        seed=0,
        verbose=verbose,
        max_calls=max_calls,
        max_cost=max_cost,
        callbacks=[
            synalinks.callbacks.LambdaCallback(on_train_interrupted=lambda reason, logs=None: stops.append(reason)),
            synalinks.callbacks.ProgramCheckpoint(best_path, monitor="val_accuracy", save_best_only=True),
            synalinks.callbacks.CSVLogger(os.path.join(folder, "history.csv"), append=resuming),
            synalinks.callbacks.BackupAndRestore(backup_dir, save_freq=1),
        ],
    )
    if stops and stops[0] in ("max_calls", "max_cost"):
        spent = program.lm_usage().get(model, {}).get("cost", 0.0) - spent_before
        out(
            f"Training stopped: the --{stops[0].replace('_', '-')} budget is spent (training spent ${spent:.6f}). "
            "Run the same command with a larger budget to go on from the backup."
        )
    failures = history.history.get("failures", [])
    if failures and all(count >= len(x_train) for count in failures):
        out(f"Training failed: every call to {model} failed in every epoch (see the warnings above).")
        return 1
    if not os.path.exists(best_path):
        out(f"Training wrote no checkpoint to {best_path} (see the warning above).")
        return 1
    best = synalinks.programs.load_program(best_path)
    after = best.evaluate(x_test, y_test, batch_size=batch_size, verbose=0)
    out(f"validation accuracy of the best checkpoint: {after['accuracy']:.2f} (epoch {best.checkpoint_info['epoch']})")
    out(f"best program: {best_path}")
    out(f"training log: {os.path.join(folder, 'history.csv')}")
    out("a few predictions of the best program:")
    for inputs, target, prediction in zip(x_test[:3], y_test[:3], best.predict(x_test[:3], verbose=0)):
        found = prediction.get_json() if prediction is not None else None
        out(f"  {inputs.get_json()} -> {found} (expected {target.get_json()})")
    usage = program.lm_usage().get(model, {})
    out(f"language model: {usage.get('calls', 0)} calls, {usage.get('mean_latency', 0.0):.2f} s per call")
    return 0
