"""The console command ``reference-nn``: run the specification from any folder.

``reference-nn validate ADAPTER [pytest args...]`` runs the specification (``tests/spec`` of the checkout
the project was installed from) on ADAPTER, a .py file or a dotted module, exactly as
``pytest --impl ADAPTER [pytest args...]`` does from the checkout's root: the checkout's configuration
and rootdir, the paths of the arguments relative to the folder the command was started in.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from nnspec import content


def pytest_command(adapter: str, pytest_args: list[str]) -> list[str]:
    """The pytest command line that validates ``adapter`` (a file is given by its absolute path)."""
    spec = str(Path(adapter).resolve()) if Path(adapter).is_file() else adapter
    config = content.ROOT / "pyproject.toml"
    return [
        sys.executable,
        "-m",
        "pytest",
        f"--rootdir={content.ROOT}",
        f"--config-file={config}",
        f"--impl={spec}",
        *pytest_args,
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="reference-nn", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser(
        "validate", help="run the specification on an adapter (any further arguments go to pytest)"
    )
    validate.add_argument("adapter", help="the adapter: a .py file or a dotted module (see reference_nn/adapter.py)")
    args, rest = parser.parse_known_args(argv)
    if not content.available():
        parser.error(
            f"the specification's content is not beside this installation ({content.TESTS}): "
            "install the project from its checkout (pip install -e .)"
        )
    return subprocess.call(pytest_command(args.adapter, rest))


if __name__ == "__main__":
    sys.exit(main())
