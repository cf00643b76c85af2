"""Merging modules: the operators `+ & | ^` of data models as modules."""

from synalinks.modules.merging.and_module import And
from synalinks.modules.merging.concat import Concat
from synalinks.modules.merging.or_module import Or
from synalinks.modules.merging.xor_module import Xor

__all__ = ["And", "Concat", "Or", "Xor"]
