"""`run_program_on_batch`: what a Ray worker does with a batch of rows."""

import asyncio
import gc
import json
from typing import Any

from synalinks.data_models.json_data_model import JsonDataModel
from synalinks.distributed.worker_usage import models_usage, usage_since
from synalinks.utils.tree import flatten

INDEX = "_synalinks_index"
OUTPUT = "_synalinks_output"
REWARD = "_synalinks_reward"
USAGE = "_synalinks_usage"  # what the batch's calls used, in the batch's first row ("" in the others)

_programs: dict[str, Any] = {}  # digest -> the program, built once per worker process and reused for its next batches


def program_for(payload, digest, limits):
    """The program of `payload`, built the first time this worker sees it, with its share of the LM limits."""
    program = _programs.get(digest)
    if program is None:
        from synalinks.programs.program_files import program_from_document
        from synalinks.saving.safe_mode import SafeModeScope

        with SafeModeScope(safe_mode=False):  # the driver's own program, not a file from elsewhere
            program = program_from_document(json.loads(payload), "the program sent by synalinks.distributed")
        for language_model in program.language_models():
            if language_model.name in limits:
                language_model.set_rate_limits(*limits[language_model.name])
        _programs.clear()
        _programs[digest] = program
        # What is alive now (imported modules, the program) stays alive: keep the collector from walking
        # it at every full collection (litellm alone is ~400,000 objects; ~2% of a worker's time).
        gc.collect()
        gc.freeze()
    return program


def input_schema(program):
    leaves = flatten(program.inputs)
    if len(leaves) != 1:
        raise ValueError(
            f"synalinks.distributed runs programs with one input; '{program.name}' has {len(leaves)}. "
            "Concatenate them into one data model first."
        )
    return leaves[0].get_schema()


def output_schemas(program):
    return [leaf.get_schema() for leaf in flatten(program.outputs)]


def rows_as_data_models(batch, fields, schema):
    """The rows of a column batch as `JsonDataModel`s of `schema`, taking `fields`."""
    return list(data_models_of(_columns(batch, fields), schema))


def data_models_of(columns, schema, start=0, stop=None):
    """`JsonDataModel`s of `schema` made from rows `start` to `stop` of `{field: list}` columns."""
    count = _row_count(columns)
    for i in range(start, count if stop is None else min(stop, count)):
        yield JsonDataModel(schema=schema, json={field: column[i] for field, column in columns.items()})


def _row_count(columns):
    return len(next(iter(columns.values()))) if columns else 0


def _columns(batch, fields):
    return {field: _column(batch, field) for field in fields}


def _column(batch, field):
    if field not in batch:
        raise KeyError(f"The dataset has no column '{field}' (it has {sorted(batch)}).")
    column = batch[field]
    return column.tolist() if hasattr(column, "tolist") else list(column)


def encode_output(output):
    """One prediction as a JSON line's text (`null` for a failed sample; a list for several outputs)."""
    if isinstance(output, (list, tuple)):
        return json.dumps([item.get_json() if item is not None else None for item in output])
    return json.dumps(output.get_json() if output is not None else None)


def decode_output(text, schemas):
    """`encode_output`'s text back as the program's output(s) (None for a failed sample)."""
    value = json.loads(text)
    if value is None:
        return None
    if len(schemas) == 1:
        return JsonDataModel(schema=schemas[0], json=value)
    return tuple(
        JsonDataModel(schema=schema, json=item) if item is not None else None for schema, item in zip(schemas, value)
    )


def run_program_on_batch(batch, payload, digest, limits, input_fields, target_fields):
    """Runs the program on a batch of rows: returns the batch's index and target columns, each row's
    prediction (`_synalinks_output`, JSON text), with targets its reward (`_synalinks_reward`), and what
    the language models used (`_synalinks_usage`)."""
    import numpy as np

    from synalinks.callbacks.lambda_callback import LambdaCallback

    program = program_for(payload, digest, limits)
    columns = _columns(batch, input_fields)
    count = _row_count(columns)
    # As many samples in flight as the worker's language models take at once: more would only queue.
    window = max(1, min(count, max((concurrency for concurrency, _ in limits.values()), default=count)))
    schema = input_schema(program)
    # Inputs made and outputs encoded a small batch at a time while the calls run, not all before and after.
    inputs = (list(data_models_of(columns, schema, start, start + window)) for start in range(0, count, window))
    outputs, encoded = [], []

    def keep(step, logs=None):
        outputs.extend(logs["outputs"])
        encoded.extend(encode_output(output) for output in logs["outputs"])

    async def run():
        await program.predict(
            inputs, batch_size=window, verbose=0, callbacks=[LambdaCallback(on_predict_batch_end=keep)]
        )
        if target_fields:
            y = rows_as_data_models(batch, target_fields, output_schemas(program)[0])
            return await program.compute_rewards(y, outputs)
        return None

    before = models_usage(program)
    rewards = asyncio.run(run())
    result = {name: batch[name] for name in (INDEX, *(target_fields or ())) if name in batch}
    result[OUTPUT] = np.array(encoded, dtype=object)
    if rewards is not None:
        result[REWARD] = np.array(rewards, dtype=float)
    result[USAGE] = np.array([usage_since(program, before)] + [""] * (count - 1) if count else [], dtype=object)
    return result
