"""When to try a failed language-model call again, and how long to wait first."""

import email.utils
import math
import random
import time

# HTTP statuses that another try will not change: bad request, auth, not found.
NOT_RETRIABLE_STATUS = frozenset({400, 401, 403, 404, 413, 422})
NOT_RETRIABLE_ERRORS = frozenset(
    {"BadRequestError", "AuthenticationError", "PermissionDeniedError", "NotFoundError", "ContextWindowExceededError"}
)


# What providers (and the OpenAI SDK under litellm) say when the key is missing or wrong.
ACCESS_ERROR_PHRASES = (
    "api_key client option must be set",
    "missing credentials",
    "no api key",
    "invalid api key",
    "incorrect api key",
    "invalid x-api-key",
    "api key not valid",
)
ACCESS_ERRORS = frozenset({"AuthenticationError", "PermissionDeniedError"})


def is_access_error(error):
    """True when the provider refused the credentials (401/403) or none were set: no retry can succeed."""
    if getattr(error, "status_code", None) in (401, 403):
        return True
    if any(cls.__name__ in ACCESS_ERRORS for cls in type(error).__mro__):
        return True
    message = str(error).lower()
    return any(phrase in message for phrase in ACCESS_ERROR_PHRASES)


def is_retriable(error):
    """False for errors another try will not change (bad request, auth, unknown model)."""
    if getattr(error, "status_code", None) in NOT_RETRIABLE_STATUS:
        return False
    return not any(cls.__name__ in NOT_RETRIABLE_ERRORS for cls in type(error).__mro__)


def _headers(error):
    headers = getattr(error, "litellm_response_headers", None)
    if headers is None:
        headers = getattr(getattr(error, "response", None), "headers", None)
    return headers


def retry_after_seconds(error):
    """The wait a provider asked for (`Retry-After` header, in seconds or as a date), or None."""
    value = getattr(error, "retry_after", None)
    if value is None:
        headers = _headers(error)
        if headers is not None:
            try:
                value = headers.get("retry-after") or headers.get("Retry-After")
            except AttributeError:
                value = None
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        pass
    try:
        moment = email.utils.parsedate_to_datetime(str(value))
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def backoff_delay(attempt, base_delay, error=None, max_delay=60.0):
    """Seconds to wait before retry number `attempt` (from 1): exponential with jitter,
    never less than what the provider asked for with `Retry-After`, never more than `max_delay`."""
    delay = min(max_delay, base_delay * 2 ** (attempt - 1)) * (0.5 + random.random() / 2)
    asked = retry_after_seconds(error) if error is not None else None
    if asked is None or math.isnan(asked):
        return delay
    return min(max(delay, asked), max_delay)
