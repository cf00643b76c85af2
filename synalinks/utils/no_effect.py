"""`warn_no_effect`: an argument accepted for code written for Synalinks that does nothing here says so,
once per process."""

import logging
import threading

logger = logging.getLogger("synalinks")
_warned: set[tuple[str, str]] = set()
_guard = threading.Lock()


def warn_no_effect(who, argument, why):
    """Logs once (per `who` and `argument`) that `argument` of `who` has no effect here, and why.

    Example:

    ```python
    ef_search = 64
    if ef_search is not None:
        warn_no_effect("KnowledgeBase.similarity_search", "ef_search", "no HNSW index is used")
    ```
    """
    with _guard:
        if (who, argument) in _warned:
            return
        _warned.add((who, argument))
    logger.warning("%s: `%s` has no effect here: %s.", who, argument, why)
