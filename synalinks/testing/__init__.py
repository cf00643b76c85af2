from synalinks.testing.scripted_language_model import ScriptedLanguageModel

__all__ = ["ScriptedLanguageModel"]
