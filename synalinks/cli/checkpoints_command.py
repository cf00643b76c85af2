"""`synalinks checkpoints ls|show|diff|plot`: look at what training wrote."""

import datetime
import difflib
import json

from synalinks.cli.checkpoint_files import best_row, history_rows, list_checkpoints, module_variables


def _short(value, width=100):
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= width else text[: width - 3] + "..."


def runs_below(folder):
    """`(subfolder, number of checkpoints)` for the folders one level below `folder` that hold some."""
    import os

    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    runs = []
    for name in names:
        path = os.path.join(folder, name)
        if os.path.isdir(path):
            count = len(list_checkpoints(path))
            if count:
                runs.append((path, count))
    return runs


def ls(folder, out):
    """Prints a table of the folder's checkpoints; the best is marked with `*`."""
    rows = list_checkpoints(folder)
    if not rows:
        runs = runs_below(folder)
        if runs:  # e.g. `synalinks checkpoints ls synalinks_output`: the runs are one level down
            out(f"No checkpoint in {folder} itself; these folders in it hold checkpoints:")
            for run, count in runs:
                out(f"  {run}  ({count} checkpoint{'s' if count != 1 else ''})")
            out(f"List one with: synalinks checkpoints ls {runs[0][0]}")
            return 0
        out(f"No checkpoint in {folder}.")
        return 1
    best = best_row(rows, folder)
    header = ("", "file", "epoch", "step", "monitored", "size", "time")
    table = [header]
    for row in rows:
        value = row.get("value")
        monitored = f"{row.get('monitor')}={value:.4f}" if isinstance(value, (int, float)) else "-"
        when = datetime.datetime.fromtimestamp(row["time"]).strftime("%Y-%m-%d %H:%M:%S") if row.get("time") else "-"
        table.append(
            (
                "*" if row is best else "",
                row["name"],
                str(row.get("epoch", "-")),
                str(row.get("global_step", "-")),
                monitored,
                f"{row['size'] / 1024:.1f} KiB",
                when,
            )
        )
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for line in table:
        out("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())
    return 0


def show(path, out):
    """Prints a file's modules and each trainable variable readably."""
    document, modules = module_variables(path)
    metadata = document.get("metadata") or {}
    out(
        f"{path}: {document['format']} (format {document['format_version']}, synalinks {document.get('synalinks_version')})"
    )
    if metadata:
        out(
            f"written at epoch {metadata.get('epoch')}, step {metadata.get('global_step')}, "
            f"{metadata.get('monitor')}={metadata.get('value')}"
        )
    program = document.get("program")
    if program:
        config = program.get("config", {})
        out(f"program {config.get('name')!r} ({program.get('class_name')})")
        for module in config.get("modules", []):
            out(f"  - {module.get('config', {}).get('name')} ({module.get('class_name')})")
    for name, class_name, variables in modules:
        for variable_name, value in variables.items():
            out(f"\n[{name}/{variable_name}] ({class_name})")
            if "instructions" in value:
                out(f"  instructions: {value['instructions'] or '(none)'}")
            for index, example in enumerate(value.get("examples", []), start=1):
                out(f"  example {index}: {_short(example.get('inputs'))} -> {_short(example.get('outputs'))}")
            if "predictions" in value:
                out(f"  predictions kept: {len(value['predictions'])}")
            for key, item in value.items():
                if key not in ("instructions", "examples", "predictions"):
                    out(f"  {key}: {_short(item)}")
    _show_trials(document.get("optimizer_state"), out)
    return 0


def _show_trials(state, out, last=5):
    """The optimizer's latest races: each candidate's size, score and samples, the winner marked with *."""
    trials = (state or {}).get("trials") if isinstance(state, dict) else None
    if not isinstance(trials, list) or not trials:
        return
    out(
        f"\noptimizer: {state.get('calls', 0)} LM calls asked for; the last {min(last, len(trials))} of {len(trials)} races:"
    )
    for trial in trials[-last:]:
        if not isinstance(trial, dict):
            continue
        out(
            f"  iteration {trial.get('iteration')} ({trial.get('variable')}): {trial.get('samples')} samples, "
            f"{trial.get('calls')} program runs"
        )
        for index, candidate in enumerate(trial.get("candidates") or []):
            if not isinstance(candidate, dict):
                continue
            mark = "*" if index == trial.get("chosen") else " "
            described = f"{candidate.get('examples')} examples"
            if candidate.get("instructions"):
                described += f", instructions {_short(candidate['instructions'])}"
            out(f"   {mark} {described}: score {candidate.get('score', 0):.3f} on {candidate.get('samples')} samples")


def diff(first, second, out):
    """Prints what changed between two checkpoints, per variable."""
    _, before = module_variables(first)
    _, after = module_variables(second)
    if [(c, sorted(v)) for _, c, v in before] != [(c, sorted(v)) for _, c, v in after]:
        out("The two files come from programs of different architectures.")
        return 1
    changed = False
    for (name, _, old_variables), (_, _, new_variables) in zip(before, after):
        for variable_name, old in old_variables.items():
            new = new_variables[variable_name]
            if old == new:
                continue
            changed = True
            out(f"[{name}/{variable_name}]")
            if old.get("instructions") != new.get("instructions"):
                lines = difflib.unified_diff(
                    (old.get("instructions") or "").splitlines(),
                    (new.get("instructions") or "").splitlines(),
                    fromfile="instructions (before)",
                    tofile="instructions (after)",
                    lineterm="",
                )
                for line in lines:
                    out(f"  {line}")
            old_examples = [json.dumps(e, sort_keys=True) for e in old.get("examples", [])]
            new_examples = [json.dumps(e, sort_keys=True) for e in new.get("examples", [])]
            for example in new_examples:
                if example not in old_examples:
                    out(f"  + example {_short(json.loads(example))}")
            for example in old_examples:
                if example not in new_examples:
                    out(f"  - example {_short(json.loads(example))}")
            for key in sorted(set(old) | set(new)):
                if key not in ("instructions", "examples", "predictions") and old.get(key) != new.get(key):
                    out(f"  {key}: {_short(old.get(key))} -> {_short(new.get(key))}")
            if old.get("predictions") != new.get("predictions"):
                out(f"  predictions kept: {len(old.get('predictions', []))} -> {len(new.get('predictions', []))}")
    if not changed:
        out("No variable changed.")
    return 0


def plot(source, output, out):
    """Draws the training curves (reward and each metric; validation dashed) to a PNG."""
    from synalinks.utils.plot_history import plot_history

    rows = history_rows(source)
    if not rows:
        out(f"No per-epoch logs found in {source}.")
        return 1
    plot_history(rows, to_file=output)
    out(f"Wrote {output}")
    return 0
