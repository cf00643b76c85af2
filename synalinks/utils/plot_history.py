"""`plot_history`: training curves (reward and each metric, train and validation) as a PNG."""


def _rows(history):
    if hasattr(history, "history"):  # a History
        epochs = list(getattr(history, "epoch", range(len(next(iter(history.history.values()), [])))))
        return [
            {"epoch": epoch + 1, **{key: values[i] for key, values in history.history.items() if i < len(values)}}
            for i, epoch in enumerate(epochs)
        ]
    return list(history)


def plot_history(history, to_file="history.png", title="synalinks training"):
    """Draws one panel per metric (reward first), the validation curve dashed, and saves a PNG.

    Args:
        history: The `History` returned by `fit`, or a list of per-epoch log
            dicts with an `epoch` key.
        to_file: The PNG file to write.
        title: The figure's title.

    Returns:
        `to_file`.

    Example:

    ```python
    history = program.fit(x, y, validation_data=(x_val, y_val), epochs=5)
    synalinks.utils.plot_history(history, to_file="training.png")
    ```
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    rows = _rows(history)
    if not rows:
        raise ValueError("There is nothing to plot: the history has no epoch.")
    names = []
    for row in rows:
        for key in row:
            name = key[4:] if key.startswith("val_") else key
            if key != "epoch" and name not in names:
                names.append(name)
    figure, axes = plt.subplots(len(names), 1, figsize=(7, 2.4 * len(names)), squeeze=False)
    for axis, name in zip(axes[:, 0], names):
        for key, style in ((name, "-"), (f"val_{name}", "--")):
            points = [(row["epoch"], row[key]) for row in rows if isinstance(row.get(key), (int, float))]
            if points:
                axis.plot([point[0] for point in points], [point[1] for point in points], style, marker="o", label=key)
        axis.set_ylabel(name)
        axis.grid(True, alpha=0.3)
        axis.legend(loc="best")
        axis.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    axes[-1, 0].set_xlabel("epoch")
    figure.suptitle(title)
    figure.tight_layout()
    figure.savefig(to_file, dpi=100)
    plt.close(figure)
    return to_file
