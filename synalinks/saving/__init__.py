from synalinks.saving.atomic_write import atomic_write_text
from synalinks.saving.checkpoint_info import read_checkpoint_info
from synalinks.saving.file_format import (
    BACKUP_FORMAT,
    FORMAT_VERSION,
    PROGRAM_FORMAT,
    VARIABLES_FORMAT,
    FileFormatError,
    read_json_file,
    write_json_file,
)
from synalinks.saving.object_registry import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_synalinks_serializable,
)
from synalinks.saving.serialization import (
    DeserializationError,
    deserialize,
    deserialize_synalinks_object,
    serialize,
    serialize_synalinks_object,
)

__all__ = [
    "CustomObjectScope",
    "get_custom_objects",
    "serialize_synalinks_object",
    "deserialize_synalinks_object",
    "custom_object_scope",
    "BACKUP_FORMAT",
    "FORMAT_VERSION",
    "PROGRAM_FORMAT",
    "VARIABLES_FORMAT",
    "DeserializationError",
    "FileFormatError",
    "atomic_write_text",
    "deserialize",
    "get_registered_name",
    "get_registered_object",
    "read_checkpoint_info",
    "read_json_file",
    "register_synalinks_serializable",
    "serialize",
    "write_json_file",
]
