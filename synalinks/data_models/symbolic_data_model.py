"""`SymbolicDataModel`: a schema without a value, used while building a program."""

import json

from synalinks.utils.checks import schema_of


class SymbolicDataModel:
    """The placeholder for a value while a functional program is being traced.

    `synalinks.Input(...)` returns one, and calling a module on one returns
    another whose schema is the module's output schema. It remembers which
    module call produced it, which is how `synalinks.Program(inputs, outputs)`
    finds the graph.

    Args:
        schema: The JSON schema of the future value.
        data_model: A `DataModel` class to take the schema from, instead.
        name: An optional name.

    Example:

    ```python
    x = synalinks.SymbolicDataModel(data_model=Query)
    x.get_schema()["properties"]  # {"query": {...}}
    ```
    """

    def __init__(self, schema=None, data_model=None, name=None):
        schema = schema_of(data_model, schema, who="SymbolicDataModel")
        self._schema = schema
        self.name = name
        # (module, node_index) of the call that produced this value, set by Module.
        self._history = None

    def get_schema(self):
        """Returns the JSON schema."""
        return self._schema

    def prettify_schema(self):
        """Returns the schema as indented JSON text."""
        return json.dumps(self._schema, indent=2)

    def __repr__(self):
        title = self._schema.get("title", "DataModel")
        return f"<SymbolicDataModel {title} fields={list(self._schema.get('properties', {}))}>"

    # The operators build merge modules; they live in a higher layer, so they
    # are imported at call time, as operator overloads must be.
    def __add__(self, other):
        from synalinks.modules.merging.concat import Concat

        return Concat()._symbolic_call([self, other])

    def __and__(self, other):
        from synalinks.modules.merging.and_module import And

        return And()._symbolic_call([self, other])

    def __or__(self, other):
        from synalinks.modules.merging.or_module import Or

        return Or()._symbolic_call([self, other])

    def __xor__(self, other):
        from synalinks.modules.merging.xor_module import Xor

        return Xor()._symbolic_call([self, other])

    def __invert__(self):
        from synalinks.modules.core.not_module import Not

        return Not()._symbolic_call(self)

    # The JSON operations, as on values; each adds a step to the program being traced
    # (the awaitable forms are in `synalinks.ops`).
    def _operation(self, operation, argument=None, name=None):
        from synalinks.modules.core.json_operation import JsonOperation

        return JsonOperation(operation, argument, name=name)._symbolic_call(self)

    def in_mask(self, mask=None, pattern=None, name=None):
        """Only the fields named in `mask` or matching the regex `pattern`."""
        from synalinks.modules.masking.in_mask import InMask

        return InMask(mask=mask, pattern=pattern, name=name)._symbolic_call(self)

    def out_mask(self, mask=None, pattern=None, name=None):
        """Every field but those named in `mask` or matching the regex `pattern`."""
        from synalinks.modules.masking.out_mask import OutMask

        return OutMask(mask=mask, pattern=pattern, name=name)._symbolic_call(self)

    def prefix(self, prefix, name=None):
        """Fields renamed `{prefix}_{field}`."""
        return self._operation("prefix", prefix, name)

    def suffix(self, suffix, name=None):
        """Fields renamed `{field}_{suffix}`."""
        return self._operation("suffix", suffix, name)

    def factorize(self, name=None):
        """Fields repeated by concatenation (`answer`, `answer_1`) become one list (`answers`)."""
        return self._operation("factorize", None, name)

    def __contains__(self, key):
        return key in self._schema.get("properties", {})
