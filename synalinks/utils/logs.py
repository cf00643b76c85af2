"""`enable_logging`: show synalinks' log lines (LM failures, training summaries) on stderr or in a file."""

import logging

LOGGER_NAME = "synalinks"


def enable_logging(log_level="info", to_file=None, log_to_file=False):
    """Sends the `synalinks` logger's lines to stderr (or a file) at `log_level`.

    At `"debug"` a `synalinks.hooks.Logger` is attached to every call, so each
    module and language model call writes a line as it starts and one as it
    ends (latency, tokens, cost or error). Calling it again replaces the
    handler it added (no doubled lines); a higher level removes that hook.

    Args:
        log_level: `"debug"`, `"info"`, `"warning"`, `"error"` (or a `logging` level number).
        to_file: A file to append the lines to instead of stderr.
        log_to_file: Synalinks' form: True writes to `synalinks.log` in the working folder.

    Example:

    ```python
    synalinks.enable_logging(log_level="debug")
    ```
    """
    level = logging.getLevelName(log_level.upper()) if isinstance(log_level, str) else log_level
    if not isinstance(level, int):
        raise ValueError(f"`log_level` must be debug, info, warning or error, got {log_level!r}.")
    if log_to_file and to_file is None:
        to_file = "synalinks.log"
    _attach_call_logger(level <= logging.DEBUG)
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        if getattr(handler, "_synalinks_enable_logging", False):
            logger.removeHandler(handler)
            handler.close()
    handler = logging.FileHandler(to_file, encoding="utf-8") if to_file else logging.StreamHandler()
    handler._synalinks_enable_logging = True
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    return logger


def _attach_call_logger(attach):
    from synalinks.hooks import Logger, add_global_hook, global_hooks, remove_global_hook

    for hook in global_hooks():
        if type(hook) is Logger:
            remove_global_hook(hook)
    if attach:
        add_global_hook(Logger())
