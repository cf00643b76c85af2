"""The output schema of the merges whose inputs may be missing (`Or`, `Xor`)."""

from synalinks.data_models.concatenation import concatenate_schemas


def optional_merge_schema(schemas):
    """One schema when all inputs share it; otherwise their concatenation with no field required."""
    if all(schema == schemas[0] for schema in schemas[1:]):
        return schemas[0]
    merged = schemas[0]
    for schema in schemas[1:]:
        merged = concatenate_schemas(merged, schema)
    return {**merged, "required": []}
