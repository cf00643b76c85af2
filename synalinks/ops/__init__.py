from synalinks.ops.json_ops import (
    concat,
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
