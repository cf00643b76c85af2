"""`TextDataset`: one row per plain-text file of a folder."""

import os

from synalinks.data_models.data_model import DataModel
from synalinks.data_models.field import Field
from synalinks.datasets.dataset import Dataset
from synalinks.datasets.source_files import source_files
from synalinks.saving import storage


class TextDocument(DataModel):
    """A text file: its path (first, so a knowledge base keys on it) and its text."""

    filepath: str = Field(description="The file's path, relative to the corpus folder")
    text: str = Field(description="The file's text")


def relative_path(path, root):
    """`path` relative to the folder `root` (or its name when `root` is the file itself)."""
    path, root = os.fspath(path), os.fspath(root)
    if path == root:
        return storage.basename(path)
    return path[len(root) :].lstrip("/\\") if path.startswith(root) else path


class TextDataset(Dataset):
    """One `TextDocument` per file under a folder (local or any fsspec URL), read one file at a time.

    Args:
        root: The folder (or a file, or a list of files).
        encoding: The files' text encoding.
        recursive: Read the sub-folders too.
        glob_pattern: The ending of the files read (default `.txt`).
        input_data_model, input_schema, input_template: Another shape for the
            rows `{"filepath", "text"}` (default: `TextDocument`).
        batch_size: Documents per batch (default 8).
        limit, repeat: As for `Dataset`.

    Example:

    ```python
    for (documents,) in synalinks.datasets.TextDataset("notes/"):
        ...
    ```
    """

    def __init__(
        self,
        root,
        encoding="utf-8",
        recursive=True,
        glob_pattern=".txt",
        input_data_model=None,
        input_schema=None,
        input_template=None,
        batch_size=8,
        limit=None,
        repeat=1,
    ):
        if input_data_model is None and input_schema is None:
            input_data_model = self.document_data_model
        super().__init__(
            input_data_model=input_data_model,
            input_schema=input_schema,
            input_template=input_template,
            batch_size=batch_size,
            limit=limit,
            repeat=repeat,
        )
        self.root = os.fspath(root) if isinstance(root, (str, os.PathLike)) else None
        self.paths = source_files(root, suffix=glob_pattern, recursive=recursive)
        self.encoding = encoding

    document_data_model = TextDocument

    def document(self, filepath, text):
        """The row of one file."""
        return {"filepath": filepath, "text": text}

    def iter_rows(self):
        for path in self.paths:
            with storage.open_text(path, self.encoding) as file:
                text = file.read()
            yield path, self.document(relative_path(path, self.root) if self.root else path, text)
