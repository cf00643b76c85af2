"""`printable_text`: text from files or models shown on a terminal with its control characters escaped."""

import unicodedata


def printable_text(text):
    """`text` with control and format characters (ANSI escapes, bidi overrides, ...) escaped, never
    executed by the terminal; newlines and tabs kept.

    Example:

    ```python
    printable_text("ok\\x1b[2J")  # 'ok\\\\x1b[2J'
    ```
    """
    return "".join(
        char if char in "\n\t" or (char.isprintable() and unicodedata.category(char) != "Cf") else repr(char)[1:-1]
        for char in str(text)
    )
