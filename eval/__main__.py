"""python -m eval — benchmark runs, run comparison, speed figures.

  python -m eval run --questions eval/data/qa.jsonl --mode retrieval --out runs/retrieval
  python -m eval run --pipeline baseline --mode retrieval --out runs/baseline
  python -m eval compare runs/baseline runs/retrieval
  python -m eval bench
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import index  # noqa: F401  (offline environment first)

DATA = Path(__file__).parent / "data"
# the team's set (tuned on: all dev) and the held-out set (split by id, see eval/questions.py)
DEFAULT_QUESTIONS = [str(DATA / "qa.jsonl"), str(DATA / "heldout.jsonl")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval")
    sub = parser.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="answer a question file and score it (answers.jsonl, metrics.json, report.md, plots)")
    r.add_argument("--questions", nargs="+", default=DEFAULT_QUESTIONS,
                   help="question file(s), JSON lines (default: %(default)s)")
    r.add_argument("--split", choices=("dev", "test", "all"), default="all",
                   help="tune on dev; test is for reporting (default: all, reported per split)")
    r.add_argument("--mode", choices=("retrieval", "extractive", "generative"), default="retrieval")
    r.add_argument("--out", required=True, help="output directory")
    r.add_argument("--limit", type=int, default=0, help="only the first N questions")
    r.add_argument("--pipeline", choices=("project", "baseline"), default="project",
                   help="project: the assistant API; baseline: plain llama-index VectorStoreIndex defaults")
    r.add_argument("--quiet", action="store_true", help="no progress bar")

    c = sub.add_parser("compare", help="metric deltas between two run directories (B − A)")
    c.add_argument("a")
    c.add_argument("b")

    k = sub.add_parser("calibrate", help="no-answer score threshold per language from a run (JSON)")
    k.add_argument("run", help="a run directory (answers.jsonl)")
    k.add_argument("--questions", nargs="+", default=DEFAULT_QUESTIONS)
    k.add_argument("--split", choices=("dev", "test", "all"), default="dev",
                   help="questions to calibrate on (default: dev)")
    k.add_argument("--max-false-refusal", type=float, default=0.05)
    k.add_argument("--confidence", action="store_true",
                   help="fit the answers' confidence on the run's dev rows instead; scored on dev and test")
    k.add_argument("--write", action="store_true", help="with --confidence: save it as assistant/confidence.json")

    b = sub.add_parser("bench", help="index build time, warm query latency, peak memory (JSON)")
    b.add_argument("--no-build", action="store_true", help="skip the index build timing")
    b.add_argument("--generation", action="store_true",
                   help="time generated answers instead (first token, tokens/s, memory) per llama.cpp thread count")
    b.add_argument("--threads", default="2,1", help="thread counts for --generation (default %(default)s; "
                   "peak memory is exact for the first)")
    b.add_argument("--scale", action="store_true",
                   help="synthetic corpora of real recombined text: build throughput, retrieval p50/p95 and peak "
                        "memory per size, embedded and with a Chroma server (JSON and a plot)")
    b.add_argument("--sizes", default="10000,100000", help="paragraph counts for --scale (default %(default)s)")
    b.add_argument("--modes", default="embedded,server", help="stores for --scale (default %(default)s)")
    b.add_argument("--serve-built", action="store_true",
                   help="--scale: the server serves the store the embedded mode built instead of building its own")
    b.add_argument("--work", help="--scale: keep corpora and stores in this folder; run again to resume a stopped "
                                   "run (the build embeds only what is missing)")
    b.add_argument("--out", default="runs/scale", help="where --scale writes scale.json and scale.png")
    f = sub.add_parser("feedback", help="export the feedback users gave in the app (JSON lines)")
    f.add_argument("--out", help="file to write (default: standard output)")
    args = parser.parse_args(argv)

    if args.command == "run":
        from .run import main as run_main

        return run_main(args)
    if args.command == "compare":
        from .report import compare

        loaded = []
        for d in (args.a, args.b):
            path = Path(d) / "metrics.json" if Path(d).is_dir() else Path(d)
            try:
                loaded.append(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError) as e:
                print(f"error: cannot read {path}: {e}", file=sys.stderr)
                return 2
        print(compare(*loaded, name_a=str(args.a), name_b=str(args.b)))
        return 0
    if args.command == "calibrate":
        from .calibrate import calibrate, confidence
        from .questions import load_all, select

        if args.confidence:  # fitted on dev only, whatever --split says: test is for reporting
            print(json.dumps(confidence(load_all(args.questions), Path(args.run), args.write), indent=2))
            return 0
        questions = select(load_all(args.questions), args.split)
        print(json.dumps(calibrate(questions, Path(args.run), args.max_false_refusal), indent=2))
        return 0
    if args.command == "feedback":
        from assistant.feedback import store_for
        from settings import Settings

        out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
        n = 0
        try:
            for row in store_for(Settings.load().data_dir).rows():
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
        finally:
            if args.out:
                out.close()
        print(f"{n} feedback row(s)" + (f" written to {args.out}" if args.out else ""), file=sys.stderr)
        return 0
    if args.command == "bench":
        from .bench import generation, run

        if args.scale:
            from .scale import scale

            print(json.dumps(scale([int(s) for s in args.sizes.split(",")], args.modes.split(","), Path(args.out),
                                   work=Path(args.work) if args.work else None, serve_built=args.serve_built),
                             indent=2))
        elif args.generation:
            print(json.dumps(generation(tuple(int(t) for t in args.threads.split(","))), indent=2))
        else:
            print(json.dumps(run(build_index=not args.no_build), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
