"""The library version, recorded in every file synalinks writes."""

__version__ = "0.1.0"
