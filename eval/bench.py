"""Speed and memory figures, printed as JSON (not asserted by tests).

- index build time for the corpus into a fresh data directory (the model
  folder is reused and the model loaded first, as the reference's is, so this
  is paragraphs → embeddings → Chroma; ``model_load_s`` apart);
- query latency: median and p95 of 20 warm questions through ``assistant.ask``;
- peak resident memory of the process (``ru_maxrss``) after those questions;
- with ``--generation``: generated answers through ``assistant.stream`` for
  each llama.cpp thread count (first token p50/p95, decode tokens/s, whole
  answer p50, peak memory), to choose ``ASSISTANT_LLM_THREADS``, and four
  questions one at a time against four at once (aggregate answers/s), and
  llama.cpp's batched decoding of 1, 2 and 4 sequences (``eval/batching.py``);
- the reference: plain chromadb + sentence-transformers (torch, fp32) on the
  same model and paragraphs (embed the paragraph texts, one collection,
  ``query`` top 10), its build time and single-query retrieval p50/p95, and
  the ratios, in one run;
- each embedding backend (torch, onnx, int8, and openvino, the build's engine
  over the onnx export, with the precision it ran in): load, one query, a batch
  of the corpus, and its parity with torch (cosine per paragraph and question);
  ``build_engine`` says which engine the timed build used.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

QUESTIONS = [
    "Welk streefcijfer geldt voor leermobiliteit in het mbo?",
    "What share of vocational students should take part in learning mobility?",
    "Hoeveel bezoekers trok de conferentie in Brussel?",
    "What does the letter say about the AI Act and exam proctoring?",
    "Wat vindt Nederland van de Raadsconclusies over influencers?",
    "Which three recommendations did the museum sector make?",
    "Wanneer presenteert de Commissie de methodologie?",
    "Who organised the conference in Brussels?",
    "Wat doet DEN voor de culturele sector?",
    "What is the Dutch position on AI in education?",
]


def run(build_index: bool = True) -> dict:
    from assistant.pipeline import Assistant
    from index.build import build
    from index.embedding import load_build_embedder
    from settings import Settings

    settings = Settings.load()
    out: dict = {}
    if build_index:
        tmp = Path(tempfile.mkdtemp(prefix="bench-"))
        try:
            (tmp / "models").mkdir()
            model_link = tmp / "models" / settings.model_dir.name
            model_link.symlink_to(settings.model_dir)  # reuse the converted model
            # the model loaded first, as the reference's is: both builds are timed from text to stored vectors.
            # chromadb too: the reference imports it before its clock starts, and a first
            # import (~1.2 s) is the process's cost, not the build's
            import chromadb  # noqa: F401

            t = time.perf_counter()
            builder = load_build_embedder(replace(settings, threads=os.cpu_count() or 1))
            out["build_engine"] = type(builder).__name__ + (f" ({builder.precision})" if hasattr(builder, "precision") else "")
            out["model_load_s"] = round(time.perf_counter() - t, 2)
            r = build(replace(settings, data_dir=tmp), progress=False, embedder=builder)
            out["index_build_s"] = round(r.seconds, 2)
            del builder
            out["index_paragraphs"] = r.paragraphs
            out["index_sentences"] = r.sentences
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    # the retrieval figures are for the extractive path; generation has its own
    a = Assistant(replace(settings, backend="extractive"))
    t = time.perf_counter()
    a.warm_up()
    out["open_s"] = round(time.perf_counter() - t, 2)
    a.ask(QUESTIONS[0])  # warm
    totals, retrieves = [], []
    for i in range(20):
        ans = a.ask(QUESTIONS[i % len(QUESTIONS)])
        totals.append(ans.timings_ms["total"])
        retrieves.append(ans.timings_ms["retrieve"])
    out["query_ms_p50"], out["query_ms_p95"] = p50_p95(totals)
    out["retrieve_ms_p50"], out["retrieve_ms_p95"] = p50_p95(retrieves)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    ref = reference(settings)
    out["reference"] = ref
    out["ratio_retrieve_p50"] = round(out["retrieve_ms_p50"] / ref["retrieve_ms_p50"], 2)
    if "index_build_s" in out:
        out["ratio_build"] = round(out["index_build_s"] / ref["build_s"], 2)
    out["embed_backend"] = settings.embed_backend
    out["embedders"] = embedders(settings)
    return out


def generation(threads: tuple[int, ...] = (2, 1), questions: list[str] = QUESTIONS) -> dict:
    """Generated answers, timed from the question to the first token and to
    the checked answer, per llama.cpp thread count (a fresh model each)."""
    from assistant.pipeline import Assistant
    from settings import Settings

    from .run import decode_tokens_per_s

    base = Settings.load()
    out = {}
    for n in threads:
        a = Assistant(replace(base, backend="local", llm_threads=n))
        t = time.perf_counter()
        a.warm_up()
        load_s = time.perf_counter() - t
        first, quoted, total, speed, tokens = [], [], [], [], []
        for q in questions:
            ans = a.ask(q, mode="generative")
            tm = ans.timings_ms
            if "generate" not in tm:  # refused in code: no model was asked
                continue
            first.append(tm["first_token"])
            quoted.append(tm.get("first_quote", tm["first_token"]))
            total.append(tm["total"])
            if "tokens" in tm:  # the writing writer streams tokens; the selecting one replies with a short list
                tokens.append(tm["tokens"])
                rate = decode_tokens_per_s(tm["tokens"], tm["generate"], tm["first_token"], tm["retrieve"])
                if rate is not None:
                    speed.append(rate)
        out[f"threads_{n}"] = {
            "warm_up_s": round(load_s, 2), "answers": len(first),
            "first_token_ms_p50": p50_p95(first)[0], "first_token_ms_p95": p50_p95(first)[1],
            # the first chosen sentences on screen: the selecting writer's draft (else the first token)
            "first_quote_ms_p50": p50_p95(quoted)[0], "first_quote_ms_p95": p50_p95(quoted)[1],
            "total_ms_p50": p50_p95(total)[0], "tokens_p50": statistics.median(tokens) if tokens else None,
            "decode_tokens_per_s_p50": round(statistics.median(speed), 1) if speed else None,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            # RSS counts the memory-mapped weights once per llama.cpp context;
            # PSS shares them out, so it is nearer what the machine spends
            "pss_mb": _pss_mb(),
            "four_at_once": _four_at_once(a, questions[:4], questions[4:6]),
        }
        a.close()
        del a
    from index.llm import llm_path

    from .batching import batched_decode

    # what batching concurrent answers could add at most: llama.cpp's batch API, apart from the app
    out["batched_decode"] = batched_decode(llm_path(base), threads[0])
    return out


def _four_at_once(a, questions: list[str], others: list[str]) -> dict:
    """The same four questions one after another and all at once (threads,
    as the app's queue runs them): aggregate answers/s of each, and the ratio.
    Before each, ``others`` (a Dutch and an English question) are asked
    untimed: llama.cpp reuses a context's previous prompt, so a question asked
    again right after itself would cost almost nothing."""
    from concurrent.futures import ThreadPoolExecutor

    def reset():
        for q in others:
            a.ask(q, mode="generative")

    reset()
    t = time.perf_counter()
    for q in questions:
        a.ask(q, mode="generative")
    alone = time.perf_counter() - t
    reset()
    t = time.perf_counter()
    with ThreadPoolExecutor(len(questions)) as pool:
        list(pool.map(lambda q: a.ask(q, mode="generative"), questions))
    together = time.perf_counter() - t
    return {"one_at_a_time_answers_per_s": round(len(questions) / alone, 3),
            "at_once_answers_per_s": round(len(questions) / together, 3),
            "ratio": round(alone / together, 2)}


def _pss_mb() -> float | None:
    try:
        for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def p50_p95(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return round(statistics.median(values), 1), round(values[int(0.95 * (len(values) - 1))], 1)


def reference(settings, n: int = 20) -> dict:
    """Plain chromadb + sentence-transformers (torch, fp32): what the project's retrieval is weighed against."""
    import chromadb
    import torch
    from chromadb.config import Settings as ChromaSettings

    from index.build import corpus
    from index.embedding import load_embedder

    texts = [p.text for _, p in corpus(settings)]
    # batch embedding on every core, as the project's build does
    model = load_embedder(replace(settings, embed_backend="torch", threads=os.cpu_count() or 1))
    tmp = Path(tempfile.mkdtemp(prefix="bench-ref-"))
    try:
        t = time.perf_counter()
        client = chromadb.PersistentClient(path=str(tmp), settings=ChromaSettings(anonymized_telemetry=False))
        col = client.create_collection("ref", metadata={"hnsw:space": "cosine"})
        vectors = model.embed_passages(texts)
        col.add(ids=[str(i) for i in range(len(texts))], embeddings=vectors.tolist(), documents=texts)
        build_s = time.perf_counter() - t
        # torch's thread count is process-wide and the build set it to every core: queries
        # are timed on the project's query setting (ASSISTANT_THREADS), as the project's own are
        torch.set_num_threads(max(1, settings.threads))
        col.query(query_embeddings=model.embed_queries([QUESTIONS[0]]).tolist(), n_results=10)  # warm
        times = []
        for i in range(n):
            t = time.perf_counter()
            col.query(query_embeddings=model.embed_queries([QUESTIONS[i % len(QUESTIONS)]]).tolist(), n_results=10)
            times.append((time.perf_counter() - t) * 1000)
        p50, p95 = p50_p95(times)
        return {"build_s": round(build_s, 2), "paragraphs": len(texts), "retrieve_ms_p50": p50, "retrieve_ms_p95": p95}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def embedders(settings, n: int = 20) -> dict:
    """Each embedding backend on the corpus: load time, one query (p50 on the
    query thread setting), a batch of every paragraph as the build embeds it
    (every core), and parity with sentence-transformers (cosine per text)."""
    import numpy as np

    from index.build import corpus
    from index.embedding import load_build_embedder, load_embedder
    from index.nodes import embed_text

    texts = [embed_text(p, d) for d, p in corpus(settings)]
    out, ref = {}, None

    def loader(backend: str, threads: int):
        # "openvino": the build's engine over the fp32 export (index.embedding.OpenVinoEmbedder)
        if backend == "openvino":
            return load_build_embedder(replace(settings, embed_backend="onnx", build_openvino=True, threads=threads))
        return load_embedder(replace(settings, embed_backend=backend, threads=threads))

    for backend in ("torch", "onnx", "int8", "openvino"):
        t = time.perf_counter()
        batch_model = loader(backend, os.cpu_count() or 1)
        load_s = time.perf_counter() - t
        t = time.perf_counter()
        passages = batch_model.embed_passages(texts)
        batch_s = time.perf_counter() - t
        query_model = loader(backend, settings.threads)
        if backend == "torch":
            import torch

            torch.set_num_threads(max(1, settings.threads))
        queries = query_model.embed_queries(QUESTIONS)
        times = []
        for i in range(n):
            t = time.perf_counter()
            query_model.embed_queries([QUESTIONS[i % len(QUESTIONS)]])
            times.append((time.perf_counter() - t) * 1000)
        row = {"load_s": round(load_s, 2), "query_ms_p50": p50_p95(times)[0],
               "batch_s": round(batch_s, 2), "batch_texts": len(texts)}
        if hasattr(batch_model, "precision"):
            row["precision"] = batch_model.precision
        if ref is None:
            ref = passages, queries
        else:
            cos = np.concatenate([(passages * ref[0]).sum(axis=1), (queries * ref[1]).sum(axis=1)])
            row["parity_min_cosine"] = round(float(cos.min()), 4)
            row["parity_mean_cosine"] = round(float(cos.mean()), 4)
        out[backend] = row
    return out


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
