"""A knowledge base built from a file: in safe mode the file decides neither where the data is nor
whether it is wiped; the caller does."""

from synalinks.saving.safe_mode import current_scope
from synalinks.saving.serialization import DeserializationError, deserialize_nested, quote


def knowledge_base_from_config(cls, config):
    """Builds `cls` (a `KnowledgeBase`) from its config, as the `SafeModeScope` in force allows.

    The knowledge base the caller passed to `load_program(knowledge_base=...)`
    replaces the file's (all of them, or those named in a dict). Otherwise,
    in safe mode, a file's knowledge base is refused: it would point the
    program at a store (a path, a server) the caller did not choose, where
    the program's modules write, and a file asking to wipe it
    (`wipe_on_start`) could empty the user's data. Outside safe mode the file
    is trusted. Building a knowledge base creates nothing on disk: its
    folder or file is made at its first use.

    Raises:
        DeserializationError: what safe mode refuses, with what to pass instead.
    """
    config = dict(config)
    scope = current_scope()
    name = config.get("name") or "knowledge_base"
    if scope is not None:
        replacement = scope.replacement_knowledge_base(name)
        if replacement is not None:
            return replacement
    if scope is not None and scope.safe_mode:
        asks = "to wipe it on start (wipe_on_start)" if config.get("wipe_on_start") else "to use it"
        raise DeserializationError(
            f"The file points the knowledge base {quote(name)} at {quote(config.get('uri'))} and asks {asks}; "
            "safe mode lets only the caller choose a program's stores. Pass knowledge_base=synalinks.KnowledgeBase("
            f"uri=...) (or {{{quote(name)}: ...}}) to load_program, or load with safe_mode=False if you trust "
            "the file."
        )
    return cls(**deserialize_nested(config))
