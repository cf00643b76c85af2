"""`BoundedEnvironment`: Jinja2 templates from files or users rendered in a sandbox that also bounds what a
template may cost: no constant folding at load time, bounded arithmetic, ranges, output and time."""

import re
import time

MAX_OUTPUT_CHARS = 1_000_000  # characters a template may render
MAX_RANGE_ITEMS = 100_000  # items all the `range`s of one rendering may give, together
MAX_NUMBER_DIGITS = 1_000  # digits of a number an operator may make
RENDER_SECONDS = 1.0  # time a rendering may take
_WIDE_FORMAT = re.compile(r"\d{6,}")  # a width or precision of 100,000 or more in a format string


class TemplateLimitError(ValueError):
    """A template went past a bound (output length, range items, number size, time) and was stopped."""


def bounded_environment(**options):
    """A Jinja2 `SandboxedEnvironment` whose templates cost bounded time and memory.

    On top of Jinja's sandbox (no attribute or code access):

    - Nothing is computed when a template is compiled (`optimized=False`):
      Jinja folds constant expressions at compile time, so `{{ 9**(9**9) }}`
      would otherwise run while a program file is being loaded.
    - `**`, `*`, `%` and `+` refuse results past 1,000 digits or 1,000,000
      characters, before computing them where they can be foreseen.
    - All the `range`s of one rendering give 100,000 items at most, together
      (nested loops included); `lipsum` is gone.
    - Format strings with a width of 100,000 or more are refused, and so
      are texts past 1,000,000 characters passed to or returned by a call
      or a macro, or kept in a `namespace`.
    - Rendering stops past 1,000,000 characters or 1 second (checked as it
      renders, at each call, attribute and item access).

    Args:
        **options: Passed to the environment (`undefined=StrictUndefined`, ...).

    Example:

    ```python
    template = bounded_environment().from_string("{{ name }} has {{ n }} items")
    text = render_bounded(template, name="cart", n=3)
    ```
    """
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedEnvironment(SandboxedEnvironment):
        intercepted_binops = frozenset(["**", "*", "%", "+"])

        def __init__(self, **kwargs):
            super().__init__(optimized=False, **kwargs)
            self.globals.pop("lipsum", None)
            self.globals["range"] = bounded_range
            self.globals["namespace"] = bounded_namespace()
            self.filters["format"] = bounded_format
            for name in ("center", "indent", "truncate", "wordwrap"):
                self.filters[name] = _width_checked(self.filters[name])

        def call_binop(self, context, operator, left, right):
            check_deadline()
            return bounded_binop(operator, left, right)

        def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's signature)
            check_deadline()
            for value in [*args, *kwargs.values()]:
                check_size(value)
            return check_size(super().call(__context, __obj, *args, **kwargs))

        def getattr(self, obj, attribute):
            check_deadline()
            if isinstance(obj, str) and attribute in ("format", "format_map"):
                check_format(obj)
            return super().getattr(obj, attribute)

        def getitem(self, obj, argument):
            check_deadline()
            return super().getitem(obj, argument)

    return BoundedEnvironment(**options)


class _Budget:
    """The bounds of the rendering under way (one at a time per thread)."""

    import threading

    local = threading.local()


def _state():
    state = getattr(_Budget.local, "state", None)
    if state is None:
        state = _Budget.local.state = {"deadline": None, "range_items": 0}
    return state


def check_deadline():
    deadline = _state()["deadline"]
    if deadline is not None and time.monotonic() > deadline:
        raise TemplateLimitError(f"The template took more than {RENDER_SECONDS:g} s to render and was stopped.")


def check_size(value):
    """`value`, refused when it is a text or list past what a template may render."""
    if _size(value) > MAX_OUTPUT_CHARS:
        raise TemplateLimitError("The template made a value past what it may render.")
    return value


def bounded_namespace():
    """Jinja's `namespace`, whose attributes cannot hold values past what a template may render (a text
    doubled at each turn of a loop)."""
    from jinja2.utils import Namespace

    class BoundedNamespace(Namespace):
        def __setitem__(self, name, value):
            check_deadline()
            super().__setitem__(name, check_size(value))

    return BoundedNamespace


def bounded_range(*args):
    numbers = range(*args)
    state = _state()
    state["range_items"] += len(numbers)
    if state["range_items"] > MAX_RANGE_ITEMS:
        raise TemplateLimitError(f"The template's ranges give more than {MAX_RANGE_ITEMS} items in all.")
    return numbers


def check_format(text):
    if isinstance(text, str) and _WIDE_FORMAT.search(text):
        raise TemplateLimitError("The template's format string asks for a width of 100,000 or more.")


def bounded_format(value, *args, **kwargs):
    from jinja2.filters import do_format

    check_format(value)
    return do_format(value, *args, **kwargs)


def _width_checked(filter_function):
    def checked(value, *args, **kwargs):
        for number in [*args, *kwargs.values()]:
            if isinstance(number, int) and not isinstance(number, bool) and number > MAX_OUTPUT_CHARS:
                raise TemplateLimitError(f"A width of {number} is more than a template may render.")
        return filter_function(value, *args, **kwargs)

    for attribute in ("jinja_pass_arg",):  # keep Jinja's marks (environment / eval context filters)
        if hasattr(filter_function, attribute):
            setattr(checked, attribute, getattr(filter_function, attribute))
    return checked


def _size(value):
    if isinstance(value, (str, bytes, list, tuple)):
        return len(value)
    return 0


def bounded_binop(operator, left, right):
    """`left operator right`, refused when its result would be too large to compute in bounded time."""
    numbers = all(isinstance(side, (int, float)) and not isinstance(side, bool) for side in (left, right))
    if operator == "**" and numbers:
        if abs(left) > 1 and abs(right) * max(len(str(int(abs(left)))), 1) > MAX_NUMBER_DIGITS:
            raise TemplateLimitError(f"{left} ** {right} would have more than {MAX_NUMBER_DIGITS} digits.")
        return left**right
    if operator == "*":
        for sequence, count in ((left, right), (right, left)):
            if _size(sequence) and isinstance(count, int) and _size(sequence) * count > MAX_OUTPUT_CHARS:
                raise TemplateLimitError("The template repeats a text or list past what it may render.")
        if numbers and len(str(int(abs(left)))) + len(str(int(abs(right)))) > MAX_NUMBER_DIGITS:
            raise TemplateLimitError(f"A product would have more than {MAX_NUMBER_DIGITS} digits.")
        return left * right
    if operator == "%":
        check_format(left)
        result = left % right
    elif operator == "+":
        if _size(left) + _size(right) > MAX_OUTPUT_CHARS:
            raise TemplateLimitError("The template joins texts past what it may render.")
        result = left + right
    else:  # pragma: no cover (only the operators above are intercepted)
        raise TemplateLimitError(f"The operator {operator} is not allowed in templates.")
    return check_size(result)


def render_bounded(template, **context):
    """Renders a template of `bounded_environment`, stopped past its output and time bounds.

    Raises:
        TemplateLimitError: past a bound (nothing of the rendering is returned).
    """
    state = _state()
    saved = dict(state)
    state.update(deadline=time.monotonic() + RENDER_SECONDS, range_items=0)
    try:
        pieces, size = [], 0
        for piece in template.generate(**context):
            size += len(piece)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateLimitError(f"The template rendered more than {MAX_OUTPUT_CHARS} characters.")
            check_deadline()
            pieces.append(piece)
        return "".join(pieces)
    finally:
        state.update(saved)
