"""`KnowledgeIngestion`: how records come into a knowledge base: `update` (records or a streamed
dataset) and the file loaders (`from_csv`, `from_jsonl`, `from_json`, `from_parquet`)."""

import os
import sys

from synalinks.data_models.json_data_model import to_json_data_model
from synalinks.data_models.schema_validation import schema_errors
from synalinks.knowledge_bases.database_adapter import encode_row
from synalinks.knowledge_bases.identifiers import check_name, check_table_name
from synalinks.knowledge_bases.knowledge_base_arguments import as_list
from synalinks.knowledge_bases.knowledge_base_error import KnowledgeBaseError

FILE_BATCH_SIZE = 10_000  # records embedded and committed together when a table is read from a file


def record_text(value, key):
    """The text of a record that is embedded and indexed: its string fields but the key, one per line."""
    return "\n".join(str(item) for name, item in value.items() if name != key and isinstance(item, str))


class KnowledgeIngestion:
    """The writing half of `KnowledgeBase` (a mixin: it uses the knowledge base's tables, engine and
    embedding model)."""

    async def update(self, data_model_or_data_models, *, verbose="auto"):
        """Inserts records, or replaces those whose key is already stored (one commit per table).

        Args:
            data_model_or_data_models: A record (a `DataModel` instance or a
                `JsonDataModel`), a list of them, or an inputs-only
                `synalinks.datasets.Dataset` (e.g. `JSONLDataset(...)`), read a
                batch at a time so a corpus larger than memory streams in.
            verbose: For a Dataset: 1 prints the records written so far after
                each batch ("auto": 1 for a Dataset, else silent), 0 nothing.

        Returns:
            The keys of the records written, in order (one key for one
            record); for a Dataset, the number of records written.

        Raises:
            KnowledgeBaseError: for a record of another data model, one that
                does not fit its schema, or whose embedding has another
                dimension (nothing of that call is written), or a Dataset with targets.
        """
        from synalinks.datasets.dataset import Dataset

        if isinstance(data_model_or_data_models, Dataset):
            return await self._update_from_dataset(data_model_or_data_models, verbose)
        await self._prepare()
        single = not isinstance(data_model_or_data_models, (list, tuple))
        grouped, keys = {}, []
        for record in as_list(data_model_or_data_models):
            table_name, schema, key = self._table(self._table_of(record))
            value = to_json_data_model(record).get_json()
            if value.get(key) is None:
                raise KnowledgeBaseError(f"A {table_name} record has no `{key}` (its key, the first field).")
            extra = sorted(set(value) - set(schema["properties"]) - {"embedding"})
            if extra:
                raise KnowledgeBaseError(
                    f"A {table_name} record has fields its table does not store: {extra}; "
                    f"its fields are {list(schema['properties'])}."
                )
            errors = schema_errors({name: value[name] for name in value if name in schema["properties"]}, schema)
            if errors:
                raise KnowledgeBaseError(f"A {table_name} record does not fit its schema: {errors[0]}")
            grouped.setdefault(table_name, []).append(value)
            keys.append(value[key])
        await self._write(grouped)
        return keys[0] if single else keys

    async def _write(self, grouped):
        """Embeds every table's records first, then commits table by table: a refused batch writes nothing."""
        rows = {}
        for table_name, values in grouped.items():
            _, schema, key = self._table(table_name)
            texts = [record_text(value, key) for value in values]
            rows[table_name] = [
                encode_row(value, schema["properties"], text, vector)
                for value, text, vector in zip(values, texts, await self._vectors(schema, values, texts))
            ]
        for table_name, table_rows in rows.items():
            _, _, key = self._table(table_name)
            await self._run(self._adapter.upsert, table_name, key, table_rows)

    async def _vectors(self, schema, values, texts):
        """A vector per record: its own `embedding` (from `EmbedKnowledge`, or precomputed) when it has
        one that its table does not store as a field, else the embedding model's, in one call."""
        if self.embedding_model is None and self._dimension is None:
            return [None] * len(values)
        given = "embedding" not in schema["properties"]
        vectors = [value.get("embedding") if given else None for value in values]
        missing = [index for index, vector in enumerate(vectors) if vector is None]
        if missing:
            if self.embedding_model is None:
                raise KnowledgeBaseError("A record has no `embedding` and the knowledge base no `embedding_model`.")
            for index, vector in zip(missing, await self._embed([texts[index] for index in missing])):
                vectors[index] = vector
        self._check_dimension(vectors, "A record has")
        return vectors

    async def _update_from_dataset(self, dataset, verbose):
        if dataset.has_targets:
            raise KnowledgeBaseError(
                "A knowledge base stores records, not (input, target) pairs: give a dataset without outputs."
            )
        written, steps = 0, 0
        progress = None
        if verbose in ("auto", 1, 2):
            from synalinks.callbacks.progbar_logger import ProgbarLogger

            progress = ProgbarLogger(stream=sys.stderr)
            progress.set_params({"verbose": 1 if verbose == "auto" else verbose, "steps": None})
            progress.begin(f"{self.name}: writing records")
        for (batch,) in dataset:
            await self.update(list(batch))
            written += len(batch)
            if progress is not None:
                progress.update(steps, {"records_written": written})
            steps += 1
        if progress is not None:
            progress.end({"records_written": written}, steps=steps)
        return written

    def _table_of(self, record):
        if not hasattr(record, "get_json"):
            raise KnowledgeBaseError(
                "`data_model_or_data_models` must be a record (a DataModel instance or a JsonDataModel), a list "
                f"of them or a Dataset, got {type(record).__name__} {record!r:.60}."
            )
        if hasattr(type(record), "model_fields"):
            name = type(record).__name__
        else:
            name = (to_json_data_model(record).get_schema() or {}).get("title")
        if name not in self._schemas:
            raise KnowledgeBaseError(
                f"The knowledge base stores {sorted(self._schemas)}, not a {name!r} record: "
                "add its data model to `data_models`."
            )
        return name

    async def _embed(self, texts):
        vectors = await self.embedding_model(texts)
        self._check_dimension(vectors, "The embedding model gave")
        return vectors

    def _check_dimension(self, vectors, who):
        for vector in vectors:
            if len(vector) != self._dimension:
                raise KnowledgeBaseError(
                    f"{who} a vector of dimension {len(vector)}; the knowledge base stores {self._dimension}: "
                    "use the embedding model it was made with."
                )

    async def from_csv(
        self, path, *, table_name=None, table_description=None, delimiter=",", encoding="utf-8", header=True
    ):
        """Loads a CSV file as a table: its columns are the fields, the first one the key.

        Args:
            path: A local path or fsspec URL.
            table_name: The table's name (default: the file's name in PascalCase, `my-docs.csv` -> `MyDocs`).
            table_description: A description of the table, kept in its schema.
            delimiter: The field delimiter.
            encoding: The file's encoding.
            header: Whether the first line names the columns.

        Returns:
            The table's `SymbolicDataModel` (its schema names the table).
        """
        return await self._from_file(
            path, "csv", table_name, table_description, delimiter=delimiter, encoding=encoding, header=header
        )

    async def from_jsonl(self, path, *, table_name=None, table_description=None):
        """Loads a JSON Lines file (one object per line) as a table; see `from_csv`."""
        return await self._from_file(path, "jsonl", table_name, table_description)

    async def from_json(self, path, *, table_name=None, table_description=None):
        """Loads a JSON file holding one array of objects as a table; see `from_csv`."""
        return await self._from_file(path, "json", table_name, table_description)

    async def from_parquet(self, path, *, table_name=None, table_description=None):
        """Loads a Parquet file as a table; see `from_csv`."""
        return await self._from_file(path, "parquet", table_name, table_description)

    async def _from_file(self, path, file_format, table_name, table_description, **options):
        from synalinks.data_models.symbolic_data_model import SymbolicDataModel
        from synalinks.knowledge_bases.file_tables import read_table, schema_of_arrow, table_name_of

        if not isinstance(path, (str, os.PathLike)):
            raise KnowledgeBaseError(f"`path` must be a file path or URL, got {type(path).__name__}.")
        if table_name is not None:
            check_table_name(table_name, "`table_name`")
        await self._prepare()
        try:
            table = await self._run(lambda: read_table(path, file_format, **options))
        except (OSError, ValueError) as error:
            raise KnowledgeBaseError(f"`path` {os.fspath(path)!r}: cannot read it as {file_format}: {error}") from error
        schema = schema_of_arrow(table.schema, table_name or table_name_of(path), table_description)
        for field in schema["properties"]:
            check_name(field, f"The column name of {path}")
        known = self._schemas.get(schema["title"])
        if known is not None and list(known["properties"]) != list(schema["properties"]):
            raise KnowledgeBaseError(
                f"`table_name` {schema['title']!r} is a table with the fields {list(known['properties'])}; "
                f"{path} has the columns {list(schema['properties'])}: give another table_name."
            )
        await self._run(self._create, schema)
        if schema["title"] not in [self._table_name(data_model) for data_model in self.data_models]:
            self.data_models.append(schema)
        for batch in table.to_batches(FILE_BATCH_SIZE):
            await self._write({schema["title"]: batch.to_pylist()})
        return SymbolicDataModel(schema=schema)
