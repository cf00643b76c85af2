"""`score_candidate`: what a Ray worker does with one optimizer trial (a candidate value on samples)."""

import asyncio
import copy

from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.distributed.batch_runner import input_schema, output_schemas, program_for
from synalinks.distributed.worker_usage import models_usage, usage_since
from synalinks.language_models.call_budget import BudgetExceededError, CallBudget


def sample_rows(samples):
    """`(x, y)` pairs as plain JSON (what goes to the workers): `[[x_json, y_json], ...]`."""
    return [[_as_json(x), _as_json(y)] for x, y in samples]


def _as_json(value):
    return dict(value) if isinstance(value, dict) else value.get_json()


def score_candidate(payload, digest, limits, variable_index, value, rows, max_calls=None, max_cost=None):
    """Runs the program of `payload`, its trainable variable `variable_index` set to `value` (None: as it
    is), on the `(x, y)` rows and returns their rewards with what the trial spent.

    The worker keeps the program between trials (built once per payload) and
    puts the variable back after each. The calls go through a budget of
    `max_calls` / `max_cost` (this trial's share of `fit`'s): a refused call
    ends the trial with `refusal` set instead of rewards.

    Returns:
        `{"rewards", "calls", "cost", "requests", "refusal", "usage"}`
        (`refusal`: None or `{"message", "limit"}`; `usage`: see `usage_since`).
    """
    program = program_for(payload, digest, limits)
    x_schema, y_schema = input_schema(program), output_schemas(program)[0]
    pairs = [(JsonDataModel(schema=x_schema, json=x), JsonDataModel(schema=y_schema, json=y)) for x, y in rows]
    variable = program.trainable_variables[variable_index] if variable_index is not None else None
    original = variable.get_json() if variable is not None else None
    budget = CallBudget(max_calls, max_cost)

    async def run():
        with budget.active(), budget.optimizer_work():
            return await program.score_samples(pairs)

    rewards, refusal = None, None
    before = models_usage(program)
    try:
        if variable is not None:
            variable.update(copy.deepcopy(value))
        rewards = asyncio.run(run())
    except BudgetExceededError as error:
        refusal = {"message": str(error), "limit": error.limit}
    finally:
        if variable is not None:
            variable.assign(original)
    return {
        "rewards": rewards,
        "calls": budget.calls,
        "cost": budget.cost,
        "requests": budget.optimizer_requests,
        "refusal": refusal,
        "usage": usage_since(program, before),
    }
