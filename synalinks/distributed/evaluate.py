"""`synalinks.distributed.evaluate`: a compiled program's reward and metrics over a Ray Dataset."""

import asyncio

from synalinks.distributed.batch_runner import (
    OUTPUT,
    REWARD,
    USAGE,
    decode_output,
    output_schemas,
    rows_as_data_models,
)
from synalinks.distributed.map_program import map_program
from synalinks.distributed.ray_cluster import import_ray
from synalinks.distributed.ray_datasets import ray_dataset
from synalinks.distributed.worker_usage import add_workers_usage


def evaluate(
    program,
    dataset=None,
    *,
    x=None,
    y=None,
    batch_size=32,
    num_workers=2,
    lm_limits="split",
    input_fields=None,
    target_fields=None,
    return_dict=True,
    num_cpus=1,
):
    """Evaluates a compiled program on Ray workers; the same logs as `program.evaluate` on the same data.

    Workers predict and compute each sample's reward (an `LMAsJudge`'s calls
    run there too); the metrics are added up here, batch by batch in input
    order, as `evaluate` does, so the figures are the same. What the workers'
    language models used is added to this process' models (`usage`,
    `LMUsageMetric`).

    Args:
        program: A compiled program.
        dataset: A `ray.data.Dataset` whose rows hold the input fields and,
            beside them, the target fields.
        x, y: Inputs and targets (data models or dicts) instead of `dataset`.
        batch_size: Rows per batch (also the batches the metrics are added up by).
        num_workers: Ray tasks running at once.
        num_cpus: CPUs each task reserves (Ray's default, 1). A worker that
            waits on a hosted LM uses little: a fraction (e.g. 0.5) lets
            Ray Data read and write beside the workers on a small machine.
        lm_limits: "split" or "per_worker" (see `synalinks.distributed.predict`).
        input_fields, target_fields: The columns to read (default: the fields
            of the input and output schemas).
        return_dict: Return `{name: value}` (else the values in order).

    Example:

    ```python
    logs = synalinks.distributed.evaluate(program, x=x_test, y=y_test, batch_size=32)
    logs["reward"]
    ```
    """
    if program.reward is None:
        raise RuntimeError("Call program.compile(reward=...) before synalinks.distributed.evaluate().")
    ray = import_ray()
    data = ray_dataset(ray, dataset, x, y)
    schemas = output_schemas(program)
    target_fields = list(target_fields or schemas[0].get("properties", {}))
    program.reset_metrics()

    async def add(y_true, y_pred, rewards):
        await program.compute_metrics(y_true, y_pred, rewards)

    mapped = map_program(
        ray, program, data, batch_size, num_workers, lm_limits, input_fields, target_fields, num_cpus=num_cpus
    )
    for batch in mapped:
        add_workers_usage(program, batch[USAGE])
        y_pred = [decode_output(text, schemas) for text in batch[OUTPUT]]
        y_true = rows_as_data_models(batch, target_fields, schemas[0])
        asyncio.run(add(y_true, y_pred, [float(reward) for reward in batch[REWARD]]))
    logs = program.get_metrics_result()
    return logs if return_dict else list(logs.values())
