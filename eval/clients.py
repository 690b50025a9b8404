"""The pipelines a run can drive, each turned into answer rows of one shape.

``ProjectClient`` goes through the public ``assistant`` API exactly as a user
would. ``BaselineClient`` is plain llama-index: ``VectorStoreIndex`` with
default settings (default reader, default ``SentenceSplitter``, in-memory
store) over the same source files, with the same embedding model, so every
figure can stand beside what the default pipeline gets.
"""
from __future__ import annotations

import time
from pathlib import Path

from settings import Settings


def _passages(items) -> list[dict]:
    return [{"id": p.id, "doc": p.file or p.doc_id, "text": p.text, "score": round(float(p.score), 4)} for p in items]


class ProjectClient:
    name = "project"

    def __init__(self, instance=None):
        """``instance``: an ``assistant.pipeline.Assistant`` (tests); by default the
        process-wide one behind ``assistant.ask`` / ``assistant.search``."""
        import assistant

        # the module functions and an instance's methods have the same signatures
        self._assistant = instance or assistant
        self._instance = instance or assistant.get_assistant()
        self.settings = self._instance.settings

    def describe(self) -> dict:
        s = self.settings
        return {"pipeline": self.name, "embed_model": s.model_dir.name, "top_k": s.top_k, "data_dir": str(s.data_dir),
                "min_score": {"nl": s.min_score("nl"), "en": s.min_score("en")}}

    def warm_up(self, mode: str) -> None:
        """Load what ``mode`` needs before the clock starts (the answer model too)."""
        self._instance.warm_up("generative" if mode == "generative" else "extractive")

    def documents(self) -> list[str]:
        self._instance.warm_up(generation=False)
        return [d.get("file", "") for d in self._instance.documents]

    def retrieve(self, question: str, history: list[dict]) -> dict:
        r = self._assistant.search(question, history=history or None)
        return {"answer": "", "refused": False, "citations": [], "retrieved": _passages(r.passages), "lang": r.lang,
                "query": r.query, "mode_used": "retrieval", "latency_ms": dict(r.timings_ms)}

    def ask(self, question: str, history: list[dict], mode: str) -> dict:
        a = self._assistant.ask(question, history=history or None, mode=mode)
        latency = {"retrieve": a.timings_ms.get("retrieve"), "total": a.timings_ms.get("total")}
        if mode == "generative":
            # an extractive answer arrives whole: its first token is its last
            latency["first_token"] = a.timings_ms.get("first_token", a.timings_ms.get("total"))
            # the selecting writer's draft: the quotes shown while the model chooses
            latency["first_quote"] = a.timings_ms.get("first_quote", latency["first_token"])
        return {
            "answer": a.text, "refused": a.refused, "lang": a.lang, "query": a.query, "mode_used": a.mode,
            "citations": [{"id": c.id, "doc": c.file or c.doc_id, "section": c.section, "text": c.text}
                          for c in a.citations],
            "retrieved": _passages(a.retrieved), "latency_ms": latency,
            "backend": a.backend, "model": a.model, "raw": a.raw, "tokens": a.timings_ms.get("tokens"),
            "generate_ms": a.timings_ms.get("generate"),
            "confidence": a.confidence, "confidence_level": a.confidence_level, "signals": dict(a.signals),
            "judged": a.judged, "doubt": a.doubt,
            "sentences": [dict(text=s.text, cited=list(s.cited), lexical=s.lexical, semantic=s.semantic,
                               supported=s.supported, note=s.note) for s in a.sentences],
        }


class BaselineClient:
    """The default llama-index pipeline. No LLM is available offline by default,
    so its "answer" is the top chunk, cited as [1], and it never refuses."""

    name = "baseline-llamaindex-default"

    def __init__(self, settings: Settings | None = None, top_k: int = 10):
        from llama_index.core import SimpleDirectoryReader, VectorStoreIndex

        from index.embedding import E5Embedding, load_embedder
        from index.sources import load_sources

        self.settings = settings or Settings.load()
        self.top_k = top_k
        files = [str(d.path) for d in load_sources(Path(self.settings.sources_dir))]
        t0 = time.perf_counter()
        docs = SimpleDirectoryReader(input_files=files).load_data()
        self._embed = E5Embedding(load_embedder(self.settings))
        index = VectorStoreIndex.from_documents(docs, embed_model=self._embed)
        self.build_s = round(time.perf_counter() - t0, 2)
        # the one change from the defaults: 10 results instead of 2, so @10 metrics compare
        self._retriever = index.as_retriever(similarity_top_k=top_k)
        self._files = [Path(f).name for f in files]
        self.chunks = len(index.docstore.docs)

    def describe(self) -> dict:
        return {"pipeline": self.name, "embed_model": self.settings.model_dir.name, "top_k": self.top_k,
                "chunks": self.chunks, "index_build_s": self.build_s,
                "splitter": "SentenceSplitter defaults (chunk_size 1024, overlap 200)"}

    def documents(self) -> list[str]:
        return list(self._files)

    def _search(self, question: str, history: list[dict]):
        # the default retriever has no chat memory: it searches the question as typed
        t0 = time.perf_counter()
        nodes = self._retriever.retrieve(question)
        ms = round((time.perf_counter() - t0) * 1000, 1)
        retrieved = [{"id": n.node.node_id, "doc": n.node.metadata.get("file_name", ""),
                      "text": n.node.get_content(), "score": round(float(n.score or 0.0), 4)} for n in nodes]
        return retrieved, ms

    def retrieve(self, question: str, history: list[dict]) -> dict:
        retrieved, ms = self._search(question, history)
        return {"answer": "", "refused": False, "citations": [], "retrieved": retrieved, "lang": "",
                "query": question, "mode_used": "retrieval", "latency_ms": {"retrieve": ms, "total": ms}}

    def ask(self, question: str, history: list[dict], mode: str) -> dict:
        retrieved, ms = self._search(question, history)
        top = retrieved[:1]
        latency = {"retrieve": ms, "total": ms}
        if mode == "generative":
            latency["first_token"] = ms
        return {"answer": (top[0]["text"] + " [1]") if top else "", "refused": False, "lang": "", "query": question,
                "mode_used": "extractive",
                "citations": [{"id": r["id"], "doc": r["doc"], "section": "", "text": r["text"]} for r in top],
                "retrieved": retrieved, "latency_ms": latency}
