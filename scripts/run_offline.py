"""Runs a Python script with `litellm.acompletion` answered offline by `synalinks.testing.FakeProvider`.

Code written for a hosted model (a tutorial, a guide, a notebook exported as a
script) runs unchanged, with no key and no network: every LM call gets the
simplest reply valid for its schema.

    python scripts/run_offline.py path/to/script.py [args...]
"""

import runpy
import sys

from synalinks.testing import FakeProvider


def main(argv):
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    script, *arguments = argv
    sys.argv = [script, *arguments]
    with FakeProvider().patch() as provider:
        runpy.run_path(script, run_name="__main__")
    print(f"[run_offline] {len(provider.requests)} LM call(s) answered offline.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
