"""`ResponseCache`: language-model replies kept on disk, keyed by the whole request."""

import hashlib
import json
import os

from synalinks.saving.atomic_write import atomic_write_text


class ResponseCache:
    """A folder of replies: the same request (model, messages, schema,
    generation arguments) gets the same reply without calling the model.

    Each reply is one JSON file named by the SHA-256 of the request, written
    atomically, so concurrent writers (tasks, threads or processes) never leave
    a torn file: the last complete write wins, and all writers write the same
    request's reply. A damaged file counts as a miss.

    Args:
        folder: Where to keep the replies (created if missing).

    Example:

    ```python
    language_model = synalinks.LanguageModel(model="openai/gpt-4o-mini", cache_dir="~/.cache/synalinks")
    ```
    """

    def __init__(self, folder):
        self.folder = os.path.expanduser(os.fspath(folder))

    @staticmethod
    def key(request):
        """The hash of a request (any JSON-compatible value)."""
        text = json.dumps(request, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _path(self, key):
        return os.path.join(self.folder, key[:2], key + ".json")

    def get(self, key):
        """The cached reply for `key`, or None."""
        try:
            with open(self._path(key), encoding="utf-8") as file:
                entry = json.load(file)
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        return entry.get("value")

    def put(self, key, value):
        """Stores the reply for `key`."""
        atomic_write_text(self._path(key), json.dumps({"key": key, "value": value}, ensure_ascii=False))
