"""`synalinks.distributed.predict`: a program's predictions over a Ray Dataset, in input order."""

from synalinks.distributed.batch_runner import OUTPUT, USAGE, decode_output, output_schemas
from synalinks.distributed.map_program import map_program
from synalinks.distributed.ray_cluster import import_ray
from synalinks.distributed.ray_datasets import ray_dataset
from synalinks.distributed.worker_usage import add_workers_usage
from synalinks.trainers.prediction_file import FINGERPRINT_RECORDS, PredictionFile


def predict(
    program,
    dataset=None,
    *,
    x=None,
    batch_size=32,
    num_workers=2,
    lm_limits="split",
    input_fields=None,
    predict_to=None,
    num_cpus=1,
):
    """Runs `program` on every record of a Ray Dataset, on Ray workers; the same outputs, in the same order,
    as `program.predict`.

    Each worker builds the program from its JSON once (API keys are never in
    it: workers read them from their environment) and runs its batches with
    the program's own concurrency inside. Runs on the cluster the process
    joined (`ray.init(address=...)`), else on a local one (`ray.init()`).

    Args:
        program: The program (its trained variables go with it).
        dataset: A `ray.data.Dataset` whose rows hold the input fields.
        x: Inputs (data models or dicts) instead of `dataset`.
        batch_size: Rows per batch handed to a worker.
        num_workers: Ray tasks running at once.
        num_cpus: CPUs each task reserves (Ray's default, 1). A worker that
            waits on a hosted LM uses little: a fraction (e.g. 0.5) lets
            Ray Data read and write beside the workers on a small machine.
        lm_limits: "split" (default): each worker gets its share of each
            language model's `max_concurrency` and `requests_per_minute`, so
            the cluster keeps to them; "per_worker": each gets them whole.
        input_fields: The columns to read (default: the input schema's fields).
        predict_to: A JSON Lines file: outputs are written as they come (one
            line per record, in order) instead of returned; with `x=`, a run
            started again continues the file.

    Returns:
        A numpy object array of outputs (`None` for a failed sample), or with
        `predict_to` the number of records written in all.

    Example:

    ```python
    import ray

    ray.init()  # or ray.init(address="ray://head:10001")
    dataset = ray.data.read_json("qa.jsonl", lines=True)  # {"query": ...} per line
    outputs = synalinks.distributed.predict(program, dataset, batch_size=64, num_workers=4)
    ```
    """
    ray = import_ray()
    prediction_file = PredictionFile(predict_to, program) if predict_to is not None else None
    done = prediction_file.open() if prediction_file is not None else 0
    outputs, written, seen = [], done, 0
    try:
        if prediction_file is not None:  # the file is continued only for the same first inputs
            first = list(x[:FINGERPRINT_RECORDS]) if x is not None else dataset.take(FINGERPRINT_RECORDS)
            prediction_file.check_inputs(first)
        skip_in_results = done if dataset is not None else 0  # a Ray Dataset has no cheap offset
        data = ray_dataset(ray, dataset, x, skip=done if x is not None else 0)
        schemas = output_schemas(program)
        mapped = map_program(ray, program, data, batch_size, num_workers, lm_limits, input_fields, num_cpus=num_cpus)
        for batch in mapped:
            add_workers_usage(program, batch[USAGE])
            texts = list(batch[OUTPUT])
            if skip_in_results > seen:
                cut = min(len(texts), skip_in_results - seen)
                seen += cut
                texts = texts[cut:]
            if prediction_file is not None:
                prediction_file.write("".join(text + "\n" for text in texts))
                written += len(texts)
            else:
                outputs.extend(decode_output(text, schemas) for text in texts)
    finally:
        if prediction_file is not None:
            prediction_file.close()
    if prediction_file is not None:
        return written
    import numpy as np

    result = np.empty(len(outputs), dtype=object)
    for index, output in enumerate(outputs):
        result[index] = output
    return result
