"""Prompt templates: the Jinja2 text that turns a generator's state into its system message."""

import functools
import json

from synalinks.utils.template_sandbox import bounded_environment, render_bounded

# The template a Generator uses when given none. It is rendered in Python (`render_default`)
# unless a template is given, so the default path needs no Jinja2 at call time; a test checks
# that both renderings agree.
DEFAULT_PROMPT_TEMPLATE = """{% if instructions %}{{ instructions }}

{% endif %}{% if inputs_schema %}The input follows this JSON schema:
{{ inputs_schema }}

{% endif %}{% if outputs_schema %}Reply with a JSON object that follows this JSON schema:
{{ outputs_schema }}{% else %}Reply with a JSON object.{% endif %}{% if examples %}

Examples:
{% for example in examples %}
Input: {{ example[0] }}
Output: {{ example[1] }}
{% endfor %}{% endif %}"""


def default_prompt_template():
    """Returns the default prompt template (a Jinja2 string).

    It is rendered with `instructions`, `inputs_schema` and `outputs_schema`
    (JSON texts, empty unless `use_inputs_schema` / `use_outputs_schema`) and
    `examples` (`[input JSON, output JSON]` pairs). Examples are sent as chat
    turns instead when a template does not use `examples` (the built-in
    Generator does that: it passes no examples to this template).

    Example:

    ```python
    template = synalinks.default_prompt_template().replace("Reply with", "Answer with")
    generator = synalinks.Generator(data_model=Answer, prompt_template=template)
    ```
    """
    return DEFAULT_PROMPT_TEMPLATE


@functools.lru_cache(maxsize=64)
def _compiled(template):
    # Jinja2 comes with litellm. Bounded: a template from a file computes nothing when it is compiled
    # (loaded), and its rendering is bounded in time, output and arithmetic.
    environment = bounded_environment(autoescape=False, keep_trailing_newline=False)
    return environment.from_string(template), "examples" in _variables(environment, template)


def _variables(environment, template):
    from jinja2 import meta

    return meta.find_undeclared_variables(environment.parse(template))


def check_prompt_template(template):
    """Refuses a template that is not a string or not valid Jinja2, saying why."""
    if not isinstance(template, str):
        raise TypeError(f"`prompt_template` must be a Jinja2 string, got {type(template).__name__}.")
    try:
        _compiled(template)
    except Exception as error:  # jinja2.TemplateSyntaxError and the like
        raise ValueError(f"`prompt_template` is not a valid Jinja2 template: {error}") from None


def uses_examples(template):
    """True when the template renders the examples itself (then they are not sent as chat turns)."""
    return _compiled(template)[1]


def render(template, instructions, inputs_schema, outputs_schema, examples):
    """The system message a template gives for a generator's state, in a sandbox (no attribute or code access)."""
    compiled, _ = _compiled(template)
    return render_bounded(
        compiled,
        instructions=instructions or "",
        inputs_schema=json.dumps(inputs_schema) if inputs_schema else "",
        outputs_schema=json.dumps(outputs_schema) if outputs_schema else "",
        examples=[
            [json.dumps(example["inputs"], ensure_ascii=False), json.dumps(example["outputs"], ensure_ascii=False)]
            for example in examples or []
        ],
    ).strip()


def render_default(instructions, inputs_schema, outputs_schema):
    """What `DEFAULT_PROMPT_TEMPLATE` renders without examples, built in Python (the hot path)."""
    parts = []
    if instructions:
        parts.append(instructions)
    if inputs_schema:
        parts.append("The input follows this JSON schema:\n" + json.dumps(inputs_schema))
    if outputs_schema:
        parts.append("Reply with a JSON object that follows this JSON schema:\n" + json.dumps(outputs_schema))
    else:
        parts.append("Reply with a JSON object.")
    return "\n\n".join(parts)
