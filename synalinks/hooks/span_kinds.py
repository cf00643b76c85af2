"""What kind of step a span is, in the words tracing tools use (MLflow span types, OpenInference kinds)."""

_BY_CLASS_WORD = (
    ("Agent", "AGENT"),
    ("Tool", "TOOL"),
    ("Search", "RETRIEVER"),
    ("Retrieve", "RETRIEVER"),
    ("Reranker", "RERANKER"),
    ("Embed", "EMBEDDING"),
)


def span_kind(span):
    """ "LLM" for a language model call; "AGENT", "TOOL", "RETRIEVER", "RERANKER", "EMBEDDING" by the
    module's class; "CHAIN" for programs and the other modules."""
    if span.kind == "language_model":
        return "LLM"
    owner_class = span.owner_class or ""
    for word, kind in _BY_CLASS_WORD:
        if word in owner_class:
            return kind
    return "CHAIN"
