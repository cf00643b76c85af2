"""`JSONLDataset`: rows from JSON Lines files, one object per line, streamed."""

import json

from synalinks.datasets.dataset import Dataset, DatasetRowError
from synalinks.datasets.source_files import source_files
from synalinks.saving import storage


class JSONLDataset(Dataset):
    """Rows from JSON Lines files (local or any fsspec URL), read line by line in bounded memory.

    Args:
        path: A file, a list of files, or a folder (its `.jsonl` files).
        encoding: The files' text encoding.
        columns: Keep only these keys of each row (optional).
        **kwargs: The `Dataset` arguments (data models or schemas, templates,
            `batch_size` (default 1), `limit`, `repeat`).

    Example:

    ```python
    dataset = synalinks.datasets.JSONLDataset(
        "qa.jsonl", input_data_model=Query, output_data_model=Answer, batch_size=8
    )  # each line: {"query": "...", "answer": "..."}
    program.fit(x=dataset, epochs=2)
    ```
    """

    def __init__(self, path, encoding="utf-8", columns=None, batch_size=1, **kwargs):
        super().__init__(batch_size=batch_size, **kwargs)
        self.paths = source_files(path, suffix=".jsonl")
        self.encoding = encoding
        self.columns = list(columns) if columns is not None else None

    def iter_rows(self):
        for path in self.paths:
            with storage.open_binary(path) as file:
                for number, raw in enumerate(file, start=1):
                    where = f"{path}:{number}"
                    try:
                        line = raw.decode(self.encoding)
                    except UnicodeDecodeError as error:
                        raise DatasetRowError(
                            f"{where}: not valid {self.encoding} text ({error.reason} at byte {error.start} of the "
                            "line); fix the file or pass its `encoding`."
                        ) from None
                    if not line.strip():
                        continue
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError as error:
                        raise DatasetRowError(f"{where}: not a JSON object ({error.msg}).") from None
                    if not isinstance(row, dict):
                        raise DatasetRowError(f"{where}: a row must be a JSON object, got {type(row).__name__}.")
                    if self.columns is not None:
                        row = {key: row[key] for key in self.columns if key in row}
                    yield where, row
