"""Write an answer with a language model: choose the context, build the
prompt from the language's data file, stream tokens from a backend.

Backends are llama-index LLMs behind one small interface, chosen by
``ASSISTANT_BACKEND``: ``local`` (llama.cpp on the assembled GGUF file) or
``openai`` (any OpenAI-compatible server). ``extractive`` needs no backend.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from index.settings import Settings

from .answer import SentenceHit
from .messages import messages
from .types import Passage

log = logging.getLogger(__name__)

# How much source text the model reads. Prompt processing on 2 cores runs at
# ~75 tokens/s (a 732-token prompt: first token after 9.5 s), so the context is
# the best sentences of the best paragraphs, not whole paragraphs: 600
# characters is ~200 tokens, a first token after ~3 s. The instructions and
# worked examples come first and stay in llama.cpp's prefix cache.
CONTEXT_CHARS = 600
CONTEXT_PASSAGES = 3
SHORT_PARAGRAPH = 240  # shorter paragraphs go in whole


class GenerationError(RuntimeError):
    """The backend cannot write (model missing, server down); says why and how to fix it."""


@dataclass(frozen=True)
class ContextPassage:
    n: int  # the marker [n] the model sees and cites
    passage: Passage
    spans: tuple[tuple[int, int], ...]  # the parts of passage.text shown, in document order
    shown: str = ""  # set when the model reads another text (the English rendering) instead

    @property
    def excerpt(self) -> str:
        if self.shown:
            return self.shown
        parts, last = [], None
        for a, b in self.spans:
            if last is not None and a > last + 1:
                parts.append("…")
            parts.append(self.passage.text[a:b])
            last = b
        return " ".join(parts)


def select_context(passages: list[Passage], hits: list[SentenceHit], min_score: float,
                   evidence: dict[str, tuple[tuple[int, int], ...]] | None = None,
                   max_passages: int = CONTEXT_PASSAGES, budget: int = CONTEXT_CHARS) -> list[ContextPassage]:
    """The paragraphs the model reads, each cut down to the sentences closest
    to the question. ``evidence`` (paragraph id → sentence spans) is what the
    extractive answer chose, with its number/date rules: those paragraphs come
    first and those sentences are always shown; the best-ranked other
    paragraphs above the threshold fill the rest of the budget."""
    evidence = evidence or {}
    by_id = {p.id: p for p in passages}
    order = [by_id[i] for i in evidence if i in by_id]
    order += [p for p in passages if p.score >= min_score and p.id not in evidence]
    chosen = order[:max_passages] or passages[:1]
    by_para: dict[str, list[SentenceHit]] = {}
    for h in hits:
        by_para.setdefault(h.para_id, []).append(h)
    out, left = [], budget
    for i, p in enumerate(chosen):
        share = max(160, left // (len(chosen) - i))  # unused budget rolls over
        if len(p.text) <= max(SHORT_PARAGRAPH, share):
            spans = [(0, len(p.text))]
        else:
            spans = list(evidence.get(p.id, ()))
            used = sum(b - a for a, b in spans)
            for h in sorted(by_para.get(p.id, []), key=lambda h: -h.score):
                if (h.start, h.end) in spans or (spans and used + (h.end - h.start) > share):
                    continue
                spans.append((h.start, h.end))
                used += h.end - h.start
            spans = sorted(spans) or [(0, min(len(p.text), share))]
        out.append(ContextPassage(i + 1, p, tuple(spans)))
        left -= sum(b - a for a, b in spans)
    return out


def in_english(context: list[ContextPassage], renderings: dict[str, str],
               scores: dict[str, list[tuple[tuple[int, int], float]]], budget: int = CONTEXT_CHARS) -> list[ContextPassage]:
    """For an English question, the model reads the index-time English
    rendering of each paragraph (its best sentences, by ``scores``: span in
    the rendering → similarity to the question) instead of the Dutch: a 1.5B
    model answers far better in one language than while translating (adding
    the Dutch key sentence made it answer partly in Dutch: language match
    1.00 → 0.93 on the English questions). The Dutch wording is in the cited
    paragraph shown with every answer."""
    out, left = [], budget
    for i, c in enumerate(context):
        text = renderings.get(c.passage.id)
        if not text:
            out.append(c)
            left -= len(c.excerpt)
            continue
        share = max(160, left // (len(context) - i))
        if len(text) <= max(SHORT_PARAGRAPH, share):
            shown = text
        else:
            spans, used = [], 0
            for (a, b), _ in sorted(scores.get(c.passage.id, []), key=lambda x: -x[1]):
                if spans and used + (b - a) > share:
                    continue
                spans.append((a, b))
                used += b - a
            shown = " … ".join(text[a:b] for a, b in sorted(spans)) or text[:share]
        shown = shown.replace("\n", " ")
        out.append(ContextPassage(c.n, c.passage, c.spans, shown=shown))
        left -= len(shown)
    return out


def build_messages(lang: str, question: str, context: list[ContextPassage]) -> list[dict]:
    """Chat messages from ``assistant/prompts/<lang>.json``: system rules,
    two worked examples (an answer and a refusal), then the real question."""
    g = messages(lang)["generation"]
    refusal = g["refusal"]
    out = [{"role": "system", "content": g["system"].format(refusal=refusal)}]
    for ex in g["examples"]:
        out.append({"role": "user", "content": ex["user"]})
        out.append({"role": "assistant", "content": ex["assistant"].format(refusal=refusal)})
    passages = "\n".join(g["passage"].format(n=c.n, text=c.excerpt.replace("\n", " ")) for c in context)
    out.append({"role": "user", "content": g["user"].format(passages=passages, question=question)})
    return out


def chatml(messages_) -> str:
    """Qwen's chat template (ChatML) for llama-index's ``LlamaCPP``."""
    parts = []
    for m in messages_:
        role = m.role.value if hasattr(m.role, "value") else str(m.role)
        parts.append(f"<|im_start|>{role}\n{m.content}<|im_end|>\n")
    return "".join(parts) + "<|im_start|>assistant\n"


def _chat_messages(msgs: list[dict]):
    from llama_index.core.llms import ChatMessage

    return [ChatMessage(role=m["role"], content=m["content"]) for m in msgs]


class LocalBackend:
    """llama.cpp through llama-index's ``LlamaCPP``, on the checked GGUF file.

    One llama.cpp context per language: llama.cpp reuses the evaluated prefix
    of the previous prompt, so each language's instructions and examples
    (~450 tokens, ~6 s on 2 cores) are evaluated once, however questions
    alternate. The weights are memory-mapped, so the second context costs
    only its KV cache (~60 MB). One generation at a time: two at once on 2
    cores would both crawl (MODELS.md)."""

    name = "local"

    def __init__(self, settings: Settings):
        self.settings = settings
        self._llms: dict[str, object] = {}
        self._lock = threading.Lock()
        from index.llm import llm_path

        self.model = llm_path(settings).name

    def _load(self, lang: str):
        if lang in self._llms:
            return self._llms[lang]
        from index.llm import LLMMissingError, check, llm_path

        try:
            path = check(llm_path(self.settings))
            from llama_index.llms.llama_cpp import LlamaCPP
        except LLMMissingError as e:
            raise GenerationError(str(e)) from None
        except ImportError as e:
            raise GenerationError(f"llama-cpp-python is not installed ({e}): run `bash scripts/setup.sh`") from None
        try:
            llm = LlamaCPP(
                model_path=str(path), temperature=0.0, max_new_tokens=self.settings.llm_max_tokens,
                context_window=self.settings.llm_context, verbose=False, messages_to_prompt=chatml,
                # greedy decoding: the same question gives the same answer
                generate_kwargs={"stop": ["<|im_end|>", "<|endoftext|>"], "top_k": 1, "repeat_penalty": 1.05},
                # flash attention: ~4 % faster prompts; a 256 batch is as fast as 512
                # on 2 cores and halves the logits buffer (~150 MB per context)
                model_kwargs={"n_threads": self.settings.llm_threads, "n_batch": 256, "n_ubatch": 256,
                              "flash_attn": True, "seed": 0},
            )
        except Exception as e:  # llama.cpp refuses a damaged or foreign file
            raise GenerationError(f"the local model {path} could not be loaded ({e}): delete it and run "
                                  "`python -m index llm`") from None
        self._llms[lang] = llm
        return llm

    def warm_up(self, prefix=None) -> None:
        """Load the model and evaluate both languages' instructions once, so
        the first question does not wait for them. ``prefix(lang)``: the
        messages whose instructions to cache (default: the writing prompt)."""
        prefix = prefix or (lambda lang: build_messages(lang, "?", []))
        with self._lock:
            for lang in ("nl", "en"):
                llm = self._load(lang)
                llm._model(prompt=chatml(_chat_messages(prefix(lang))), max_tokens=1)

    def select(self, msgs: list[dict], grammar: str, lang: str = "en") -> str:
        """The model's reply under a GBNF grammar (llama.cpp samples only
        what the grammar allows, so the reply always parses)."""
        from llama_cpp import LlamaGrammar

        with self._lock:
            llm = self._load(lang if lang in ("nl", "en") else "en")
            try:
                out = llm._model(prompt=chatml(_chat_messages(msgs)), max_tokens=24, temperature=0.0, top_k=1,
                                 grammar=LlamaGrammar.from_string(grammar, verbose=False),
                                 stop=["<|im_end|>", "<|endoftext|>"])
            except Exception as e:  # a context overflow or a broken model file: say so, quotes answer instead
                raise GenerationError(f"the local model failed ({e.__class__.__name__}: {str(e)[:160]})") from None
            return out["choices"][0]["text"]

    def stream(self, msgs: list[dict], lang: str = "en") -> Iterator[str]:
        with self._lock:
            llm = self._load(lang if lang in ("nl", "en") else "en")
            for r in llm.stream_chat(_chat_messages(msgs)):
                if r.delta:
                    yield r.delta


class OpenAIBackend:
    """Any OpenAI-compatible chat server (vLLM, llama.cpp server, TGI, …),
    through llama-index's ``OpenAILike``. Nothing leaves for the internet
    unless the configured URL points there."""

    name = "openai"

    def __init__(self, settings: Settings):
        if not settings.openai_url:
            raise GenerationError("ASSISTANT_BACKEND=openai needs ASSISTANT_OPENAI_URL, e.g. http://127.0.0.1:8000/v1")
        self.settings = settings
        self.model = settings.openai_model or "default"
        from llama_index.llms.openai_like import OpenAILike

        self._llm = OpenAILike(
            model=self.model, api_base=settings.openai_url, api_key=settings.openai_key or "none",
            is_chat_model=True, context_window=8192, max_tokens=settings.llm_max_tokens, temperature=0.0,
            timeout=settings.llm_timeout, max_retries=0,
        )

    def warm_up(self, prefix=None) -> None:
        pass

    def select(self, msgs: list[dict], grammar: str, lang: str = "en") -> str:
        """The reply as text (the grammar is for llama.cpp; assistant.select.parse
        reads the numbers out of whatever a server answers)."""
        return "".join(self.stream(msgs, lang))

    def stream(self, msgs: list[dict], lang: str = "en") -> Iterator[str]:
        try:
            for r in self._llm.stream_chat(_chat_messages(msgs)):
                if r.delta:
                    yield r.delta
        except GenerationError:
            raise
        except Exception as e:  # connection refused, timeout, HTTP error: say which server
            raise GenerationError(f"the answer server {self.settings.openai_url} failed "
                                  f"({e.__class__.__name__}: {str(e)[:160]}); check ASSISTANT_OPENAI_URL "
                                  "and that the server runs") from None


def make_backend(settings: Settings):
    """The configured backend, or None for ``extractive``."""
    if settings.backend == "local":
        return LocalBackend(settings)
    if settings.backend == "openai":
        return OpenAIBackend(settings)
    return None
