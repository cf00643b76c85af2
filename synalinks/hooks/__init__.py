"""Hooks: objects called around every module and language model call; traces and their exporters."""

from synalinks.hooks.global_hooks import (
    add_global_hook,
    clear_global_hooks,
    enable_observability,
    global_hooks,
    record_traces,
    remove_global_hook,
)
from synalinks.hooks.hook import Hook
from synalinks.hooks.hook_list import HookList
from synalinks.hooks.logger import Logger
from synalinks.hooks.monitor import Monitor
from synalinks.hooks.open_telemetry_exporter import OpenTelemetryExporter
from synalinks.hooks.recorder import Recorder
from synalinks.hooks.span import Span, current_span
from synalinks.hooks.trace_exporter import TraceExporter
from synalinks.hooks.trace_printing import inspect_history

__all__ = [
    "Hook",
    "HookList",
    "Logger",
    "Monitor",
    "OpenTelemetryExporter",
    "Recorder",
    "Span",
    "TraceExporter",
    "add_global_hook",
    "clear_global_hooks",
    "current_span",
    "enable_observability",
    "global_hooks",
    "inspect_history",
    "record_traces",
    "remove_global_hook",
]
