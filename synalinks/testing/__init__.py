from synalinks.testing.fake_provider import FakeProvider, example_value
from synalinks.testing.scripted_language_model import ScriptedLanguageModel

__all__ = ["FakeProvider", "ScriptedLanguageModel", "example_value"]
