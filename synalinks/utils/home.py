"""`synalinks_home`: the folder synalinks keeps its files in."""

import os


def synalinks_home():
    """The folder for synalinks' own files (caches, downloaded models): `$SYNALINKS_HOME`, else `~/.synalinks`.

    Example:

    ```python
    synalinks.config.synalinks_home()  # "/home/me/.synalinks"
    ```
    """
    return os.environ.get("SYNALINKS_HOME") or os.path.join(os.path.expanduser("~"), ".synalinks")
