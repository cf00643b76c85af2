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


def _selects(mask, pattern):
    """`selected(name)`: the field is named in `mask` or its name matches the regex `pattern`.

    Concatenation's renamed fields count as their base name (`answer_1` is an
    `answer`), as in Synalinks.
    """
    names = set(mask or [])
    compiled = re.compile(pattern) if pattern else None

    def selected(name):
        base = _base_name(name)
        if name in names or base in names:
            return True
        return bool(compiled and (compiled.search(name) or compiled.search(base)))

    return selected


def in_mask_keep(mask, pattern=None):
    """`keep(name)` for the fields named in `mask` or matching `pattern`."""
    return _selects(mask, pattern)


def out_mask_keep(mask, pattern=None):
    """`keep(name)` for the fields neither named in `mask` nor matching `pattern`."""
    selected = _selects(mask, pattern)
    return lambda name: not selected(name)


def masks_keep(in_mask=None, out_mask=None, in_mask_pattern=None, out_mask_pattern=None):
    """`keep(name)` for the masks of rewards and metrics (kept by the in-masks, not dropped by the
    out-masks), or None when no mask is set."""
    keeps = []
    if in_mask is not None or in_mask_pattern is not None:
        keeps.append(in_mask_keep(in_mask, in_mask_pattern))
    if out_mask is not None or out_mask_pattern is not None:
        keeps.append(out_mask_keep(out_mask, out_mask_pattern))
    if not keeps:
        return None
    if len(keeps) == 1:
        return keeps[0]
    return lambda name: all(keep(name) for keep in keeps)


def masked_data_model(value, keep):
    """`value` (a `JsonDataModel`, or None) with only the fields `keep(name)` accepts (all when `keep` is None)."""
    if keep is None or value is None:
        return value
    from synalinks.data_models.json_data_model import JsonDataModel

    return JsonDataModel(schema=mask_schema(value.get_schema(), keep), json=mask_json(value.get_json(), keep))


def checked_masks(in_mask=None, out_mask=None, in_mask_pattern=None, out_mask_pattern=None, who="masks"):
    """The masks of a reward or metric, checked: `(in_mask, out_mask, keep)` with the masks as lists
    (or None) and `keep(name)` from `masks_keep` (None when no mask is set)."""
    if in_mask is not None or in_mask_pattern is not None:
        in_mask = check_mask(in_mask, in_mask_pattern, who=f"{who} in_mask")
    if out_mask is not None or out_mask_pattern is not None:
        out_mask = check_mask(out_mask, out_mask_pattern, who=f"{who} out_mask")
    return in_mask, out_mask, masks_keep(in_mask, out_mask, in_mask_pattern, out_mask_pattern)


def check_mask(mask, pattern=None, who="mask"):
    """Returns `mask` as a list (or None) after checking it and `pattern`; at least one is needed."""
    if mask is not None and (isinstance(mask, str) or not all(isinstance(name, str) for name in mask)):
        raise ValueError(f"{who}: `mask` must be a list of field names, got {mask!r}.")
    if pattern is not None:
        if not isinstance(pattern, str):
            raise ValueError(f"{who}: `pattern` must be a regular expression string, got {pattern!r}.")
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(f"{who}: `pattern` {pattern!r} is not a valid regular expression: {error}.") from None
    if mask is None and pattern is None:
        raise ValueError(f"{who}: give `mask` (field names), `pattern` (a regular expression) or both.")
    return list(mask) if mask is not None else None


def apply(operation, argument, schema, value=None, pattern=None):
    """`(schema, value)` after `operation` ("in_mask", "out_mask", "prefix", "suffix", "factorize");
    `value` may be None (a symbolic data model has only a schema); `pattern` is the masks' regex."""
    if operation in ("in_mask", "out_mask"):
        check_mask(argument, pattern, who=operation)
        keep = (in_mask_keep if operation == "in_mask" else out_mask_keep)(argument, pattern)
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
