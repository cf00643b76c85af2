"""`Node`: one call of a module on symbolic inputs, recorded while tracing."""


def flatten(structure):
    """Returns the leaves of a value that is a single item or a (nested) list/tuple."""
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def map_structure(function, structure):
    """Applies `function` to every leaf, keeping the list/tuple shape."""
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(function, item) for item in structure)
    return function(structure)


class Node:
    """Records that `module` was called on `inputs` and produced `outputs`.

    The inputs and outputs are `SymbolicDataModel`s (or lists of them); each
    output remembers this node, so a program can walk back from its outputs to
    its inputs.
    """

    def __init__(self, module, inputs, outputs):
        self.module = module
        self.inputs = inputs
        self.outputs = outputs
        self.index = len(module._inbound_nodes)
        module._inbound_nodes.append(self)
        for position, output in enumerate(flatten(outputs)):
            output._history = (module, self.index, position)

    @property
    def parent_nodes(self):
        """The nodes that produced this node's inputs."""
        parents = []
        for value in flatten(self.inputs):
            if value is not None and value._history is not None:
                module, node_index, _ = value._history
                parents.append(module._inbound_nodes[node_index])
        return parents
