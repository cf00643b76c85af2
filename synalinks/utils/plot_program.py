"""`plot_program`: a picture of a program's graph of modules."""

from synalinks.utils.tree import flatten


def _layers(program):
    """`(layers of nodes by depth, edges)` for functional programs, else one module per layer."""
    nodes = getattr(program, "_nodes", None)
    if not nodes:
        return [[module] for module in program.modules]
    depth, layers = {}, []
    for node in nodes:
        level = 1 + max((depth[id(parent)] for parent in node.parent_nodes), default=-1)
        depth[id(node)] = level
        while len(layers) <= level:
            layers.append([])
        layers[level].append(node)
    edges = []
    for node in nodes:
        for parent in node.parent_nodes:
            edges.append((parent, node))
    return layers, edges


def _label(module, node=None):
    label = f"{module.name}\n({type(module).__name__})"
    if node is not None:
        fields = []
        for output in flatten(node.outputs):
            fields.extend(output.get_schema().get("properties", {}))
        if fields:
            text = ", ".join(fields)
            label += "\n" + (text if len(text) <= 40 else text[:37] + "...")
    return label


def plot_program(program, to_file="program.png", show_trainable=True):
    """Draws the program's modules and how data flows between them, and saves a PNG.

    Trainable modules (with prompts that training changes) are drawn in
    orange, the others in blue. A module's nested modules (a Branch's
    branches) are listed under it.

    Args:
        program: The program.
        to_file: The PNG file to write.
        show_trainable: Color the trainable modules.

    Returns:
        `to_file`.

    Example:

    ```python
    synalinks.utils.plot_program(program, to_file="program.png")
    ```
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    structure = _layers(program)
    if isinstance(structure, tuple):
        layers, edges = structure
        boxes = [[(node.module, node) for node in layer] for layer in layers]
    else:
        boxes = [[(module, None) for module in layer] for layer in structure]
        edges = []
    width = max(len(layer) for layer in boxes)
    column_gap, row_gap, box_width, box_height = 3.4, 2.0, 3.0, 1.5
    figure, axis = plt.subplots(figsize=(max(5.0, 2.6 * width), max(3.0, 1.6 * len(boxes))))
    positions = {}
    for row, layer in enumerate(boxes):
        for column, (module, node) in enumerate(layer):
            x = (column - (len(layer) - 1) / 2) * column_gap
            y = -row * row_gap
            positions[id(node) if node is not None else id(module)] = (x, y)
            trainable = show_trainable and module.trainable and any(v.trainable for v in module.variables)
            label = _label(module, node)
            nested = module.modules
            if nested:
                label += "\n" + "\n".join(f"- {m.name} ({type(m).__name__})" for m in nested[:4])
            axis.add_patch(
                FancyBboxPatch(
                    (x - box_width / 2, y - box_height / 2),
                    box_width,
                    box_height,
                    boxstyle="round,pad=0.05",
                    facecolor="#fdd9a0" if trainable else "#cfe2f3",
                    edgecolor="#444444",
                )
            )
            axis.text(x, y, label, ha="center", va="center", fontsize=7)
    for parent, child in edges:
        (x1, y1), (x2, y2) = positions[id(parent)], positions[id(child)]
        axis.annotate(
            "",
            xy=(x2, y2 + box_height / 2 + 0.05),
            xytext=(x1, y1 - box_height / 2 - 0.05),
            arrowprops={"arrowstyle": "->", "color": "#444444"},
        )
    half = (width - 1) / 2 * column_gap + box_width / 2 + 0.3
    axis.set_xlim(-half, half)
    axis.set_ylim(-(len(boxes) - 1) * row_gap - box_height / 2 - 0.3, box_height / 2 + 0.3)
    axis.axis("off")
    axis.set_title(f'Program "{program.name}"')
    figure.tight_layout()
    figure.savefig(to_file, dpi=100)
    plt.close(figure)
    return to_file
