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


class TextChunk(DataModel):
    """A chunk of a text file: its key '<file>#<position>' (first, so a knowledge base keys on it)."""

    chunk_id: str = Field(description="A key unique in the corpus: '<file>#<position>'")
    filepath: str = Field(description="The file's path, relative to the corpus folder")
    position: int = Field(description="The chunk's place in its file, from 0")
    text: str = Field(description="The chunk's text")


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
        splitter: A `TextSplitter`: each file's chunks are the rows
            (`TextChunk`: chunk_id, filepath, position, text), for a knowledge base.
        input_data_model, input_schema, input_template: Another shape for the
            rows `{"filepath", "text"}` (default: `TextDocument`, or `TextChunk` with a splitter).
        batch_size: Documents per batch (default 8).
        limit, repeat: As for `Dataset`.

    Example:

    ```python
    for (documents,) in synalinks.datasets.TextDataset("notes/"):
        print([document.get("filepath") for document in documents])

    chunks = synalinks.datasets.TextDataset("notes/", splitter=synalinks.datasets.TextSplitter(chunk_size=300))
    knowledge_base = synalinks.KnowledgeBase(
        uri="duckdb://notes.db", data_models=[synalinks.datasets.TextChunk], embedding_model=embedding_model
    )
    await knowledge_base.update(chunks)  # streamed: a batch of chunks at a time
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
        splitter=None,
    ):
        if input_data_model is None and input_schema is None:
            input_data_model = self.document_data_model if splitter is None else self.chunk_data_model
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
        self.splitter = splitter

    document_data_model: type[DataModel] = TextDocument
    chunk_data_model: type[DataModel] = TextChunk

    def document(self, filepath, text):
        """The row of one file."""
        return {"filepath": filepath, "text": text}

    def chunks(self, filepath, text):
        """The rows of one file's chunks."""
        return [
            {"chunk_id": f"{filepath}#{position}", "filepath": filepath, "position": position, "text": chunk}
            for position, chunk in enumerate(self.splitter.split(text))
        ]

    def iter_rows(self):
        for path in self.paths:
            with storage.open_text(path, self.encoding) as file:
                text = file.read()
            filepath = relative_path(path, self.root) if self.root else path
            if self.splitter is None:
                yield path, self.document(filepath, text)
            else:
                for row in self.chunks(filepath, text):
                    yield f"{path}#{row[next(iter(row))]}", row
