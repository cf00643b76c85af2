"""`Functional`: a program built by tracing module calls from its inputs."""

import asyncio

from synalinks.data_models.json_data_model import to_json_data_model
from synalinks.data_models.symbolic_data_model import SymbolicDataModel
from synalinks.modules.core.input_module import InputModule
from synalinks.programs.program import Program
from synalinks.saving.object_registry import register_synalinks_serializable
from synalinks.utils.tree import flatten, map_structure


def _check_symbolic(structure, what):
    for value in flatten(structure):
        if not isinstance(value, SymbolicDataModel) or value._history is None:
            raise ValueError(
                f"Program {what} must be values made by synalinks.Input(...) or by "
                f"`await module(...)` on them, got {value!r:.100}."
            )


@register_synalinks_serializable(package="synalinks")
class Functional(Program):
    """A program whose graph was traced from `synalinks.Input` to its outputs.

    Built by `synalinks.Program(inputs=..., outputs=...)`. When run, modules
    whose inputs are ready run concurrently, so independent branches (for
    example several Generators on the same input) make their LM calls at the
    same time.
    """

    def __init__(self, inputs, outputs, name=None, description=None, trainable=True):
        Program.__init__(self, name=name, description=description, trainable=trainable)
        self._set_graph(inputs, outputs)

    def _set_graph(self, inputs, outputs):
        """Makes the program the graph traced from `inputs` to `outputs` (again, for `Sequential.add`)."""
        _check_symbolic(inputs, "inputs")
        _check_symbolic(outputs, "outputs")
        self._inputs = inputs
        self._outputs = outputs
        self._input_leaves = flatten(inputs)
        for value in self._input_leaves:
            if not isinstance(value._history.module, InputModule):
                raise ValueError(
                    f"Program inputs must come from synalinks.Input(...), got the output of {value._history.module}."
                )
        self._nodes = self._sorted_nodes()
        self._tracked_modules.clear()
        names = {}
        for node in self._nodes:
            module = node.module
            if names.setdefault(module.name, module) is not module:
                raise ValueError(
                    f"Two different modules of this program are named '{module.name}'; give them distinct names."
                )
            if module not in self._tracked_modules:
                self._tracked_modules.append(module)
        self._levels = self._group_by_depth()

    def _sorted_nodes(self):
        """The nodes from the inputs to the outputs, each after the nodes it needs."""
        ordered, visiting, done = [], set(), set()
        input_nodes = {id(v._history.module._inbound_nodes[v._history.node_index]) for v in self._input_leaves}

        def visit(node):
            if id(node) in done:
                return
            if id(node) in visiting:
                raise ValueError(f"The program graph has a cycle through module '{node.module.name}'.")
            visiting.add(id(node))
            if isinstance(node.module, InputModule):
                if id(node) not in input_nodes:
                    raise ValueError(
                        f"The outputs depend on the input '{node.module.name}', which is not in the program's inputs."
                    )
            for parent in node.parent_nodes:
                visit(parent)
            visiting.discard(id(node))
            done.add(id(node))
            ordered.append(node)

        for value in self._input_leaves:
            visit(value._history.module._inbound_nodes[value._history.node_index])
        for value in flatten(self._outputs):
            module, node_index, _ = value._history
            visit(module._inbound_nodes[node_index])
        return ordered

    def _group_by_depth(self):
        depth = {}
        levels = []
        for node in self._nodes:
            if isinstance(node.module, InputModule):
                depth[id(node)] = 0
                continue
            level = 1 + max((depth[id(parent)] for parent in node.parent_nodes), default=0)
            depth[id(node)] = level
            while len(levels) < level:
                levels.append([])
            levels[level - 1].append(node)
        return levels

    async def call(self, inputs, training=False):
        leaves = flatten(inputs)
        if len(leaves) != len(self._input_leaves):
            raise ValueError(
                f"Program '{self.name}' takes {len(self._input_leaves)} input(s), got {len(leaves)}: {inputs!r:.200}"
            )
        for symbolic, value in zip(self._input_leaves, leaves):
            if value is None and not symbolic._history.module.optional:
                raise ValueError(
                    f"Program '{self.name}' got None for its input '{symbolic._history.module.name}'; "
                    "declare it synalinks.Input(..., optional=True) to allow that."
                )
        values = {id(symbolic): to_json_data_model(value) for symbolic, value in zip(self._input_leaves, leaves)}

        def value_of(symbolic):
            return values[id(symbolic)]

        async def run(node):
            inputs = node.inputs
            args = map_structure(value_of, inputs) if isinstance(inputs, (list, tuple)) else value_of(inputs)
            result = await node.module.call_with_hooks(args, training=training)
            outputs = node.outputs
            if not isinstance(outputs, (list, tuple)):
                values[id(outputs)] = result
                return
            outputs = flatten(outputs)
            if len(outputs) == 1:
                values[id(outputs[0])] = result
            else:
                for symbolic, value in zip(outputs, result):
                    values[id(symbolic)] = value

        for level in self._levels:
            if len(level) == 1:
                await run(level[0])
            else:
                await asyncio.gather(*(run(node) for node in level))
        return map_structure(value_of, self._outputs)

    def compute_output_spec(self, inputs):
        return map_structure(lambda symbolic: SymbolicDataModel(schema=symbolic.get_schema()), self._outputs)

    @property
    def inputs(self):
        return self._inputs

    @property
    def outputs(self):
        return self._outputs

    def get_config(self):
        def reference(symbolic):
            module, node_index, position = symbolic._history
            return [module.name, node_index, position]

        nodes = []
        for node in self._nodes:
            if not isinstance(node.module, InputModule):
                nodes.append({"module": node.module.name, "inputs": map_structure(reference, node.inputs)})
        return {
            "name": self.name,
            "description": self.description,
            "trainable": self.trainable,
            "modules": self.modules,
            "nodes": nodes,
            "inputs": map_structure(reference, self._inputs),
            "outputs": map_structure(reference, self._outputs),
        }

    @classmethod
    def from_config(cls, config):
        modules = {module.name: module for module in config["modules"]}  # built by deserialize

        def resolve(reference):
            name, node_index, position = reference.parts
            if name not in modules:
                raise ValueError(f"The program config refers to an unknown module '{name}'.")
            return flatten(modules[name]._inbound_nodes[node_index].outputs)[position]

        for node in config["nodes"]:
            modules[node["module"]]._symbolic_call(map_structure(resolve, _as_structure(node["inputs"])))
        return cls(
            inputs=map_structure(resolve, _as_structure(config["inputs"])),
            outputs=map_structure(resolve, _as_structure(config["outputs"])),
            name=config.get("name"),
            description=config.get("description"),
            trainable=config.get("trainable", True),
        )


class _Reference:
    """A saved pointer to a module output: `[module_name, node_index, position]`."""

    def __init__(self, parts):
        self.parts = parts


def _as_structure(references):
    """Turns saved references (possibly nested in lists) into `_Reference` leaves."""
    if not isinstance(references, list):
        raise ValueError(f"Invalid reference in the program config: {references!r:.100}")
    if len(references) == 3 and isinstance(references[0], str):
        return _Reference(references)
    return [_as_structure(item) for item in references]
