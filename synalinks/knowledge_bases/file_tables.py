"""Tables read from files (`KnowledgeBase.from_csv`, `from_jsonl`, `from_json`, `from_parquet`): the
records of a CSV, JSON Lines, JSON or Parquet file and the JSON schema that its columns give."""

import json
import os
import re

from synalinks.saving.storage import open_binary

ARROW_TO_JSON = (
    ("int", "integer"),
    ("uint", "integer"),
    ("float", "number"),
    ("double", "number"),
    ("bool", "boolean"),
)


def table_name_of(path):
    """A table name from a file name, in PascalCase: `/data/my-docs.csv` -> `MyDocs`."""
    stem = os.path.basename(str(path)).split(".")[0]
    words = [word for word in re.split(r"[^0-9A-Za-z]+", stem) if word]
    name = "".join(word[:1].upper() + word[1:] for word in words) or "Table"
    return name if name[0].isalpha() else "T" + name


def _json_type(arrow_type):
    text = str(arrow_type)
    if text in ("string", "large_string", "utf8"):
        return {"type": "string"}
    for prefix, kind in ARROW_TO_JSON:
        if text.startswith(prefix):
            return {"type": kind}
    return {}  # nested or other: stored as JSON text


def schema_of_arrow(arrow_schema, title, description=None):
    """The JSON schema of a table read from a file: one property per column, the first the key."""
    properties = {field.name: _json_type(field.type) for field in arrow_schema}
    schema = {"title": title, "type": "object", "properties": properties, "required": list(properties)[:1]}
    if description:
        schema["description"] = description
    return schema


def read_table(path, file_format, delimiter=",", encoding="utf-8", header=True):
    """The file's rows as a pyarrow Table (CSV, JSON Lines and Parquet through pyarrow's readers)."""
    import pyarrow

    with open_binary(path) as handle:
        if file_format == "parquet":
            import pyarrow.parquet

            return pyarrow.parquet.read_table(handle)
        if file_format == "jsonl":
            import pyarrow.json

            return pyarrow.json.read_json(handle)
        if file_format == "json":
            records = json.loads(handle.read().decode(encoding))
            if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
                raise ValueError(
                    f"{path}: a JSON file for a table holds one array of objects (use from_jsonl for lines)."
                )
            return pyarrow.Table.from_pylist(records)
        import pyarrow.csv

        read_options = pyarrow.csv.ReadOptions(encoding=encoding, autogenerate_column_names=not header)
        return pyarrow.csv.read_csv(
            handle, read_options=read_options, parse_options=pyarrow.csv.ParseOptions(delimiter=delimiter)
        )
