"""`JSONDataset`: rows from JSON files that each hold an array of objects."""

import json

from synalinks.datasets.dataset import Dataset, DatasetRowError
from synalinks.datasets.source_files import source_files
from synalinks.saving import storage


class JSONDataset(Dataset):
    """Rows from JSON files, each an array of objects (a file is read whole; use `JSONLDataset`
    to stream a large one).

    Args:
        path: A file, a list of files, or a folder (its `.json` files).
        encoding: The files' text encoding.
        columns: Keep only these keys of each row (optional).
        **kwargs: The `Dataset` arguments.

    Example:

    ```python
    dataset = synalinks.datasets.JSONDataset("qa.json", input_data_model=Query, output_data_model=Answer)
    ```
    """

    def __init__(self, path, encoding="utf-8", columns=None, batch_size=1, **kwargs):
        super().__init__(batch_size=batch_size, **kwargs)
        self.paths = source_files(path, suffix=".json")
        self.encoding = encoding
        self.columns = list(columns) if columns is not None else None

    def iter_rows(self):
        for path in self.paths:
            with storage.open_text(path, self.encoding) as file:
                try:
                    rows = json.load(file)
                except json.JSONDecodeError as error:
                    raise DatasetRowError(f"{path}: not valid JSON ({error.msg} at line {error.lineno}).") from None
            if not isinstance(rows, list):
                raise DatasetRowError(
                    f"{path}: a JSON dataset file holds an array of objects, got {type(rows).__name__}."
                )
            for index, row in enumerate(rows):
                where = f"{path}[{index}]"
                if not isinstance(row, dict):
                    raise DatasetRowError(f"{where}: a row must be a JSON object, got {type(row).__name__}.")
                if self.columns is not None:
                    row = {key: row[key] for key in self.columns if key in row}
                yield where, row
