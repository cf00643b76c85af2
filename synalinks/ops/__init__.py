from synalinks.ops.json_ops import (
    concat,
    concatenate,
    convert_to_json_data_model,
    factorize,
    in_mask,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    out_mask,
    prefix,
    suffix,
)

__all__ = [
    "concat",
    "concatenate",
    "convert_to_json_data_model",
    "factorize",
    "in_mask",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "out_mask",
    "prefix",
    "suffix",
]
