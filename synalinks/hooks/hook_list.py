"""`HookList`: several hooks called as one, a failing hook logged once and ignored."""

import logging

from synalinks.hooks.hook import Hook

logger = logging.getLogger("synalinks")

_reported_hooks: set[int] = set()  # ids of hooks whose failure was logged: one line per hook, not per call


class HookList(Hook):
    """Calls each of its hooks in turn; a hook that raises is logged once and never stops the call.

    Args:
        hooks: `Hook`s (or any objects with `on_call_begin` / `on_call_end`).
        module: The module or language model they are attached to.
        **params: Passed to each hook's `set_params`.

    Example:

    ```python
    hooks = synalinks.hooks.HookList([synalinks.hooks.Logger()])
    hooks.add_hook(synalinks.hooks.Hook())
    ```
    """

    def __init__(self, hooks=None, module=None, **params):
        super().__init__()
        self.hooks = []
        for hook in hooks or []:
            self.add_hook(hook)
        self.set_module(module)
        if params:
            self.set_params(params)

    def add_hook(self, hook):
        if not (hasattr(hook, "on_call_begin") or hasattr(hook, "on_call_end")):
            raise TypeError(
                f"A hook must have `on_call_begin` and/or `on_call_end` (derive from synalinks.hooks.Hook), "
                f"got {type(hook).__name__}."
            )
        self.hooks.append(hook)
        if self._module is not None and hasattr(hook, "set_module"):
            hook.set_module(self._module)

    def remove_hook(self, hook):
        if hook in self.hooks:
            self.hooks.remove(hook)

    def set_module(self, module):
        self._module = module
        if module is not None:
            for hook in self.hooks:
                if hasattr(hook, "set_module"):
                    hook.set_module(module)

    def set_params(self, params):
        self.params = params
        for hook in self.hooks:
            if hasattr(hook, "set_params"):
                hook.set_params(params)

    def __bool__(self):
        return bool(self.hooks)

    def __len__(self):
        return len(self.hooks)

    def __iter__(self):
        return iter(self.hooks)

    def on_call_begin(self, call_id, parent_call_id=None, inputs=None, kwargs=None):
        for hook in self.hooks:
            call_hook(hook, "on_call_begin", call_id, parent_call_id, inputs, kwargs)

    def on_call_end(self, call_id, parent_call_id=None, outputs=None, exception=None):
        for hook in self.hooks:
            call_hook(hook, "on_call_end", call_id, parent_call_id, outputs, exception)


def call_hook(hook, event, call_id, parent_call_id, value, extra):
    """Calls `hook.<event>`; an exception is logged (once per hook) and swallowed."""
    method = getattr(hook, event, None)
    if method is None:
        return
    try:
        if event == "on_call_begin":
            method(call_id, parent_call_id=parent_call_id, inputs=value, kwargs=extra)
        else:
            method(call_id, parent_call_id=parent_call_id, outputs=value, exception=extra)
    except Exception as error:
        if id(hook) not in _reported_hooks:
            _reported_hooks.add(id(hook))
            logger.warning(
                "The hook %s failed in %s and is ignored (logged once): %s: %s",
                type(hook).__name__,
                event,
                type(error).__name__,
                error,
            )
