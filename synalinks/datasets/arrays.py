"""Turning rows of data models into the numpy object arrays the datasets return."""


def as_arrays(pairs):
    """`(x, y)` numpy object arrays from `[(input_model, target_model), ...]`."""
    import numpy as np

    x = np.empty(len(pairs), dtype=object)
    y = np.empty(len(pairs), dtype=object)
    for index, (inputs, target) in enumerate(pairs):
        x[index] = inputs
        y[index] = target
    return x, y
