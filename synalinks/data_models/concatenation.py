"""Concatenating data models: the fields of two schemas or values side by side.

When both sides have a field of the same name, the right side's field is
renamed `name_1` (then `name_2`, ...), so no value is ever overwritten.
"""

import copy


def _free_name(name, taken):
    if name not in taken:
        return name
    index = 1
    while f"{name}_{index}" in taken:
        index += 1
    return f"{name}_{index}"


def concatenate_schemas(schema1, schema2, title=None):
    """Returns an object schema with the properties of both schemas.

    Args:
        schema1: The left JSON schema (an object schema).
        schema2: The right JSON schema.
        title: The title of the result; defaults to the left schema's title.

    Example:

    ```python
    schema = concatenate_schemas(Query.get_schema(), Answer.get_schema())
    ```
    """
    properties = dict(schema1.get("properties", {}))
    required = list(schema1.get("required", []))
    required_right = set(schema2.get("required", []))
    for name, prop in schema2.get("properties", {}).items():
        new_name = _free_name(name, properties)
        properties[new_name] = prop
        if name in required_right:
            required.append(new_name)
    result = {
        "additionalProperties": False,
        "properties": properties,
        "required": required,
        "title": title or schema1.get("title", "DataModel"),
        "type": "object",
    }
    definitions = {**schema2.get("$defs", {}), **schema1.get("$defs", {})}
    if definitions:
        result["$defs"] = copy.deepcopy(definitions)
    return result


def concatenate_json(json1, json2):
    """Returns a dict with the fields of both values, renamed as the schemas are.

    Example:

    ```python
    assert concatenate_json({"a": 1}, {"a": 2}) == {"a": 1, "a_1": 2}
    ```
    """
    result = dict(json1)
    for name, value in json2.items():
        result[_free_name(name, result)] = value
    return result
