"""Whether a higher monitored value is better, for callbacks that watch a log key."""

import warnings


def check_mode(mode, who):
    """Returns `mode`, or "auto" with a warning when it is not one of auto/min/max."""
    if mode not in ("auto", "min", "max"):
        warnings.warn(f"{who} mode '{mode}' is unknown, falling back to 'auto'.", stacklevel=3)
        return "auto"
    return mode


def higher_is_better(mode, monitor, program):
    """True to maximise `monitor`: "max", or "auto" unless the monitored metric's direction is "down".

    The metric is found among `program.metrics` by name, with any `val_` prefix
    removed; `reward` goes up; an unknown metric is maximised.
    """
    if mode != "auto":
        return mode == "max"
    name = monitor[len("val_") :] if monitor.startswith("val_") else monitor
    for metric in getattr(program, "metrics", None) or []:
        if metric.name == name:
            return metric.direction != "down"
    return True
