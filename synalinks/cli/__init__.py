from synalinks.cli.main import main

__all__ = ["main"]
