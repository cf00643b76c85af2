"""Masking modules: keep or drop fields."""

from synalinks.modules.masking.in_mask import InMask
from synalinks.modules.masking.out_mask import OutMask

__all__ = ["InMask", "OutMask"]
