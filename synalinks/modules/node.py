"""`Node`: one call of a module on symbolic inputs, recorded while tracing."""

import collections

from synalinks.utils.tree import flatten

# Where a symbolic value came from: the module, which of its calls (node), which of that call's outputs.
OutputHistory = collections.namedtuple("OutputHistory", ["module", "node_index", "position"])


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
            output._history = OutputHistory(module, self.index, position)

    @property
    def parent_nodes(self):
        """The nodes that produced this node's inputs."""
        parents = []
        for value in flatten(self.inputs):
            if value is not None and value._history is not None:
                module, node_index, _ = value._history
                parents.append(module._inbound_nodes[node_index])
        return parents
