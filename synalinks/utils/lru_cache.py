"""`LRUCache`: the one bounded in-memory cache of the package (LM replies, embeddings, the embedded model's
greedy replies)."""

import collections
import copy
import threading


class LRUCache:
    """At most `size` entries; putting one more drops the least recently used. Safe across threads.

    Args:
        size: The most entries kept.
        copy_values: Keep and hand out deep copies (for mutable values a caller may change).

    Example:

    ```python
    cache = LRUCache(size=2)
    cache.put("a", 1); cache.put("b", 2); cache.get("a"); cache.put("c", 3)
    cache.get("b")  # None: the least recently used went
    ```
    """

    def __init__(self, size, copy_values=False):
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValueError(f"`size` must be a positive integer, got {size!r}.")
        self.size = size
        self.copy_values = copy_values
        self._entries = collections.OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        """The value of `key` (now the most recently used), or `default`."""
        with self._lock:
            if key not in self._entries:
                return default
            self._entries.move_to_end(key)
            value = self._entries[key]
        return copy.deepcopy(value) if self.copy_values else value

    def put(self, key, value):
        """Keeps `value` under `key`, dropping the least recently used entry past `size`."""
        value = copy.deepcopy(value) if self.copy_values else value
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __contains__(self, key):
        with self._lock:
            return key in self._entries

    def __len__(self):
        with self._lock:
            return len(self._entries)
