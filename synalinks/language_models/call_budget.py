"""`CallBudget`: the LM calls a `fit` may send, counted across every language model it uses."""

import contextlib
import contextvars

_active_budget = contextvars.ContextVar("synalinks_call_budget", default=None)


class BudgetExceededError(RuntimeError):
    """A language model call was refused: the budget of the running `fit` is spent.

    Not a `LanguageModelError`: it is not a failed sample but the end of the
    run, so modules and optimizers let it through to `fit`, which stops cleanly.
    """


class CallBudget:
    """Counts the language model calls of one `fit` and refuses the one past `max_calls`.

    `fit(max_calls=N)` makes one and activates it for everything it runs: the
    program's modules, the optimizer's trials and its own language model. A
    call is one request sent to a model (each retry is one; a reply from the
    response cache is free). The refused request is never sent, so a budget is
    never exceeded, not even by one call.

    The calls the optimizer asks for (cache hits included, so the count is the
    same after a resume) are tallied apart, for the logs.

    Args:
        max_calls: The most calls to send, or None for no limit (counting only).

    Example:

    ```python
    budget = CallBudget(max_calls=100)
    with budget.active():
        await program(inputs)  # each call the program sends is counted
    budget.calls  # 1
    ```
    """

    def __init__(self, max_calls=None):
        if max_calls is not None and (not isinstance(max_calls, int) or isinstance(max_calls, bool) or max_calls < 0):
            raise ValueError(f"`max_calls` must be a non-negative integer or None, got {max_calls!r}.")
        self.max_calls = max_calls
        self.calls = 0
        self.optimizer_requests = 0
        self.exhausted = False
        self._for_optimizer = False

    def spend(self, model_name):
        """Counts one call about to be sent, or raises `BudgetExceededError` (nothing is sent then)."""
        if self.max_calls is not None and self.calls >= self.max_calls:
            self.exhausted = True
            raise BudgetExceededError(
                f"The call budget is spent: max_calls={self.max_calls} LM calls were sent; "
                f"the call to {model_name} was not made."
            )
        self.calls += 1

    def note_request(self):
        """Counts a request a module makes (answered from the cache or not)."""
        if self._for_optimizer:
            self.optimizer_requests += 1

    @contextlib.contextmanager
    def active(self):
        """Makes this budget count the calls made inside the block (and the tasks it starts)."""
        token = _active_budget.set(self)
        try:
            yield self
        finally:
            _active_budget.reset(token)

    @contextlib.contextmanager
    def optimizer_work(self):
        """Tallies the requests made inside the block as the optimizer's."""
        self._for_optimizer = True
        try:
            yield self
        finally:
            self._for_optimizer = False


def active_call_budget():
    """The `CallBudget` of the running `fit`, or None."""
    return _active_budget.get()
