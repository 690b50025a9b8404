"""python -m eval bench — speed and memory figures as JSON."""
from __future__ import annotations

import argparse
import json
import sys

import index  # noqa: F401  (offline environment first)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("bench", help="index build time, warm query latency, peak memory (JSON)")
    b.add_argument("--no-build", action="store_true", help="skip the index build timing")
    args = parser.parse_args(argv)
    if args.command == "bench":
        from .bench import run

        print(json.dumps(run(build_index=not args.no_build), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
