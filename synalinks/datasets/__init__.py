from synalinks.datasets import arithmetic, extraction, sentiment

__all__ = ["arithmetic", "extraction", "sentiment"]
