"""python -m eval bench --scale: how the index behaves at 10k and 100k paragraphs.

The corpora are real text recombined: each synthetic paragraph is two to four
sentences of the real sources, drawn with a fixed seed, in documents of 100
paragraphs under four sections named after real ones. They go through the
real pipeline (``index.build``: paragraphs → e5 vectors for paragraphs and
sentences → Chroma → BM25), into the embedded store and into a ``chroma run``
server. Each build and each search series runs in its own process, so peak
memory (``ru_maxrss``) belongs to that step alone.

Figures: build throughput (paragraphs/s), hybrid retrieval p50/p95 over the
benchmark's questions (``assistant.search``: embed the query, dense +
sentence + BM25 signals, fusion), peak memory of build and search (and of the
server), as JSON plus a plot.
"""
from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

PER_DOC = 100
SECTIONS = 4


def synthesize(settings, n: int, folder: Path, seed: int = 0) -> int:
    """Write ``n`` recombined paragraphs as Markdown sources into ``folder``."""
    from index.build import corpus
    from index.sentences import split_sentences

    items = [(d, p) for d, p in corpus(settings) if p.kind != "footnote"]
    pool = [p.text[a:b].strip() for _, p in items for a, b in split_sentences(p.text) if b - a > 40]
    sections = sorted({s for _, p in items for s in p.section[-1:]})
    titles = sorted({d.title for d, _ in items})
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for k in range(0, n, PER_DOC):
        count = min(PER_DOC, n - k)
        doc_id = f"syn-{k // PER_DOC:05d}"
        lines = ["---", f"id: {doc_id}", f"title: \"{rng.choice(titles)} (variant {k // PER_DOC})\"",
                 "publisher: Synthetic benchmark corpus", f"date: 20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                 "language: nl", "kind: synthetic", "---", "", f"# {doc_id}", ""]
        for i in range(count):
            if i % (PER_DOC // SECTIONS) == 0:
                lines += [f"## {i // (PER_DOC // SECTIONS) + 1}. {rng.choice(sections)}", ""]
            lines += [" ".join(rng.sample(pool, rng.randint(2, 4))), ""]
        (folder / f"{doc_id}.md").write_text("\n".join(lines), encoding="utf-8")
        written += count
    return written


def _questions(limit: int = 40) -> list[str]:
    path = Path(__file__).parent / "data" / "qa.jsonl"
    return [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines()[:limit]]


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child(task: str) -> dict:
    """One step in this process (settings from the environment)."""
    from settings import Settings

    settings = Settings.load()
    if task == "build":
        from index.build import build

        r = build(settings, progress=False)
        use = resource.getrusage(resource.RUSAGE_SELF)
        # CPU seconds as well as wall seconds: a build that shared the cores
        # with other work still shows what it cost.
        out = {"seconds": round(r.seconds, 1), "cpu_seconds": round(use.ru_utime + use.ru_stime, 1),
               "paragraphs": r.paragraphs, "sentences": r.sentences, "embedded": r.embedded,
               "sentences_embedded": r.sentences_embedded, "peak_rss_mb": _peak_mb()}
        # a resumed build (--work) embedded only what was missing: a rate over
        # all paragraphs would flatter it, so only a whole build has one
        if (r.embedded, r.sentences_embedded) == (r.paragraphs, r.sentences):
            out["paragraphs_per_s"] = round(r.paragraphs / r.seconds, 1)
        return out
    from assistant.pipeline import Assistant

    from .bench import p50_p95

    a = Assistant(replace(settings, backend="extractive"))
    questions = _questions()
    for q in questions[:3]:  # open the index and warm the caches
        a.search(q)
    retrieve, total = [], []
    for q in questions:
        r = a.search(q)
        retrieve.append(r.timings_ms["retrieve"])
        total.append(r.timings_ms["total"])
    (r50, r95), (t50, t95) = p50_p95(retrieve), p50_p95(total)
    return {"questions": len(questions), "retrieve_p50_ms": r50, "retrieve_p95_ms": r95, "search_p50_ms": t50,
            "search_p95_ms": t95, "peak_rss_mb": _peak_mb()}


def _run_child(task: str, env: dict) -> dict:
    proc = subprocess.run([sys.executable, "-m", "eval.scale", task], env=env, capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent)
    if proc.returncode != 0:
        raise RuntimeError(f"{task} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _server(path: Path, port: int):
    import urllib.request

    log = open(path.parent / "chroma.log", "w")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "chroma"), "run", "--path", str(path), "--host",
                             "127.0.0.1", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                            env={"ANONYMIZED_TELEMETRY": "False", "PATH": os.environ.get("PATH", "")})
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("chroma run did not start")


def _hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def scale(sizes: list[int], modes: list[str], out_dir: Path, work: Path | None = None,
          serve_built: bool = False) -> dict:
    """Build and search each corpus size in each mode; writes scale.json and scale.png.

    ``serve_built``: the server mode does not build its own store but serves
    the one the embedded mode just built (``chroma run --path <data>/chroma``,
    the same on-disk format), so its search is measured over the identical
    index without a second multi-hour embedding run. Its build figure is then
    absent: the vectors are the same model's either way (at 10k both builds
    took the same time, 935 s and 934 s).

    ``work``: a folder that is kept, corpora and stores included, so a run
    that was stopped can be run again and resumes: the build is incremental,
    so it embeds only what is missing (its figures then cover that part; the
    ``embedded`` counts say how much). Without it a temporary folder is used
    and removed.
    """
    import socket
    import tempfile

    from settings import Settings

    settings = Settings.load()
    out_dir.mkdir(parents=True, exist_ok=True)
    keep = work is not None
    work = work or Path(tempfile.mkdtemp(prefix="scale-"))
    results = {"cpu_count": os.cpu_count(), "model": settings.model_dir.name, "runs": []}
    try:
        for n in sizes:
            sources = work / f"sources-{n}"
            synthesize(settings, n, sources)
            built = None
            for mode in modes:
                data = work / f"data-{n}-{mode}"
                reuse = serve_built and mode == "server" and built is not None
                if reuse:
                    data = built
                env = dict(os.environ, ASSISTANT_DATA_DIR=str(data), ASSISTANT_SOURCES_DIR=str(sources),
                           ASSISTANT_EMBED_MODEL=str(settings.model_dir), ASSISTANT_BACKEND="extractive")
                server = None
                if mode == "server":
                    with socket.socket() as s:
                        s.bind(("127.0.0.1", 0))
                        port = s.getsockname()[1]
                    server = _server(data / "chroma" if reuse else work / f"chroma-{n}", port)
                    env["ASSISTANT_CHROMA_URL"] = f"http://127.0.0.1:{port}"
                try:
                    run = {"paragraphs": n, "mode": mode}
                    run["build"] = {"served_from": "embedded"} if reuse else _run_child("build", env)
                    run["search"] = _run_child("search", env)
                    if server is not None:
                        run["server_peak_rss_mb"] = _hwm_mb(server.pid)
                finally:
                    if server is not None:
                        server.terminate()
                        server.wait(timeout=30)
                results["runs"].append(run)
                print(json.dumps(run), file=sys.stderr, flush=True)
                if serve_built and mode == "embedded":
                    built = data  # kept for the server to serve
                elif not keep:
                    shutil.rmtree(data, ignore_errors=True)
                    shutil.rmtree(work / f"chroma-{n}", ignore_errors=True)
            if built is not None and not keep:
                shutil.rmtree(built, ignore_errors=True)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    (out_dir / "scale.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    _plot(results, out_dir / "scale.png")
    return results


def _plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for mode in sorted({r["mode"] for r in results["runs"]}):
        runs = sorted((r for r in results["runs"] if r["mode"] == mode), key=lambda r: r["paragraphs"])
        xs = [r["paragraphs"] for r in runs]
        ax1.plot(xs, [r["search"]["retrieve_p50_ms"] for r in runs], "o-", label=f"{mode} p50")
        ax1.plot(xs, [r["search"]["retrieve_p95_ms"] for r in runs], "o--", label=f"{mode} p95")
        built = [r for r in runs if "paragraphs_per_s" in r["build"]]
        if built:
            ax2.plot([r["paragraphs"] for r in built], [r["build"]["paragraphs_per_s"] for r in built], "o-",
                     label=mode)
    if not ax2.lines:  # only resumed builds: they have no rate (see child)
        ax2.text(0.5, 0.5, "no whole build in this run", ha="center", va="center", transform=ax2.transAxes)
    ax1.axhline(150, color="grey", lw=0.8, ls=":", label="target p50 150 ms")
    ax1.set(xscale="log", xlabel="paragraphs", ylabel="retrieval ms", title="Hybrid retrieval latency")
    ax2.set(xscale="log", xlabel="paragraphs", ylabel="paragraphs/s", title="Index build throughput")
    for ax in (ax1, ax2):
        if ax.lines:
            ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


if __name__ == "__main__":
    import index  # noqa: F401  (offline environment)
    import logging

    logging.basicConfig(level=logging.WARNING)
    print(json.dumps(child(sys.argv[1])))
