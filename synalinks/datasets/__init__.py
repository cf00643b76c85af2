from synalinks.datasets import sentiment

__all__ = ["sentiment"]
