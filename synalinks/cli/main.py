"""The `synalinks` command line."""

import argparse
import os
import sys

from synalinks.language_models.language_model import LanguageModelError
from synalinks.saving.file_format import FileFormatError
from synalinks.saving.serialization import DeserializationError
from synalinks.utils.printable import printable_text


def build_parser():
    from synalinks.version import __version__

    parser = argparse.ArgumentParser(prog="synalinks", description="Build and train language-model programs.")
    parser.add_argument("--version", action="version", version=f"synalinks {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser(
        "train",
        help="Train a bundled example program (offline by default).",
        description="Train a bundled example program and keep its best checkpoint; run it again to resume.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    train.add_argument(
        "--example",
        default="extraction",
        choices=["extraction", "sentiment", "arithmetic"],
        help="The task (arithmetic needs a provider model).",
    )
    train.add_argument(
        "--model", default="local/smollm2", help="e.g. local/smollm2, openai/gpt-4o-mini, ollama/llama3.2"
    )
    train.add_argument("--epochs", type=int, default=3, help="Epochs to train.")
    train.add_argument("--batch-size", type=int, default=8, help="Samples per training batch.")
    train.add_argument("--output", default="synalinks_output", help="Folder for checkpoints and logs.")
    train.add_argument(
        "--verbose", type=int, default=1, choices=[0, 1, 2], help="0 silent, 1 progress bar, 2 a line per epoch."
    )
    train.add_argument(
        "--max-calls", type=int, default=None, help="The most LM calls training may send (then it stops cleanly)."
    )
    train.add_argument(
        "--max-cost",
        type=float,
        default=None,
        help="The most USD training may spend, as the provider reports it (then it stops cleanly).",
    )
    init = commands.add_parser("init", help="Write a small project that trains as it is.")
    init.add_argument("name")
    checkpoints = commands.add_parser("checkpoints", help="Look at checkpoints written by training.")
    actions = checkpoints.add_subparsers(dest="action", required=True)
    ls = actions.add_parser("ls", help="A table of the checkpoints in a folder, the best marked with *.")
    ls.add_argument("folder")
    show = actions.add_parser("show", help="A checkpoint's modules and trainable variables.")
    show.add_argument("file")
    diff = actions.add_parser("diff", help="What training changed between two checkpoints.")
    diff.add_argument("first")
    diff.add_argument("second")
    plot = actions.add_parser("plot", help="Training curves from a checkpoint folder or a CSVLogger file.")
    plot.add_argument("source", help="A checkpoint folder or a history .csv file.")
    plot.add_argument("-o", "--output", default="training.png", help="The PNG file to write.")
    traces = commands.add_parser("traces", help="Look at the traces a Recorder wrote (synalinks.record_traces()).")
    trace_actions = traces.add_subparsers(dest="action", required=True)
    traces_show = trace_actions.add_parser("show", help="Each sample's calls as a tree: latency, tokens, cost, errors.")
    traces_show.add_argument(
        "path", nargs="?", default=None, help="A trace file or folder (default: <synalinks_home>/traces)."
    )
    traces_show.add_argument("--last", type=int, default=10, help="How many of the latest traces to print.")
    traces_show.add_argument("--trace", default=None, help="Print only the trace whose id starts with this.")
    traces_show.add_argument(
        "--prompts", action="store_true", help="Show the messages each language model call was sent."
    )
    return parser


def main(argv=None, out=print):
    """Runs the command line; returns the exit status.

    Example:

    ```bash
    synalinks train --epochs 3
    synalinks init my_project
    synalinks checkpoints ls /tmp/synalinks
    synalinks checkpoints diff /tmp/synalinks/ckpt-01.json /tmp/synalinks/ckpt-05.json
    synalinks traces show traces/qa.jsonl --last 3
    ```
    """
    from synalinks.cli import checkpoints_command

    out = _printable(out)
    args = build_parser().parse_args(argv)
    if args.command == "train":
        from synalinks.cli.train_command import train

        negative_budget = any(budget is not None and budget < 0 for budget in (args.max_calls, args.max_cost))
        if args.epochs < 1 or args.batch_size < 1 or negative_budget:
            print(
                "synalinks: --epochs and --batch-size must be positive, --max-calls and --max-cost 0 or more.",
                file=sys.stderr,
            )
            return 2
        try:
            return train(
                args.example,
                args.model,
                args.epochs,
                args.batch_size,
                args.output,
                out,
                verbose=args.verbose,
                max_calls=args.max_calls,
                max_cost=args.max_cost,
            )
        except KeyboardInterrupt:
            print("synalinks: interrupted; run the same command again to go on from where it stopped.", file=sys.stderr)
            return 130
        except LanguageModelError as error:
            print(f"synalinks: {printable_text(str(error))[:1000]}", file=sys.stderr)
            return 1
    if args.command == "init":
        from synalinks.cli.init_command import init

        return init(args.name, out)
    if args.command == "traces":
        from synalinks.hooks import trace_printing
        from synalinks.hooks.recorder import default_traces_dir

        try:
            return trace_printing.show(
                args.path or default_traces_dir(), out, last=args.last, trace_id=args.trace, prompts=args.prompts
            )
        except (FileNotFoundError, OSError) as error:
            print(f"synalinks: {printable_text(str(error))[:1000]}", file=sys.stderr)
            return 2
    try:
        if args.action == "ls":
            return checkpoints_command.ls(args.folder, out)
        if args.action == "show":
            return checkpoints_command.show(args.file, out)
        if args.action == "diff":
            return checkpoints_command.diff(args.first, args.second, out)
        return checkpoints_command.plot(args.source, args.output, out)
    except (FileNotFoundError, FileFormatError, DeserializationError, ValueError) as error:
        print(f"synalinks: {printable_text(str(error))[:1000]}", file=sys.stderr)
        return 2


def _printable(out):
    return lambda text="": out(printable_text(str(text)))


def entry_point():
    try:
        status = main()
        sys.stdout.flush()  # here, not at exit, so a closed pipe is caught below
    except BrokenPipeError:  # `synalinks checkpoints show ... | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 0
    sys.exit(status)
