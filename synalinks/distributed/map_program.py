"""`map_program`: the program run over a Ray Dataset by `num_workers` Ray tasks, results in input order."""

from synalinks.distributed.batch_runner import input_schema, output_schemas, run_program_on_batch
from synalinks.distributed.program_payload import program_payload, worker_limits
from synalinks.utils.checks import check_positive_int, check_positive_number


def map_program(
    ray, program, dataset, batch_size, num_workers, lm_limits, input_fields=None, target_fields=None, num_cpus=1
):
    """Yields the result batches (column dicts: `_synalinks_output`, `_synalinks_reward`, the targets), in order.

    Each worker builds the program once from its JSON and runs a batch at a
    time with its share of the language models' limits. A worker that dies
    has its batch run again by Ray (`max_retries`); results come back in
    input order, each batch once.
    """
    check_positive_int(batch_size, "batch_size")
    check_positive_int(num_workers, "num_workers")
    check_positive_number(num_cpus, "num_cpus")
    payload, digest = program_payload(program)
    input_fields = list(input_fields or input_schema(program).get("properties", {}))
    if target_fields is not None:
        target_fields = list(target_fields or output_schemas(program)[0].get("properties", {}))
    # Blocks of a batch each (streamed, no shuffle), so a file read as one block still feeds every worker.
    mapped = dataset.repartition(target_num_rows_per_block=batch_size).map_batches(
        run_program_on_batch,
        batch_size=batch_size,
        batch_format="numpy",
        compute=ray.data.TaskPoolStrategy(size=num_workers),
        num_cpus=num_cpus,
        fn_kwargs={
            "payload": payload,
            "digest": digest,
            "limits": worker_limits(program, num_workers, lm_limits),
            "input_fields": input_fields,
            "target_fields": target_fields,
        },
    )  # a worker lost mid-batch: Ray runs its task again (tasks are retried 3 times by default)
    # A Dataset keeps the DataContext it was made with: ask that one to keep the input order.
    mapped.context.execution_options.preserve_order = True
    yield from mapped.iter_batches(batch_size=batch_size, batch_format="numpy")
