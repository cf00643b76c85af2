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


def _label(module, node=None, show_module_names=True, show_schemas=True, show_defs=False):
    label = f"{module.name}\n({type(module).__name__})" if show_module_names else type(module).__name__
    if node is not None and show_schemas:
        fields, definitions = [], []
        for output in flatten(node.outputs):
            schema = output.get_schema()
            fields.extend(schema.get("properties", {}))
            definitions.extend(schema.get("$defs", {}))
        if fields:
            text = ", ".join(fields)
            label += "\n" + (text if len(text) <= 40 else text[:37] + "...")
        if show_defs and definitions:
            label += "\n$defs: " + ", ".join(definitions)[:40]
    return label


def plot_program(
    program,
    to_file=None,
    to_folder=None,
    show_schemas=False,
    show_module_names=False,
    show_defs=False,
    rankdir="TB",
    expand_nested=False,
    dpi=200,
    show_trainable=False,
):
    """Draws the program's modules and how data flows between them, and saves a PNG.

    With `show_trainable`, trainable modules (with prompts that training
    changes) are drawn in orange, the others in blue.

    Args:
        program: The program.
        to_file: The PNG file to write (default: `<program name>.png`).
        to_folder: A folder to write it in (created if missing).
        show_schemas: Write each module's output fields in its box.
        show_module_names: Write each module's name (else only its class).
        show_defs: With `show_schemas`, also name the schemas' `$defs`.
        rankdir: `"TB"` (top to bottom) or `"LR"` (left to right).
        expand_nested: List a module's nested modules (a Branch's branches) in its box.
        dpi: The image's resolution.
        show_trainable: Color the trainable modules.

    Returns:
        The path of the file written.

    Example:

    ```python
    synalinks.utils.plot_program(program, to_folder="plots", show_module_names=True, show_schemas=True)
    ```
    """
    import os

    if rankdir not in ("TB", "LR"):
        raise ValueError(f"`rankdir` must be 'TB' or 'LR', got {rankdir!r}.")
    to_file = to_file or f"{program.name}.png"
    if to_folder:
        os.makedirs(to_folder, exist_ok=True)
        to_file = os.path.join(to_folder, to_file)
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
    size = (max(5.0, 2.6 * width), max(3.0, 1.6 * len(boxes)))
    figure, axis = plt.subplots(figsize=size[::-1] if rankdir == "LR" else size)
    positions = {}
    for row, layer in enumerate(boxes):
        for column, (module, node) in enumerate(layer):
            x = (column - (len(layer) - 1) / 2) * column_gap
            y = -row * row_gap
            if rankdir == "LR":  # rows become columns
                x, y = row * column_gap, -(column - (len(layer) - 1) / 2) * row_gap
            positions[id(node) if node is not None else id(module)] = (x, y)
            trainable = show_trainable and module.trainable and any(v.trainable for v in module.variables)
            label = _label(module, node, show_module_names, show_schemas, show_defs)
            nested = module.modules
            if nested and expand_nested:
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
    across = rankdir == "LR"
    for parent, child in edges:
        (x1, y1), (x2, y2) = positions[id(parent)], positions[id(child)]
        if across:
            start, end = (x1 + box_width / 2 + 0.05, y1), (x2 - box_width / 2 - 0.05, y2)
        else:
            start, end = (x1, y1 - box_height / 2 - 0.05), (x2, y2 + box_height / 2 + 0.05)
        axis.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "->", "color": "#444444"})
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    axis.set_xlim(min(xs) - box_width / 2 - 0.3, max(xs) + box_width / 2 + 0.3)
    axis.set_ylim(min(ys) - box_height / 2 - 0.3, max(ys) + box_height / 2 + 0.3)
    axis.axis("off")
    axis.set_title(f'Program "{program.name}"')
    figure.tight_layout()
    figure.savefig(to_file, dpi=dpi)
    plt.close(figure)
    return to_file
