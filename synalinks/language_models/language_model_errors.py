"""What a language model call raises when it fails for good."""


class LanguageModelError(RuntimeError):
    """A language-model call failed for good (after its retries and fallback)."""


class LanguageModelAccessError(LanguageModelError):
    """The provider refused the credentials (401/403) or no API key is set.

    No other call can succeed, so modules do not turn it into a None output:
    it stops `fit`, `evaluate` and `predict` at once.
    """
