from synalinks.data_models.builtin_data_models import (
    Embedding,
    EmbeddingRequest,
    Embeddings,
    GenericInputs,
    GenericIO,
    GenericOutputs,
    GenericResult,
    Instructions,
    Prediction,
    Stamp,
    Trainable,
    is_embedded,
    is_embedding,
    is_embeddings,
    is_instructions,
    is_prediction,
    is_stamped,
    is_trainable,
)
from synalinks.data_models.chat_messages import ChatMessage, ChatMessages, ChatRole, ToolCall, ToolCallFunction
from synalinks.data_models.concatenation import concatenate_json, concatenate_schemas
from synalinks.data_models.data_model import DataModel
from synalinks.data_models.field import Field
from synalinks.data_models.json_data_model import JsonDataModel, to_json_data_model
from synalinks.data_models.schema_validation import is_valid, schema_errors
from synalinks.data_models.scores import FineScore, Rating, Rating10, Rating20, Score
from synalinks.data_models.symbolic_data_model import SymbolicDataModel

__all__ = [
    "ChatMessage",
    "ChatMessages",
    "ChatRole",
    "ToolCall",
    "ToolCallFunction",
    "DataModel",
    "Embedding",
    "EmbeddingRequest",
    "Embeddings",
    "Field",
    "FineScore",
    "GenericIO",
    "GenericInputs",
    "GenericOutputs",
    "GenericResult",
    "Instructions",
    "JsonDataModel",
    "Prediction",
    "Rating",
    "Rating10",
    "Rating20",
    "Score",
    "Stamp",
    "SymbolicDataModel",
    "Trainable",
    "concatenate_json",
    "concatenate_schemas",
    "is_embedded",
    "is_embedding",
    "is_embeddings",
    "is_instructions",
    "is_prediction",
    "is_stamped",
    "is_trainable",
    "is_valid",
    "schema_errors",
    "to_json_data_model",
]
