"""The `synalinks` command line."""

import argparse
import sys

from synalinks.saving.file_format import FileFormatError


def build_parser():
    parser = argparse.ArgumentParser(prog="synalinks", description="Build and train language-model programs.")
    commands = parser.add_subparsers(dest="command", required=True)
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
    return parser


def main(argv=None, out=print):
    """Runs the command line; returns the exit status.

    Example:

    ```bash
    synalinks checkpoints ls /tmp/synalinks
    synalinks checkpoints diff /tmp/synalinks/ckpt-01.json /tmp/synalinks/ckpt-05.json
    ```
    """
    from synalinks.cli import checkpoints_command

    args = build_parser().parse_args(argv)
    try:
        if args.action == "ls":
            return checkpoints_command.ls(args.folder, out)
        if args.action == "show":
            return checkpoints_command.show(args.file, out)
        if args.action == "diff":
            return checkpoints_command.diff(args.first, args.second, out)
        return checkpoints_command.plot(args.source, args.output, out)
    except (FileNotFoundError, FileFormatError) as error:
        print(f"synalinks: {error}", file=sys.stderr)
        return 2


def entry_point():
    sys.exit(main())
