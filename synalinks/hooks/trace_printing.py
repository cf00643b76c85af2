"""Reading and printing the traces a `Recorder` wrote: one tree of calls per sample (`synalinks traces
show`), and the last language model calls with their prompts (`synalinks.hooks.inspect_history`)."""

import json
import os

from synalinks.utils.printable import printable_text


def read_traces(path):
    """The traces in a Recorder's JSON Lines file, or in every `.jsonl` file of a folder (oldest first).

    A line that is not a trace (a cut last line, another file's JSON) is skipped and counted.
    """
    if os.path.isdir(path):
        files = sorted(os.path.join(path, name) for name in os.listdir(path) if name.endswith(".jsonl"))
    elif os.path.isfile(path):
        files = [path]
    else:
        raise FileNotFoundError(f"No trace file or folder at {path} (a Recorder writes <base_dir>/<program>.jsonl).")
    traces, skipped = [], 0
    for file in files:
        with open(file, encoding="utf-8") as lines:
            for line in lines:
                try:
                    trace = json.loads(line)
                except json.JSONDecodeError:
                    skipped += 1
                    continue
                if isinstance(trace, dict) and isinstance(trace.get("spans"), list):
                    traces.append(trace)
                else:
                    skipped += 1
    traces.sort(key=lambda trace: trace.get("start_time") or 0)
    return traces, skipped


def _time_text(timestamp):
    import datetime  # only when printing: not at `import synalinks`

    return datetime.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M:%S")


def _short(value, width):
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 3] + "..."


def _usage(span):
    text = f"{span.get('latency') or 0:.3f}s"
    if span.get("calls") or span.get("cache_hits"):
        text += f"  {span['calls']} LM calls  {span['prompt_tokens']}+{span['completion_tokens']} tokens"
        text += f"  ${span['cost']:.6f}" if span.get("cost") else ""
        text += f"  {span['cache_hits']} cached" if span.get("cache_hits") else ""
    return text


def show(path, out, last=10, trace_id=None, width=100, prompts=False):
    """Prints the last `last` traces (or the one whose id starts with `trace_id`) as trees of calls;
    with `prompts`, each language model call shows the messages it was sent."""
    traces, skipped = read_traces(path)
    if trace_id:
        traces = [trace for trace in traces if trace["trace_id"].startswith(trace_id)]
    elif last:
        traces = traces[-last:]
    if not traces:
        out(f"No trace in {path}" + (f" with id {trace_id}" if trace_id else "") + ".")
        return 1
    for trace in traces:
        when = _time_text(trace["start_time"])
        status = f"  FAILED {trace['error']}" if trace.get("error") else ""
        out(f"trace {trace['trace_id']}  {trace['name']}  {when}  {_usage(trace)}{status}")
        children = {}
        for span in trace["spans"]:
            children.setdefault(span.get("parent_call_id"), []).append(span)
        roots = [
            span for span in trace["spans"] if span.get("parent_call_id") not in {s["call_id"] for s in trace["spans"]}
        ]
        for root in roots:
            _print_span(root, children, "", out, width, prompts)
        out("")
    if skipped:
        out(f"({skipped} line(s) that are not traces skipped)")
    return 0


def _print_span(span, children, indent, out, width, prompts=False):
    label = f"{span['name']} ({span.get('class')})"
    out(f"{indent}- {label}  {_usage(span)}")
    if prompts and span.get("kind") == "language_model":
        _print_messages(span.get("inputs"), indent + "    ", out)
    if span.get("error"):
        out(f"{indent}    error: {_short(span['error'], width)}")
    else:
        out(f"{indent}    out: {_short(span.get('outputs'), width)}")
    for child in children.get(span["call_id"], []):
        _print_span(child, children, indent + "  ", out, width, prompts)


def _print_messages(messages, indent, out):
    """The messages a language model was sent, each `role: content`, its lines indented."""
    for message in messages if isinstance(messages, list) else []:
        if not isinstance(message, dict):
            continue
        content = message.get("content")
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        if message.get("tool_calls"):
            text += f"  [tool calls: {json.dumps(message['tool_calls'], ensure_ascii=False)}]"
        lines = printable_text(text).split("\n")
        out(f"{indent}{message.get('role')}: {lines[0]}")
        for line in lines[1:]:
            out(f"{indent}  {line}")


def history(path, out, n=1):
    """Prints the last `n` language model calls of the traces in `path`: what each was sent and replied
    (DSPy's `inspect_history`)."""
    traces, _ = read_traces(path)
    calls = [span for trace in traces for span in trace["spans"] if span.get("kind") == "language_model"]
    calls.sort(key=lambda span: span.get("start_time") or 0)
    if not calls:
        out(f"No language model call in the traces at {path}.")
        return 1
    for span in calls[-n:]:
        when = _time_text(span.get("start_time") or 0)
        out(f"{span.get('name')}  {when}  {_usage(span)}")
        _print_messages(span.get("inputs"), "  ", out)
        reply = span.get("error") or span.get("outputs")
        out(f"  reply: {printable_text(reply if isinstance(reply, str) else json.dumps(reply, ensure_ascii=False))}")
        out("")
    return 0


def inspect_history(n=1, base_dir=None, print_fn=print):
    """Prints the last `n` language model calls recorded by `synalinks.record_traces()`: the messages
    each was sent and its reply (as DSPy's `inspect_history`).

    Args:
        n: How many of the latest calls.
        base_dir: The Recorder's folder (default `<synalinks_home>/traces`).
        print_fn: Where lines go.

    Returns:
        0 when calls were printed, 1 when there was none.

    Example:

    ```python
    synalinks.record_traces()
    await program(Query(query="What is 2+2?"))
    synalinks.hooks.inspect_history(n=1)
    ```
    """
    from synalinks.hooks.recorder import default_traces_dir

    return history(base_dir or default_traces_dir(), print_fn, n=n)
