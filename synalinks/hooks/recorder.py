"""`Recorder`: keeps every trace in a JSON Lines file that `synalinks traces show` prints."""

import json
import os
import re
import threading

from synalinks.hooks.trace_exporter import TraceExporter, trace_summary
from synalinks.utils.home import synalinks_home


def default_traces_dir():
    """`<synalinks_home>/traces`: where `Recorder` writes when given no folder."""
    return os.path.join(synalinks_home(), "traces")


class Recorder(TraceExporter):
    """Appends each trace (one sample's calls: inputs, outputs, latency, tokens, cost, errors) as a JSON line.

    The file of a trace is `<base_dir>/<name of its outermost call>.jsonl`
    (e.g. `traces/qa_program.jsonl`), or `filepath` when given. Each line is
    written whole and flushed, so a crash loses no finished trace and never
    leaves half a line. Read them with `synalinks traces show <file or folder>`.

    Args:
        base_dir: The folder of the trace files (default `<synalinks_home>/traces`).
        filepath: One file for every trace instead.

    Example:

    ```python
    synalinks.record_traces(base_dir="traces")          # every call of the process
    # or only one language model's calls:
    language_model = synalinks.LanguageModel(model="local/smollm2", hooks=[synalinks.hooks.Recorder()])
    ```
    """

    def __init__(self, base_dir=None, filepath=None):
        super().__init__()
        self.base_dir = os.fspath(base_dir) if base_dir is not None else default_traces_dir()
        self.filepath = os.fspath(filepath) if filepath is not None else None
        self._lock = threading.Lock()
        self._checked_paths = set()

    def path_for(self, name):
        """The file a trace whose outermost call is `name` goes to."""
        if self.filepath is not None:
            return self.filepath
        return os.path.join(self.base_dir, re.sub(r"[^\w.-]+", "_", name or "trace") + ".jsonl")

    def export_trace(self, spans):
        summary = trace_summary(spans)
        line = json.dumps(summary, ensure_ascii=False, default=repr) + "\n"
        path = self.path_for(summary["name"])
        with self._lock:
            if path not in self._checked_paths:
                os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
                line = _newline_if_cut(path) + line
                self._checked_paths.add(path)
            with open(path, "a", encoding="utf-8") as file:
                file.write(line)


def _newline_if_cut(path):
    """ "\n" when the file's last line was cut (a crash mid-write), so the next trace starts a line of its own."""
    try:
        with open(path, "rb") as file:
            file.seek(0, os.SEEK_END)
            if file.tell() == 0:
                return ""
            file.seek(-1, os.SEEK_END)
            return "" if file.read(1) == b"\n" else "\n"
    except FileNotFoundError:
        return ""
