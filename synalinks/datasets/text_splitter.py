"""`TextSplitter`: long texts cut into chunks of a bounded size that overlap, at the most natural breaks."""

import re

from synalinks.utils.checks import check_non_negative_int, check_positive_int

DEFAULT_SEPARATORS = ("\n\n", "\n", ". ", " ", "")
_TOKEN = re.compile(r"\w+|[^\w\s]")


def approximate_tokens(text):
    """Words and punctuation marks: a tokenizer-free stand-in for a model's tokens (a little under them)."""
    return len(_TOKEN.findall(text))


class TextSplitter:
    """Cuts a text into chunks of at most `chunk_size` characters (or tokens),
    each starting with about `chunk_overlap` of the end of the one before, so
    a sentence cut between two chunks is whole in one of them.

    It cuts at paragraphs first, then lines, sentences, words, and only as a
    last resort inside a word: the first separator of `separators` that
    leaves pieces small enough.

    Args:
        chunk_size: The most characters (or tokens) in a chunk.
        chunk_overlap: How much of a chunk's end starts the next one (less than `chunk_size`).
        unit: "characters" (default) or "tokens".
        length_function: With `unit="tokens"`, counts a text's tokens
            (e.g. `lambda text: len(tokenizer.encode(text))`); by default
            words and punctuation marks are counted, with no download.
        separators: Where to cut, most natural first ("" cuts anywhere).

    Example:

    ```python
    splitter = synalinks.datasets.TextSplitter(chunk_size=300, chunk_overlap=50)
    chunks = splitter.split("Synalinks trains programs. " * 40)
    ```
    """

    def __init__(self, chunk_size=1000, chunk_overlap=200, unit="characters", length_function=None, separators=None):
        check_positive_int(chunk_size, "chunk_size")
        check_non_negative_int(chunk_overlap, "chunk_overlap")
        if chunk_overlap >= chunk_size:
            raise ValueError(f"`chunk_overlap` ({chunk_overlap}) must be less than `chunk_size` ({chunk_size}).")
        if unit not in ("characters", "tokens"):
            raise ValueError(f"`unit` must be 'characters' or 'tokens', got {unit!r}.")
        self.chunk_size = chunk_size
        self.chunk_overlap = chunk_overlap
        self.unit = unit
        self.length = len if unit == "characters" else (length_function or approximate_tokens)
        self.separators = tuple(separators) if separators is not None else DEFAULT_SEPARATORS

    def split(self, text):
        """The chunks of `text`, in order, stripped, none empty."""
        if not isinstance(text, str):
            raise TypeError(f"`text` must be a string, got {type(text).__name__}.")
        pieces = self._pieces(text, self.separators)
        return [chunk for chunk in (piece.strip() for piece in self._merge(pieces)) if chunk]

    def _pieces(self, text, separators):
        """`text` cut at the first separator that works, pieces still too long cut at the next ones."""
        if self.length(text) <= self.chunk_size:
            return [text]
        separator, rest = separators[0], separators[1:]
        if separator == "":
            return self._cut_anywhere(text)
        parts = text.split(separator)
        if len(parts) == 1:
            return self._pieces(text, rest) if rest else self._cut_anywhere(text)
        pieces = []
        for index, part in enumerate(parts):
            part = part + separator if index < len(parts) - 1 else part  # separators stay in the text
            pieces.extend(self._pieces(part, rest) if self.length(part) > self.chunk_size and rest else [part])
        return pieces

    def _cut_anywhere(self, text):
        if self.unit == "characters":  # windows that overlap already: nothing merges with a full one
            step = self.chunk_size - self.chunk_overlap
            last = max(len(text) - self.chunk_overlap, 1)
            return [text[start : start + self.chunk_size] for start in range(0, last, step)]
        pieces, current = [], ""
        for character in text:
            if current and self.length(current + character) > self.chunk_size:
                pieces.append(current)
                current = ""
            current += character
        return pieces + ([current] if current else [])

    def _merge(self, pieces):
        """Pieces joined into chunks of at most `chunk_size`, each starting with the last pieces of the
        one before that fit in `chunk_overlap`."""
        chunks, current = [], []
        for piece in pieces:
            if current and self.length("".join(current) + piece) > self.chunk_size:
                chunks.append("".join(current))
                overlap = []
                for previous in reversed(current):
                    if self.length("".join([previous, *overlap]) + piece) > self.chunk_size:
                        break
                    if self.length("".join([previous, *overlap])) > self.chunk_overlap:
                        break
                    overlap.insert(0, previous)
                current = overlap
            current.append(piece)
        if current:
            chunks.append("".join(current))
        return chunks
