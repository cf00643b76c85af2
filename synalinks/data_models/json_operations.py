"""Operations on the fields of JSON schemas and values: keep or drop, rename, factorize.

Each operation is a pure function of plain dicts; `JsonDataModel`'s methods,
`SymbolicDataModel`'s, the `InMask` / `OutMask` modules and `synalinks.ops`
all use these, so a value and its schema always change the same way.
"""

import re


def mask_schema(schema, keep):
    """The schema with only the properties for which `keep(name)` is true."""
    properties = {name: prop for name, prop in schema.get("properties", {}).items() if keep(name)}
    required = [name for name in schema.get("required", []) if name in properties]
    return {**schema, "properties": properties, "required": required}


def mask_json(value, keep):
    return {name: item for name, item in value.items() if keep(name)}


def in_mask_keep(mask):
    """`keep(name)` for the fields named in `mask`."""
    names = set(mask or [])
    return lambda name: name in names


def out_mask_keep(mask):
    """`keep(name)` for the fields not named in `mask`."""
    names = set(mask or [])
    return lambda name: name not in names


def apply(operation, argument, schema, value=None):
    """`(schema, value)` after `operation` ("in_mask", "out_mask", "prefix", "suffix", "factorize");
    `value` may be None (a symbolic data model has only a schema)."""
    if operation in ("in_mask", "out_mask"):
        if isinstance(argument, str) or not all(isinstance(name, str) for name in argument or []):
            raise ValueError(f"`mask` must be a list of field names, got {argument!r}.")
        keep = (in_mask_keep if operation == "in_mask" else out_mask_keep)(argument)
        return mask_schema(schema, keep), (mask_json(value, keep) if value is not None else None)
    if operation in ("prefix", "suffix"):
        if not isinstance(argument, str) or not argument:
            raise ValueError(f"The {operation} must be a non-empty string, got {argument!r}.")
        rename = (with_prefix if operation == "prefix" else with_suffix)(argument)
        return rename_schema(schema, rename), (rename_json(value, rename) if value is not None else None)
    if operation == "factorize":
        return factorize_schema(schema), (factorize_json(value) if value is not None else None)
    raise ValueError(f"Unknown JSON operation {operation!r}.")


def rename_schema(schema, rename):
    """The schema with every property renamed by `rename(name)`."""
    properties = {rename(name): prop for name, prop in schema.get("properties", {}).items()}
    required = [rename(name) for name in schema.get("required", [])]
    return {**schema, "properties": properties, "required": required}


def rename_json(value, rename):
    return {rename(name): item for name, item in value.items()}


def with_prefix(prefix):
    return lambda name: f"{prefix}_{name}"


def with_suffix(suffix):
    return lambda name: f"{name}_{suffix}"


_NUMBERED = re.compile(r"^(.*)_(\d+)$")


def _base_name(name):
    match = _NUMBERED.match(name)
    return match.group(1) if match else name


def _groups(names):
    """`{base name: [field names]}` for fields repeated as `name`, `name_1`, `name_2` (concatenation's names)."""
    groups = {}
    for name in names:
        groups.setdefault(_base_name(name), []).append(name)
    return {base: members for base, members in groups.items() if len(members) > 1 and base in members}


def factorize_schema(schema):
    """Fields repeated by concatenation (`answer`, `answer_1`, ...) become one list field (`answers`)."""
    properties = schema.get("properties", {})
    groups = _groups(properties)
    grouped = {name for members in groups.values() for name in members}
    result, required = {}, []
    for name, prop in properties.items():
        if name not in grouped:
            result[name] = prop
            if name in schema.get("required", []):
                required.append(name)
        elif name in groups:
            plural = f"{name}s"
            result[plural] = {"type": "array", "items": prop, "title": plural.replace("_", " ").title()}
            required.append(plural)
    return {**schema, "properties": result, "required": required}


def factorize_json(value):
    groups = _groups(value)
    grouped = {name for members in groups.values() for name in members}
    result = {}
    for name, item in value.items():
        if name not in grouped:
            result[name] = item
        elif name in groups:
            result[f"{name}s"] = [value[member] for member in groups[name]]
    return result
