"""python -m assistant ask "…" — answer a question from the command line.

``ask -`` reads the question from standard input (pasted text, a file);
``batch`` reads one JSON object per line (``{"question": …, "language": …,
"mode": …, "documents": […]}``) and writes one JSON answer or error per line,
with the model and index opened once.

Exit codes: 0 answered (or refused: "not in the sources" is an answer),
2 unusable question, 3 index or model missing or damaged.
"""
from __future__ import annotations

import argparse
import json
import sys

import index  # noqa: F401  (offline environment first)


def _print_answer(a, out, text: bool = True) -> None:
    if text:
        print(a.text, file=out)
    print(f"\n[{a.label}]", file=out)
    from .confidence import note

    if note(a):
        print(f"[{note(a)}]", file=out)
    for note in a.notes:
        print(f"[{note}]", file=out)
    if a.citations:
        from .messages import text as msg

        print(f"\n{msg(a.lang, 'sources_heading')}:", file=out)
        for c in a.citations:
            where = f"{c.doc_title}" + (f" ({c.reference})" if c.reference else "")
            print(f"\n[{c.n}] {c.id}\n    {where}\n    {msg(a.lang, 'section')}: {c.section or '-'}", file=out)
            for line in c.text.splitlines():
                print(f"    | {line}", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant", description="Ask the policy assistant.")
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("ask", help="answer one question with citations")
    a.add_argument("question", help='the question; "-" reads it from standard input')
    a.add_argument("--json", action="store_true", help="print the Answer as JSON")
    a.add_argument("--doc", action="append", help="only this document id (repeatable)")
    a.add_argument("--since", metavar="YYYY-MM-DD", help="only documents dated on or after this day")
    a.add_argument("--until", metavar="YYYY-MM-DD", help="only documents dated on or before this day")
    a.add_argument("--mode", choices=("generative", "extractive"),
                   help="generative: written by the answer model (ASSISTANT_BACKEND); extractive: quoted sentences")
    a.add_argument("--language", choices=("auto", "nl", "en"), default="auto",
                   help="the answer's language (default: the question's)")
    a.add_argument("--stream", action="store_true", help="print the answer as it is written, then the checked answer")
    b = sub.add_parser("batch", help="questions as JSON lines on standard input, answers as JSON lines out")
    b.add_argument("--mode", choices=("generative", "extractive"), help="default for lines that name none")
    args = parser.parse_args(argv)

    from . import AssistantError, stream

    if args.command == "batch":
        return _batch(args.mode)
    if args.question == "-":
        # undecodable bytes become lone surrogates, which the question check calls binary
        args.question = sys.stdin.buffer.read().decode("utf-8", errors="surrogateescape")

    try:
        filters = {"doc_id": args.doc if len(args.doc) > 1 else args.doc[0]} if args.doc else {}
        filters.update({k: v for k, v in (("since", args.since), ("until", args.until)) if v})
        answer = None
        for ev in stream(args.question, filters=filters or None, mode=args.mode, language=args.language):
            if ev.kind == "token" and args.stream and not args.json:
                print(ev.token, end="", flush=True)
            elif ev.kind == "answer":
                answer = ev.answer
        if args.stream and not args.json:
            print("\n")
    except AssistantError as e:
        print(e.message(), file=sys.stderr)
        if args.json:
            print(json.dumps({"error": e.code, "message": str(e)}, ensure_ascii=False))
        return e.exit_code
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        # streamed text is the model's draft; the checked answer follows it
        _print_answer(answer, sys.stdout, text=not args.stream or answer.mode == "generative")
    return 0


def _batch(default_mode: str | None) -> int:
    """One answer line per question line; a bad line is an error line, the rest goes on."""
    from . import AssistantError, ask

    worst = 0
    for n, line in enumerate(sys.stdin.buffer, 1):
        line = line.decode("utf-8", errors="surrogateescape").strip()
        if not line:
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("each line is a JSON object with a question")
            docs = item.get("documents")
            a = ask(item.get("question"), history=item.get("history"), filters={"doc_id": docs} if docs else None,
                    mode=item.get("mode") or default_mode, language=item.get("language"))
            out = {"line": n, "answer": a.to_dict()}
        except AssistantError as e:
            out, worst = {"line": n, "error": e.code, "message": e.message()}, max(worst, e.exit_code)
        except ValueError as e:  # not JSON (json.JSONDecodeError is a ValueError)
            out, worst = {"line": n, "error": "bad_line", "message": str(e)}, max(worst, 2)
        # surrogates cannot be written as UTF-8: escape them rather than fail the batch
        print(json.dumps(out, ensure_ascii=True), flush=True)
    return worst


if __name__ == "__main__":
    sys.exit(main())
