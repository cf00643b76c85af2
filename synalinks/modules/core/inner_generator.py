"""The `Generator` arguments that a module holding an inner `Generator` takes, hands on and saves.

`Action` (its argument writer), `Branch` (its decision), `Text2SQL` (its SQL
writer), `RetrieveKnowledge` and the `KnowledgeSearch` modules (their query
writers) each declare these arguments in their signature, as Synalinks does,
and hand them on through `inner_generator_arguments`, so that the list lives
here only.
"""

# Handed on to the inner Generator and saved in the module's config (with `instructions`).
INNER_GENERATOR_ARGUMENTS = (
    "prompt_template",
    "seed_instructions",
    "temperature",
    "max_tokens",
    "top_p",
    "top_k",
    "reasoning_effort",
    "use_inputs_schema",
    "use_outputs_schema",
)
# Handed on but saved apart: the model is saved once, the examples as the generator's variable.
HANDED_ON_ARGUMENTS = ("language_model", "examples", "instructions")


def inner_generator_arguments(arguments, **overrides):
    """The keyword arguments of an inner `Generator`, picked from a constructor's `arguments`.

    Args:
        arguments: The constructor's arguments by name (its `locals()`).
        **overrides: Set on top (the schema, the name, default instructions).

    Example:

    ```python
    def writer(language_model=None, instructions=None, temperature=None):
        return synalinks.Generator(**inner_generator_arguments(locals(), data_model=Answer, name="writer"))

    writer(language_model=lm, temperature=0.2).get_config()["temperature"]  # 0.2
    ```
    """
    picked = {name: arguments[name] for name in HANDED_ON_ARGUMENTS + INNER_GENERATOR_ARGUMENTS if name in arguments}
    return {**picked, **overrides}


def inner_generator_config(generator):
    """The `INNER_GENERATOR_ARGUMENTS` of `generator`'s config, with its instructions."""
    config = generator.get_config()
    return {"instructions": generator.instructions, **{key: config.get(key) for key in INNER_GENERATOR_ARGUMENTS}}
