"""Keeping or dropping fields of schemas and values, for `InMask` and `OutMask`."""


def mask_schema(schema, keep):
    """The schema with only the properties for which `keep(name)` is true."""
    properties = {name: prop for name, prop in schema.get("properties", {}).items() if keep(name)}
    required = [name for name in schema.get("required", []) if name in properties]
    return {**schema, "properties": properties, "required": required}


def mask_json(value, keep):
    return {name: item for name, item in value.items() if keep(name)}
