"""`set_seed`: one call that makes runs reproducible."""

import random

_seed = None


def get_seed():
    """The seed last given to `set_seed`, or None."""
    return _seed


def set_seed(seed):
    """Seeds Python's and numpy's global generators.

    Optimizers created without a `seed`, and `fit` calls without a `seed`,
    draw theirs from Python's generator, so after `set_seed(s)` the same
    program, data and LM replies give the same training run.

    Args:
        seed: An integer.

    Example:

    ```python
    synalinks.utils.set_seed(42)
    ```
    """
    global _seed
    _seed = seed
    random.seed(seed)
    try:
        import numpy as np
    except ImportError:  # numpy is a dependency, but seeding must not fail without it
        return
    np.random.seed(seed % 2**32)
