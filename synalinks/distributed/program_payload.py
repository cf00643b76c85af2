"""What the workers get: the program as JSON (no secret in it) and how to split the LM limits."""

import hashlib
import json

from synalinks.programs.program_files import program_document


def program_payload(program):
    """The program (architecture, variables, compile config) as a JSON string and its digest.

    API keys are never part of it (`LanguageModel.get_config` leaves every
    secret out): workers read them from their own environment (the provider's
    usual variable, e.g. `OPENAI_API_KEY`).

    Example:

    ```python
    text, digest = program_payload(program)
    assert "sk-" not in text
    ```
    """
    text = json.dumps(program_document(program), sort_keys=True)
    return text, hashlib.sha256(text.encode()).hexdigest()


def check_lm_limits(share):
    """Returns `share` if it is "split" or "per_worker" (the `lm_limits` argument), else raises ValueError."""
    if share not in ("split", "per_worker"):
        raise ValueError(f"`lm_limits` must be 'split' or 'per_worker', got {share!r}.")
    return share


def worker_limits(program, num_workers, share):
    """`{model name: (max_concurrency, requests_per_minute)}` for each worker.

    `share="split"`: each worker gets its part of each model's limits, so
    the whole cluster keeps to them; `"per_worker"`: each worker gets them whole.
    """
    check_lm_limits(share)
    limits = {}
    for language_model in program.language_models():
        concurrency = language_model.concurrency_limit
        rate = language_model.requests_per_minute
        if share == "split":
            concurrency = max(1, concurrency // num_workers)
            rate = max(1, rate // num_workers) if rate else None
        limits[language_model.name] = (concurrency, rate)
    return limits
