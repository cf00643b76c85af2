"""`ParquetDataset`: rows from Parquet files, read a record batch at a time."""

from synalinks.datasets.dataset import Dataset
from synalinks.datasets.source_files import source_files
from synalinks.saving import storage


def _pyarrow_parquet():
    try:
        import pyarrow.parquet
    except ImportError as error:
        raise ImportError('ParquetDataset needs pyarrow: pip install "synalinks[parquet]" (or pyarrow).') from error
    return pyarrow.parquet


class ParquetDataset(Dataset):
    """Rows from Parquet files (local or any fsspec URL), read `read_batch_rows` rows at a time, so a
    file larger than memory streams.

    Args:
        path: A file, a list of files, or a folder (its `.parquet` files).
        columns: Read only these columns (optional).
        read_batch_rows: Rows read from the file at a time.
        **kwargs: The `Dataset` arguments.

    Example:

    ```python
    dataset = synalinks.datasets.ParquetDataset("qa.parquet", input_data_model=Query, output_data_model=Answer)
    ```
    """

    def __init__(self, path, columns=None, read_batch_rows=1024, batch_size=1, **kwargs):
        super().__init__(batch_size=batch_size, **kwargs)
        self.paths = source_files(path, suffix=".parquet")
        self.columns = list(columns) if columns is not None else None
        self.read_batch_rows = read_batch_rows

    def iter_rows(self):
        parquet = _pyarrow_parquet()
        for path in self.paths:
            with storage.open_binary(path) as file:
                reader = parquet.ParquetFile(file)
                number = 0
                for batch in reader.iter_batches(batch_size=self.read_batch_rows, columns=self.columns):
                    for row in batch.to_pylist():
                        yield f"{path}[{number}]", row
                        number += 1

    def count_rows(self):
        parquet = _pyarrow_parquet()
        total = 0
        for path in self.paths:
            with storage.open_binary(path) as file:
                total += parquet.ParquetFile(file).metadata.num_rows
        return total
