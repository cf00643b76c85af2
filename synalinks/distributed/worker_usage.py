"""What the language models used on a Ray worker, sent back and counted in this process' models."""

import json


def models_usage(program):
    """`{model name: usage state}` of the program's language models now."""
    return {language_model.name: language_model.usage.state() for language_model in program.language_models()}


def usage_since(program, before):
    """What each of the program's models used since `before` (a `models_usage`), as JSON text."""
    return json.dumps(
        {model.name: model.usage.since(before.get(model.name, {})) for model in program.language_models()}
    )


def add_workers_usage(program, texts):
    """Adds the usage a worker sent (`usage_since` texts; empty ones are skipped) to the program's
    models of the same names, so their `usage` and `LMUsageMetric` count the workers' calls too."""
    models = {model.name: model for model in program.language_models()}
    for text in texts:
        if not text:
            continue
        for name, delta in json.loads(text).items():
            if name in models:
                models[name].usage.add(delta)
