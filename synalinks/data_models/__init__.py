from synalinks.data_models.concatenation import concatenate_json, concatenate_schemas
from synalinks.data_models.data_model import DataModel
from synalinks.data_models.field import Field
from synalinks.data_models.json_data_model import JsonDataModel, to_json_data_model
from synalinks.data_models.schema_validation import is_valid, schema_errors
from synalinks.data_models.symbolic_data_model import SymbolicDataModel

__all__ = [
    "DataModel",
    "Field",
    "JsonDataModel",
    "SymbolicDataModel",
    "concatenate_json",
    "concatenate_schemas",
    "is_valid",
    "schema_errors",
    "to_json_data_model",
]
