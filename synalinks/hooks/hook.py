"""`Hook`: the base class of objects called around every module and language model call."""


class Hook:
    """Called at the start and at the end of a module's or a language model's calls.

    Attach hooks to one module (`Generator(..., hooks=[...])`,
    `module.add_hook(hook)`), to one language model
    (`LanguageModel(..., hooks=[...])`) or to every call of the process
    (`synalinks.hooks.add_global_hook(hook)`, `synalinks.enable_observability()`,
    `synalinks.record_traces()`). Inside both methods `current_span()` gives
    the call's `Span`: its trace id, name, inputs, outputs, latency, tokens,
    cost and error. A hook that raises is logged once and never breaks the call.

    Attributes:
        params: The parameters given by `set_params` (or None).
        module: The module or language model the hook was attached to (None for a global hook).

    Example:

    ```python
    class SlowCalls(synalinks.hooks.Hook):
        def on_call_end(self, call_id, parent_call_id=None, outputs=None, exception=None):
            span = synalinks.hooks.current_span()
            if span.latency > 5.0:
                print(f"{span.name} took {span.latency:.1f}s")

    synalinks.hooks.add_global_hook(SlowCalls())
    ```
    """

    def __init__(self):
        self.params = None
        self._module = None

    def set_params(self, params):
        self.params = params

    def set_module(self, module):
        self._module = module

    @property
    def module(self):
        return self._module

    def on_call_begin(self, call_id, parent_call_id=None, inputs=None, kwargs=None):
        """Called before the call runs.

        Args:
            call_id: The call's id (`current_span().call_id`).
            parent_call_id: The enclosing call's id, or None at a trace's root.
            inputs: The call's inputs (data models, or chat messages for a language model).
            kwargs: Its other arguments (`training`, `schema`, `tools`, ...).
        """

    def on_call_end(self, call_id, parent_call_id=None, outputs=None, exception=None):
        """Called after the call, whether it returned or raised.

        Args:
            call_id: The call's id.
            parent_call_id: The enclosing call's id, or None at a trace's root.
            outputs: What the call returned (None when it raised).
            exception: The error's message when it raised, else None
                (`current_span().error` is the exception itself).
        """
