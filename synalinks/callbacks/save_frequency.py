"""Reading `save_freq`: "epoch", a number of batches, or a time interval."""

import datetime
import re

_UNITS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
}


def parse_save_freq(save_freq):
    """Returns `("epoch", None)`, `("batches", n)` or `("seconds", s)`.

    Raises:
        ValueError: for anything else.
    """
    if save_freq == "epoch":
        return "epoch", None
    if isinstance(save_freq, int) and not isinstance(save_freq, bool) and save_freq >= 1:
        return "batches", save_freq
    if isinstance(save_freq, datetime.timedelta) and save_freq.total_seconds() > 0:
        return "seconds", save_freq.total_seconds()
    if isinstance(save_freq, str):
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*", save_freq.lower())
        if match and match.group(2) in _UNITS and float(match.group(1)) > 0:
            return "seconds", float(match.group(1)) * _UNITS[match.group(2)]
    raise ValueError(
        f"Unrecognized save_freq: {save_freq!r}. Expected 'epoch', a positive integer (batches), "
        "or a time interval such as '15min', '30s', '2h' or a datetime.timedelta."
    )
