"""The checks `fit`, `evaluate` and `predict` make of `x` and `y` before any LM call: inputs of the
program's input data models, targets that share fields with its output."""

from synalinks.data_models.data_model import DataModel


def check_inputs(input_specs, data, what="x"):
    """Refuses inputs whose fields are not those of the program's input data model(s).

    Args:
        input_specs: `Program.get_input_specs()`: one `{"name", "schema", "optional"}` per input.
        data: The `DataAdapter` of the inputs.
        what: The argument's name, for messages (`x`, `validation_data`).
    """
    if data.x is None or not input_specs:
        return
    checked = set()  # (DataModel class, input position) pairs already found to fit
    for index, sample in enumerate(data.x):
        values = sample if isinstance(sample, tuple) else (sample,)
        if len(values) != len(input_specs):
            raise ValueError(
                f"`{what}[{index}]` has {len(values)} input(s), the program takes {len(input_specs)}: "
                "give one data model per input (a tuple for several)."
            )
        for position, (value, spec) in enumerate(zip(values, input_specs)):
            if value is None and spec["optional"]:
                continue  # an optional input left out
            if not hasattr(value, "get_json"):
                raise TypeError(
                    f"Each input in `{what}` must be a data model, got {type(value).__name__}: {value!r:.100}"
                )
            # Instances of one DataModel class all have its fields: checking one is enough.
            typed = isinstance(value, DataModel)
            if typed and (type(value), position) in checked:
                continue
            schema = spec["schema"]
            fields = set(value.get_json())
            expected = set(schema.get("properties", {}))
            missing = set(schema.get("required", [])) - fields
            unexpected = fields - expected if expected else set()
            if missing or unexpected:
                raise ValueError(
                    f"`{what}[{index}]` is a {type(value).__name__} with the fields {sorted(fields)}, but the "
                    f"program's input {schema.get('title', '')} has {sorted(expected)} "
                    f"(missing {sorted(missing)}, unexpected {sorted(unexpected)}): give inputs of the "
                    "program's input data model."
                )
            if typed:
                checked.add((type(value), position))


def check_targets(output_schema, data):
    """Refuses targets that share no field with the program's output (swapped or wrong `y`).

    Args:
        output_schema: The JSON schema of the program's one output (None: nothing is checked).
        data: The `DataAdapter` of the targets.
    """
    if data.y is None or output_schema is None:
        return
    produced = set(output_schema.get("properties", {}))
    for target in data.y:
        if not hasattr(target, "get_json"):
            raise TypeError(f"Each target in `y` must be a data model, got {type(target).__name__}: {target!r:.100}")
        fields = set(target.get_json())
        if produced and fields and not fields & produced:
            raise ValueError(
                f"The targets in `y` have the fields {sorted(fields)}, but the program outputs {sorted(produced)}: "
                "give targets of the program's output data model."
            )
