"""What a knowledge base's methods check of their arguments, and how they format results: each refusal a
`KnowledgeBaseError` naming the argument."""

import csv
import io
import math

from synalinks.knowledge_bases.knowledge_base_error import KnowledgeBaseError


def is_finite(value):
    """False for NaN and infinities (they compare with nothing in a filter)."""
    return not isinstance(value, float) or math.isfinite(value)


def as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def check_texts(text_or_texts, allow_none=False):
    """A query text or a non-empty list of them (None too when `allow_none`), else a `KnowledgeBaseError`."""
    if text_or_texts is None and allow_none:
        return None
    texts = text_or_texts if isinstance(text_or_texts, (list, tuple)) else [text_or_texts]
    if not texts or not all(isinstance(text, str) for text in texts):
        raise KnowledgeBaseError(
            f"`text_or_texts` must be a query string or a non-empty list of them, got {text_or_texts!r:.80}."
        )
    return text_or_texts


MAX_COUNT = 1_000_000_000  # the most rows a limit, an offset or a `k` may ask for


def check_count(value, name, minimum=1):
    """Raises a `KnowledgeBaseError` naming `name` unless `value` is an integer from `minimum` to 10**9."""
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= MAX_COUNT:
        raise KnowledgeBaseError(f"`{name}` must be an integer from {minimum} to {MAX_COUNT}, got {value!r:.80}.")
    return value


def check_search_arguments(k, output_format, threshold=None):
    """Raises a `KnowledgeBaseError` naming `k`, `output_format` or `threshold` when one is not valid."""
    check_count(k, "k")
    check_output_format(output_format)
    if threshold is not None and (
        isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not math.isfinite(threshold)
    ):
        raise KnowledgeBaseError(f"`threshold` must be a finite number or None, got {threshold!r:.80}.")


def check_output_format(output_format):
    if output_format not in ("json", "csv"):
        raise KnowledgeBaseError(f"`output_format` must be 'json' or 'csv', got {output_format!r:.80}.")
    return output_format


def formatted(rows, output_format):
    """Rows as a list of dicts ("json") or as CSV text with a header line ("csv", fewer tokens for an LM)."""
    if check_output_format(output_format) == "json":
        return rows
    buffer = io.StringIO()
    columns = list(dict.fromkeys(column for row in rows for column in row))
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
