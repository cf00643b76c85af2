"""`CSVDataset`: rows from CSV files, streamed."""

import csv

from synalinks.datasets.dataset import Dataset
from synalinks.datasets.source_files import source_files
from synalinks.saving import storage


class CSVDataset(Dataset):
    """Rows from CSV files with a header line (local or any fsspec URL), read row by row.

    Values are strings as the file has them; a data model converts them
    (`"3"` to an `int` field), or a template does (`{{ count | int }}`).

    Args:
        path: A file, a list of files, or a folder (its `.csv` files).
        delimiter: The field separator.
        encoding: The files' text encoding.
        columns: Keep only these columns (optional).
        **kwargs: The `Dataset` arguments.

    Example:

    ```python
    dataset = synalinks.datasets.CSVDataset("reviews.csv", input_data_model=Review, output_data_model=Sentiment)
    ```
    """

    def __init__(self, path, delimiter=",", encoding="utf-8", columns=None, batch_size=1, **kwargs):
        super().__init__(batch_size=batch_size, **kwargs)
        self.paths = source_files(path, suffix=".csv")
        self.delimiter = delimiter
        self.encoding = encoding
        self.columns = list(columns) if columns is not None else None

    def iter_rows(self):
        for path in self.paths:
            with storage.open_text(path, self.encoding) as file:
                for number, row in enumerate(csv.DictReader(file, delimiter=self.delimiter), start=2):
                    if self.columns is not None:
                        row = {key: row[key] for key in self.columns if key in row}
                    yield f"{path}:{number}", dict(row)
