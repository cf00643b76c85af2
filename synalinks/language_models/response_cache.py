"""`ResponseCache`: language-model replies kept on disk, keyed by the whole request."""

import hashlib
import json
import os

from synalinks.saving.atomic_write import atomic_write_text
from synalinks.utils.lru_cache import LRUCache

MEMORY_REPLIES_KEPT = 4096  # replies a folder-less cache (`caching=True`) keeps in memory


class ResponseCache:
    """A folder of replies: the same request (model, messages, schema,
    generation arguments) gets the same reply without calling the model.

    Each reply is one JSON file named by the SHA-256 of the request, written
    atomically, so concurrent writers (tasks, threads or processes) never leave
    a torn file: the last complete write wins, and all writers write the same
    request's reply. A damaged file counts as a miss.

    With `record_keys=True` the cache also lists, in a journal file in the
    folder, every reply it wrote, so that its owner can later remove exactly
    those (`remove_recorded()`) and nothing else that shares the folder.

    Args:
        folder: Where to keep the replies (created if missing); None keeps
            the last `MEMORY_REPLIES_KEPT` (4,096) in memory, for this
            process only.
        record_keys: Keep the journal of written keys.

    Example:

    ```python
    language_model = synalinks.LanguageModel(model="openai/gpt-4o-mini", cache_dir="~/.cache/synalinks")
    ```
    """

    JOURNAL_NAME = ".synalinks-written-keys"

    def __init__(self, folder, record_keys=False):
        self.folder = os.path.expanduser(os.fspath(folder)) if folder is not None else None
        self.record_keys = record_keys
        # No folder: the most recent replies kept for this process only, bounded through a long fit.
        self._memory = LRUCache(MEMORY_REPLIES_KEPT, copy_values=True) if folder is None else None

    @staticmethod
    def key(request):
        """The hash of a request (any JSON-compatible value)."""
        text = json.dumps(request, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _path(self, key):
        return os.path.join(self.folder, key[:2], key + ".json")

    def get(self, key):
        """The cached reply for `key`, or None."""
        if self._memory is not None:
            return self._memory.get(key)
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
        if self._memory is not None:
            self._memory.put(key, value)
            return
        if self.record_keys:  # journal first: a file on disk is always one the journal names
            os.makedirs(self.folder, exist_ok=True)
            with open(os.path.join(self.folder, self.JOURNAL_NAME), "a", encoding="utf-8") as journal:
                journal.write(key + "\n")
        atomic_write_text(self._path(key), json.dumps({"key": key, "value": value}, ensure_ascii=False))

    def remove_recorded(self):
        """Removes the replies the journal names, the journal, and the folders left empty.

        Returns:
            The number of replies removed. Files the journal does not name are kept.
        """
        journal_path = os.path.join(self.folder, self.JOURNAL_NAME)
        try:
            with open(journal_path, encoding="utf-8") as journal:
                keys = {line.strip() for line in journal}
        except OSError:
            return 0
        removed = 0
        for key in keys:
            if len(key) != 64 or any(char not in "0123456789abcdef" for char in key):
                continue  # a damaged line never names a file outside the cache's own layout
            try:
                os.remove(self._path(key))
                removed += 1
            except OSError:
                pass
        os.remove(journal_path)
        for folder in {os.path.dirname(self._path(key)) for key in keys if len(key) == 64} | {self.folder}:
            try:
                os.rmdir(folder)  # only succeeds on an empty folder
            except OSError:
                pass
        return removed
