"""`Logger`: a hook that writes one debug line as each call starts and one as it ends."""

import logging

from synalinks.hooks.hook import Hook
from synalinks.hooks.span import current_span

logger = logging.getLogger("synalinks.hooks")


class Logger(Hook):
    """Logs each call at DEBUG on the `synalinks.hooks` logger: its start, then its latency, tokens, cost or error.

    `synalinks.enable_logging(log_level="debug")` attaches one to every call.

    Args:
        level: The logging level of the lines (default `logging.DEBUG`).

    Example:

    ```python
    synalinks.hooks.add_global_hook(synalinks.hooks.Logger(level=logging.INFO))
    ```
    """

    def __init__(self, level=logging.DEBUG):
        super().__init__()
        self.level = level

    def on_call_begin(self, call_id, parent_call_id=None, inputs=None, kwargs=None):
        if logger.isEnabledFor(self.level):
            span = current_span()
            logger.log(
                self.level, "%s %s (%s) begins [trace %s]", span.kind, span.name, span.owner_class, span.trace_id
            )

    def on_call_end(self, call_id, parent_call_id=None, outputs=None, exception=None):
        if not logger.isEnabledFor(self.level):
            return
        span = current_span()
        usage = f"{span.calls} LM calls, {span.prompt_tokens}+{span.completion_tokens} tokens, ${span.cost:.6f}"
        if exception is not None:
            logger.log(
                self.level, "%s %s failed after %.3fs (%s): %s", span.kind, span.name, span.latency, usage, exception
            )
        else:
            logger.log(self.level, "%s %s ended in %.3fs (%s)", span.kind, span.name, span.latency, usage)
