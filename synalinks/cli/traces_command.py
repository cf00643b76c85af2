"""`synalinks traces show`: prints the traces a `Recorder` wrote, one tree of calls per sample."""

import datetime
import json
import os


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


def show(path, out, last=10, trace_id=None, width=100):
    """Prints the last `last` traces (or the one whose id starts with `trace_id`) as trees of calls."""
    traces, skipped = read_traces(path)
    if trace_id:
        traces = [trace for trace in traces if trace["trace_id"].startswith(trace_id)]
    elif last:
        traces = traces[-last:]
    if not traces:
        out(f"No trace in {path}" + (f" with id {trace_id}" if trace_id else "") + ".")
        return 1
    for trace in traces:
        when = datetime.datetime.fromtimestamp(trace["start_time"]).strftime("%Y-%m-%d %H:%M:%S")
        status = f"  FAILED {trace['error']}" if trace.get("error") else ""
        out(f"trace {trace['trace_id']}  {trace['name']}  {when}  {_usage(trace)}{status}")
        children = {}
        for span in trace["spans"]:
            children.setdefault(span.get("parent_call_id"), []).append(span)
        roots = [
            span for span in trace["spans"] if span.get("parent_call_id") not in {s["call_id"] for s in trace["spans"]}
        ]
        for root in roots:
            _print_span(root, children, "", out, width)
        out()
    if skipped:
        out(f"({skipped} line(s) that are not traces skipped)")
    return 0


def _print_span(span, children, indent, out, width):
    label = f"{span['name']} ({span.get('class')})"
    out(f"{indent}- {label}  {_usage(span)}")
    if span.get("error"):
        out(f"{indent}    error: {_short(span['error'], width)}")
    else:
        out(f"{indent}    out: {_short(span.get('outputs'), width)}")
    for child in children.get(span["call_id"], []):
        _print_span(child, children, indent + "  ", out, width)
