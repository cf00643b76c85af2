"""The data models synalinks programs commonly exchange, and `is_*` checks for them.

Each `is_*` helper says whether a data model (a class, a value, a symbolic
value or a variable: anything with `get_schema()`) has all the fields of the
built-in one, with the same definitions.
"""

from datetime import datetime
from typing import Any

from synalinks.data_models.data_model import DataModel
from synalinks.data_models.field import Field


class GenericInputs(DataModel):
    """Any inputs, as one JSON object."""

    inputs: dict[str, Any] = Field(description="The inputs")


class GenericOutputs(DataModel):
    """Any outputs, as one JSON object."""

    outputs: dict[str, Any] = Field(description="The outputs")


class GenericIO(DataModel):
    """A pair of inputs and outputs."""

    inputs: dict[str, Any] = Field(description="The inputs")
    outputs: dict[str, Any] = Field(description="The outputs")


class GenericResult(DataModel):
    """A list of results."""

    result: list[Any] = Field(description="The result")


class Stamp(DataModel):
    """A creation time."""

    created_at: datetime | None = Field(default=None, description="The creation time")


class EmbeddingRequest(DataModel):
    """What an embedding model embeds: one text or a batch of texts."""

    texts: str | list[str] = Field(description="A text or list of texts to embed")


class Embedding(DataModel):
    """One embedding vector."""

    embedding: list[float] = Field(default=[], description="The embedding vector")


class Embeddings(DataModel):
    """A list of embedding vectors."""

    embeddings: list[list[float]] = Field(default=[], description="The list of embedding vectors")


class Prediction(GenericIO):
    """A module's inputs and outputs for one sample, and the reward they earned."""

    reward: float | None = Field(default=None, description="The prediction's reward")


class Trainable(DataModel):
    """The base of trainable state: few-shot examples, the predictions they are drawn from, and
    the optimizer's bookkeeping fields Synalinks defines (all with defaults).

    A variable whose data model derives from `Trainable` is trainable
    (`Module.add_variable(data_model=...)`); optimizers fill its `examples`
    from its `predictions` and write its other fields. A custom module that
    holds one records what it did for each sample with
    `synalinks.modules.current_trace().record(variable, inputs, outputs)`
    during training (predictions appended to `current_predictions` are kept
    too, for Synalinks code, but our optimizers read the trace).

    Example:

    ```python
    class Persona(synalinks.Trainable):
        persona: str = synalinks.Field(default="", description="Who the assistant is")

    class Assistant(synalinks.Module):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.persona = self.add_variable(data_model=Persona, name="persona")
    ```
    """

    examples: list[Prediction] = Field(default=[], description="The examples for few-shot learning")
    current_predictions: list[Prediction] = Field(default=[], description="The predictions of the current batch")
    predictions: list[Prediction] = Field(default=[], description="The predictions store")
    seed_candidates: list[Any] = Field(default=[], description="The seed candidates")
    candidates: list[Any] = Field(default=[], description="The candidates")
    best_candidates: list[Any] = Field(default=[], description="The best candidates")
    history: list[Any] = Field(default=[], description="The candidates history")
    nb_visit: int = Field(default=0, description="Scored predictions in the latest batch")
    cumulative_reward: float = Field(default=0.0, description="Sum of the rewards of the latest batch")


class Instructions(Trainable):
    """Trainable instructions for a language model."""

    instructions: str | None = Field(default=None, description="The instructions for the language model")


def _has_fields_of(x, data_model):
    schema = x.get_schema() if hasattr(x, "get_schema") else None
    properties = (schema or {}).get("properties") or {}
    expected = data_model.get_schema().get("properties", {})
    return all(name in properties and properties[name] == prop for name, prop in expected.items())


def is_stamped(x):
    """True when `x` has a `created_at` field."""
    schema = x.get_schema() if hasattr(x, "get_schema") else None
    return "created_at" in ((schema or {}).get("properties") or {})


def is_embedded(x):
    """True when `x` has an `embedding` field (an entity with its vector)."""
    schema = x.get_schema() if hasattr(x, "get_schema") else None
    return "embedding" in ((schema or {}).get("properties") or {})


def is_embedding(x):
    """True when `x` has the fields of `Embedding`."""
    return _has_fields_of(x, Embedding)


def is_embeddings(x):
    """True when `x` has the fields of `Embeddings`."""
    return _has_fields_of(x, Embeddings)


def is_prediction(x):
    """True when `x` has the fields of `Prediction`."""
    return _has_fields_of(x, Prediction)


def is_trainable(x):
    """True when `x` has the fields of `Trainable` (a variable of it is trainable)."""
    return _has_fields_of(x, Trainable)


def is_instructions(x):
    """True when `x` has the fields of `Instructions`."""
    return _has_fields_of(x, Instructions)
