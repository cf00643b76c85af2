"""`program_summary`: the table `program.summary()` prints."""

from synalinks.utils.tree import flatten


def _output_fields(module):
    if module._inbound_nodes:
        outputs = flatten(module._inbound_nodes[0].outputs)
    else:
        # A module inside another (a Branch's branch) has no node of its own;
        # most modules' output schema does not depend on the input.
        try:
            outputs = flatten(module.output_spec(None))
        except Exception:
            return "?"
    parts = []
    for output in outputs:
        schema = output.get_schema()
        fields = ", ".join(schema.get("properties", {}))
        parts.append(f"{schema.get('title', 'DataModel')}({fields})")
    return "; ".join(parts)


def program_summary(program):
    """Returns the summary of `program` as text: one row per module."""
    rows = [("Module (type)", "Output schema", "Variables", "Trainable")]
    for module in program.modules:
        count = len(module._own_variables)
        trainable = "yes" if module.trainable and any(v.trainable for v in module._own_variables) else "no"
        rows.append((f"{module.name} ({type(module).__name__})", _output_fields(module), str(count), trainable))
    widths = [min(60, max(len(row[i]) for row in rows)) for i in range(4)]

    def line(row):
        return "  ".join(cell[:60].ljust(width) for cell, width in zip(row, widths)).rstrip()

    rule = "-" * (sum(widths) + 6)
    trainable_count = len(program.trainable_variables)
    total = len(program.variables)
    text = [f'Program: "{program.name}"', rule, line(rows[0]), rule]
    text += [line(row) for row in rows[1:]]
    text += [
        rule,
        f"Total variables: {total}",
        f"Trainable variables: {trainable_count}",
        f"Non-trainable variables: {total - trainable_count}",
        rule,
    ]
    if program.description:
        text.insert(1, program.description)
    return "\n".join(text)
