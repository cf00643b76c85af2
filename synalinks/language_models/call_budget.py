"""`CallBudget`: the LM calls and the money a `fit` (or one language model) may spend."""

import asyncio
import contextlib
import contextvars

_active_budget = contextvars.ContextVar("synalinks_call_budget", default=None)

# Costs are sums of float prices: a budget of exactly N calls' price must admit N calls.
_COST_TOLERANCE = 1e-9


class BudgetExceededError(RuntimeError):
    """A language model call was refused: a budget is spent.

    Not a `LanguageModelError`: it is not a failed sample but the end of the
    run, so modules and optimizers let it through to `fit`, which stops cleanly.

    Attributes:
        limit: Which budget: "max_calls" or "max_cost".
    """

    def __init__(self, message, limit="max_calls"):
        super().__init__(message)
        self.limit = limit


def _check_limit(value, name, kind):
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, kind) or value < 0:
        raise ValueError(
            f"`{name}` must be a non-negative {'integer' if kind is int else 'number'} or None, got {value!r}."
        )


class CallBudget:
    """Counts the calls and the cost of a `fit` (or of one language model) and refuses the call past a limit.

    `fit(max_calls=..., max_cost=...)` makes one and activates it for
    everything it runs: the program's modules, the optimizer's trials and its
    own language model; `LanguageModel(max_calls=..., max_cost=...)` has its
    own for its whole life. A call is one request sent to a model (each retry
    is one; a reply from the response cache is free).

    - `max_calls`: the refused request is never sent, so the count never goes
      past the limit, however many calls run at once.
    - `max_cost`: a call's price is known only when its reply comes, so each
      call reserves a price before it is sent (its prompt's length times the
      highest price per prompt character seen so far) and is refused when what
      was spent plus what is reserved would go past the limit. Until a reply
      has come with a price above zero, a call reserves the most its model's
      listed price allows (`listed_price`: the prompt and the longest reply at
      litellm's price list, 0 for the embedded model) or, when the price is
      not listed, is sent alone: a free first reply (a provider that reports
      no cost for it) does not make later calls free. The budget is never
      exceeded unless a call costs more, for its prompt's length, than every
      priced call before it.

    The requests the optimizer asks for (cache hits included, so the count is
    the same after a resume) are tallied apart, for the logs.

    Args:
        max_calls: The most calls to send, or None for no limit (counting only).
        max_cost: The most USD to spend (as the providers report it), or None.
        owner: Who the budget belongs to, for messages ("fit", a model's name).

    Example:

    ```python
    budget = CallBudget(max_calls=100, max_cost=0.50)
    with budget.active():
        await program(inputs)  # each call the program sends is counted
    budget.calls, budget.cost  # 1, 0.0004
    ```
    """

    def __init__(self, max_calls=None, max_cost=None, owner="fit"):
        _check_limit(max_calls, "max_calls", int)
        _check_limit(max_cost, "max_cost", (int, float))
        self.max_calls = max_calls
        self.max_cost = float(max_cost) if max_cost is not None else None
        self.owner = owner
        self.calls = 0
        self.cost = 0.0
        self.optimizer_requests = 0
        self.exhausted_by = None  # "max_calls" or "max_cost" once a call was refused
        self.refusal = None  # the message of the first refusal
        self._reserved = 0.0
        self._dearest_rate = None  # the highest price per prompt character seen so far
        self._pricing = None  # (loop, Event) while the first priced call is on its way
        self._for_optimizer = False

    @property
    def exhausted(self):
        """True once a call was refused."""
        return self.exhausted_by is not None

    async def reserve(self, model_name, prompt_size=1, listed_price=None):
        """Counts one call about to be sent and returns the price it reserves, or raises
        `BudgetExceededError` (nothing is sent then). Pair it with `settle`.

        Args:
            model_name: The model, for the message.
            prompt_size: The prompt's length in characters (prices scale with it).
            listed_price: The most this call can cost by the model's listed
                price (None when unknown), reserved until a priced reply came.
        """
        if self.max_calls is not None and self.calls >= self.max_calls:
            self._refuse(
                "max_calls",
                f"the budget of max_calls={self.max_calls} LM calls of {self.owner} is spent ({self.calls} sent); "
                f"the call to {model_name} was not made.",
            )
        estimate = 0.0
        if self.max_cost is not None:
            left = self.max_cost - self.cost - self._reserved
            if self._dearest_rate is None and listed_price is not None and listed_price <= left + _COST_TOLERANCE:
                estimate = float(listed_price)  # at most what the price list allows: sent at once
            else:
                await self._wait_for_a_price()
                if self._dearest_rate is not None:
                    estimate = self._dearest_rate * max(prompt_size, 1)
                else:  # no price known: this call goes alone, the others wait for its price
                    self._pricing = (asyncio.get_running_loop(), asyncio.Event())
            remaining = self.max_cost - self.cost - self._reserved
            if remaining <= _COST_TOLERANCE or estimate > remaining + _COST_TOLERANCE:
                if self._pricing is not None and self._dearest_rate is None:
                    self._pricing = None
                self._refuse(
                    "max_cost",
                    f"the budget of max_cost=${self.max_cost:.6g} of {self.owner} is spent: ${self.cost:.6g} spent "
                    f"in {self.calls} calls, ${self._reserved:.6g} reserved by calls on their way, and the next "
                    f"call (up to ${estimate:.6g}) would go past it; the call to {model_name} was not made.",
                )
            self._reserved += estimate
        self.calls += 1
        return estimate

    def settle(self, estimate, cost, prompt_size=1):
        """Replaces the reservation of a call by its price (`cost`; None when no reply came)."""
        self._reserved -= estimate
        if cost is not None:
            self.cost += cost
        if cost:  # a reply priced at 0 says nothing of the next one's price
            rate = cost / max(prompt_size, 1)
            self._dearest_rate = rate if self._dearest_rate is None else max(self._dearest_rate, rate)
        if self._pricing is not None:  # the first call came back: the calls waiting for a price go on
            self._pricing[1].set()
            self._pricing = None

    def cancel(self, estimate):
        """Undoes a `reserve` whose call was not sent after all (another budget refused it)."""
        self.calls -= 1
        self.settle(estimate, None)

    async def _wait_for_a_price(self):
        while self._dearest_rate is None and self._pricing is not None:
            loop, priced = self._pricing
            if loop is not asyncio.get_running_loop() or loop.is_closed():
                self._pricing = None  # left by a run whose event loop is gone
                return
            await priced.wait()

    def _refuse(self, limit, message):
        if self.exhausted_by is None:
            self.exhausted_by, self.refusal = limit, message
        raise BudgetExceededError(message[0].upper() + message[1:], limit=limit)

    def note_refusal(self, error):
        """Marks this budget spent because a call inside it was refused by another (a model's own budget)."""
        if self.exhausted_by is None:
            self.exhausted_by, self.refusal = error.limit, str(error)

    def shares(self, parts):
        """`(max_calls, max_cost)` for each of `parts` runs elsewhere (Ray tasks), so that together
        they keep to what is left of this budget (None where there is no limit)."""
        calls = None if self.max_calls is None else max(0, self.max_calls - self.calls) // parts
        cost = None if self.max_cost is None else max(0.0, self.max_cost - self.cost - self._reserved) / parts
        return calls, cost

    def add_usage(self, calls, cost, requests=0):
        """Counts what runs elsewhere spent, each within its share (see `shares`), as this budget's."""
        self.calls += calls
        self.cost += cost
        if self._for_optimizer:
            self.optimizer_requests += requests

    def refuse_elsewhere(self, limit, where):
        """Raises `BudgetExceededError`: `where` (e.g. "a trial on Ray") was refused a call within its share."""
        value = self.max_calls if limit == "max_calls" else f"${self.max_cost:.6g}"
        self._refuse(
            limit,
            f"the budget of {limit}={value} of {self.owner} is spent ({self.calls} calls sent, "
            f"${self.cost:.6g} spent); {where} was refused a call past its share of what was left.",
        )

    def check_cost_left(self, model_name):
        """Raises `BudgetExceededError` when nothing is left of `max_cost` (for requests priced only
        once made and not reserved, as embedding requests are: cheap, their cost counted after)."""
        if self.max_cost is not None and self.max_cost - self.cost - self._reserved <= _COST_TOLERANCE:
            self._refuse(
                "max_cost",
                f"the budget of max_cost=${self.max_cost:.6g} of {self.owner} is spent: ${self.cost:.6g} spent "
                f"in {self.calls} calls; the embedding request to {model_name} was not made.",
            )

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


def settle_all(reservations, cost):
    """Settles each `(budget, reserved price, prompt size)` of a call at its `cost` (None: no reply came)."""
    for budget, reserved, prompt_size in reservations:
        budget.settle(reserved, cost, prompt_size)


def active_call_budget():
    """The `CallBudget` of the running `fit`, or None."""
    return _active_budget.get()
