"""`SafeModeScope`: what a file being loaded may ask for."""

import contextvars

_current = contextvars.ContextVar("synalinks_safe_mode_scope", default=None)


class SafeModeScope:
    """Sets, while a file is being loaded, what that file is allowed to ask for.

    In safe mode (the default of `load_program`), a file cannot make loading
    call a registered function with arguments of its own, and cannot point a
    language model at a server (`api_base`) the user did not allow: such a
    file fails to load with an error naming what it asked for.

    Args:
        safe_mode: Refuse what is unsafe (True) or allow everything (False).
        allowed_api_bases: Server URLs a file's language models may use.
        language_model: A `LanguageModel` used in place of every language
            model the file names, or a dict `{model string: LanguageModel}`
            replacing only those named.
        knowledge_base: A `KnowledgeBase` used in place of every knowledge
            base of the file, or a dict `{name: KnowledgeBase}`. In safe mode
            a file's knowledge base is refused without one: the caller, not
            the file, chooses where a program reads and writes its data.

    Example:

    ```python
    from synalinks.saving.serialization import deserialize, serialize

    config = serialize(synalinks.LanguageModel(model="openai/gpt-4o-mini", api_base="http://localhost:8000/v1"))
    with SafeModeScope(safe_mode=True, allowed_api_bases=["http://localhost:8000/v1"]):
        language_model = deserialize(config)
    ```
    """

    def __init__(self, safe_mode=True, allowed_api_bases=(), language_model=None, knowledge_base=None):
        if not isinstance(safe_mode, bool):
            raise TypeError(f"`safe_mode` must be True or False, got {safe_mode!r}.")
        if isinstance(allowed_api_bases, str):
            allowed_api_bases = [allowed_api_bases]
        self.safe_mode = safe_mode
        self.allowed_api_bases = {_normalize(base) for base in allowed_api_bases or ()}
        self.language_model = language_model
        self.knowledge_base = knowledge_base
        self._token = None

    def __enter__(self):
        self._token = _current.set(self)
        return self

    def __exit__(self, *exc_info):
        _current.reset(self._token)
        return False

    def allows_api_base(self, api_base):
        return not self.safe_mode or _normalize(api_base) in self.allowed_api_bases

    def replacement_for(self, model):
        """The language model the user passed for `model`, or None."""
        if self.language_model is None:
            return None
        if isinstance(self.language_model, dict):
            return self.language_model.get(model)
        return self.language_model

    def replacement_knowledge_base(self, name):
        """The knowledge base the user passed for the file's knowledge base `name`, or None."""
        if isinstance(self.knowledge_base, dict):
            return self.knowledge_base.get(name)
        return self.knowledge_base


def current_scope():
    """The `SafeModeScope` in force, or None outside any load."""
    return _current.get()


def in_safe_mode():
    scope = current_scope()
    return scope is not None and scope.safe_mode


def _normalize(url):
    return str(url).rstrip("/")
