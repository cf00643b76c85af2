"""Credentials never reach a file or a log: which arguments are secret, and redaction."""

import os
import re

_SECRET_WORDS = frozenset(
    {"key", "apikey", "secret", "password", "passwd", "token", "credential", "credentials", "auth", "authorization"}
)
_SECRET_ARGUMENTS = frozenset({"extra_headers", "headers", "default_headers"})
# Key shapes of the common providers, for text a provider echoes back.
_KEY_PATTERN = re.compile(
    r"\b(sk-[A-Za-z0-9_\-]{6,}|sk_[A-Za-z0-9_\-]{6,}|AIza[0-9A-Za-z_\-]{20,}|gsk_[A-Za-z0-9]{10,})"
)


def is_secret_name(name):
    """True for an argument whose name says it holds a credential.

    A name is secret when one of its words (split on `_`) is key, secret,
    password, token, credential(s) or auth, or it is a headers argument.
    `max_tokens` is not: "tokens" counts, it does not authenticate.

    Example:

    ```python
    is_secret_name("aws_secret_access_key")  # True
    is_secret_name("max_tokens")  # False
    ```
    """
    lowered = str(name).lower()
    if lowered in _SECRET_ARGUMENTS:
        return True
    return any(word in _SECRET_WORDS for word in lowered.replace("-", "_").split("_"))


def without_secrets(arguments):
    """`arguments` (a dict) without the secret-named entries."""
    return {name: value for name, value in arguments.items() if not is_secret_name(name)}


def secret_values(arguments=None):
    """The secret strings to redact: secret-named values of `arguments` and of the environment."""
    values = set()
    for name, value in {**os.environ, **(arguments or {})}.items():
        if not is_secret_name(name):
            continue
        if isinstance(value, str) and len(value) >= 8:
            values.add(value)
        elif isinstance(value, dict):  # headers
            values.update(item for item in value.values() if isinstance(item, str) and len(item) >= 8)
    return values


def redact(text, secrets=()):
    """`text` with every known secret, and anything shaped like a provider key, replaced by `[REDACTED]`."""
    text = str(text)
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "[REDACTED]")
    return _KEY_PATTERN.sub("[REDACTED]", text)
