"""`json_safe`: any value an engine or a program hands back, as plain JSON data."""

import base64
import datetime
import decimal
import math
import uuid


def json_safe(value):
    """`value` with everything JSON cannot hold turned into what it can.

    Decimals become numbers, dates and times ISO 8601 strings, durations
    seconds, UUIDs strings, bytes base64 text, NaN and infinities `None`
    (JSON has no such numbers: written bare, they break every strict reader);
    lists, tuples, sets and dicts are converted item by item. Anything else
    becomes its `str`.

    Example:

    ```python
    json_safe({"price": decimal.Decimal("1.50"), "day": datetime.date(2026, 12, 7)})
    # {"price": 1.5, "day": "2026-12-07"}
    ```
    """
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, decimal.Decimal):
        return json_safe(float(value))
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(item) for item in value]
    if isinstance(value, (datetime.date, datetime.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return json_safe(value.tolist())
    return str(value)
