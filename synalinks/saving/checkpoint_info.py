"""`read_checkpoint_info`: what wrote a checkpoint, read without building the program."""

from synalinks.saving.file_format import PROGRAM_FORMAT, VARIABLES_FORMAT, read_json_file


def read_checkpoint_info(path):
    """Returns what a program or variables file records about itself.

    The result has the file's `format`, `format_version`, `synalinks_version`
    and `saved_at`, and the metadata its writer added (for a checkpoint: `epoch`,
    `batch`, `global_step`, `monitor`, `value`, `logs`, `time`). The file is
    read and checked like any load, so a truncated or unknown file fails
    with a clear error.

    Example:

    ```python
    info = synalinks.saving.read_checkpoint_info("/tmp/synalinks/checkpoint.program.json")
    info["epoch"], info["value"]
    ```
    """
    document = read_json_file(path, (PROGRAM_FORMAT, VARIABLES_FORMAT))
    header = {key: document.get(key) for key in ("format", "format_version", "synalinks_version", "saved_at")}
    metadata = document.get("metadata") or {}
    return {**header, **metadata}
