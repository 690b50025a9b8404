"""Speed and memory figures, printed as JSON (not asserted by tests).

- index build time for the corpus into a fresh data directory (the model
  folder is reused, so this is paragraphs → embeddings → Chroma);
- query latency: median and p95 of 20 warm questions through ``assistant.ask``;
- peak resident memory of the process (``ru_maxrss``) after those questions.
"""
from __future__ import annotations

import json
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
    from index.settings import Settings

    settings = Settings.from_env()
    out: dict = {}
    if build_index:
        tmp = Path(tempfile.mkdtemp(prefix="bench-"))
        try:
            (tmp / "models").mkdir()
            model_link = tmp / "models" / settings.model_dir.name
            model_link.symlink_to(settings.model_dir)  # reuse the converted model
            r = build(replace(settings, data_dir=tmp), progress=False)
            out["index_build_s"] = round(r.seconds, 2)
            out["index_paragraphs"] = r.paragraphs
            out["index_sentences"] = r.sentences
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    a = Assistant(settings)
    t = time.perf_counter()
    a.warm_up()
    out["open_s"] = round(time.perf_counter() - t, 2)
    a.ask(QUESTIONS[0])  # warm
    totals, retrieves = [], []
    for i in range(20):
        ans = a.ask(QUESTIONS[i % len(QUESTIONS)])
        totals.append(ans.timings_ms["total"])
        retrieves.append(ans.timings_ms["retrieve"])
    totals.sort()
    out["query_ms_p50"] = round(statistics.median(totals), 1)
    out["query_ms_p95"] = round(totals[int(0.95 * (len(totals) - 1))], 1)
    out["retrieve_ms_p50"] = round(statistics.median(retrieves), 1)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
