"""The answer models: llama-index LLMs behind one small interface (``Backend``),
chosen by ``ASSISTANT_BACKEND``: ``local`` (llama.cpp on the assembled GGUF
file) or ``openai`` (any OpenAI-compatible server). ``extractive`` needs no
backend. Tests use the fake in tests/fakes.py.
"""
from __future__ import annotations

import contextlib
import logging
import math
import threading
from collections.abc import Callable, Iterator
from typing import Protocol

from settings import Settings, Tuned

from .prompt import build_messages

log = logging.getLogger(__name__)


class GenerationError(RuntimeError):
    """The backend cannot write (model missing, server down); says why and how to fix it."""


class Backend(Protocol):
    """What answering asks of a model."""

    name: str  # "local" | "openai" | …
    model: str  # the model's name, shown in the answer's label

    def warm_up(self, prefix: Callable[[str], list[dict]] | None = None) -> None:
        """Load the model and evaluate each language's fixed prompt prefix."""

    def pick(self, msgs: list[dict], grammar: str, lang: str = "en") -> tuple[str, float | None]:
        """``select``'s reply, and the probability that it chooses nothing ("[]"
        against "[" as its first token), read before it was sampled (None where
        the backend gives no token probabilities)."""

    def select(self, msgs: list[dict], grammar: str, lang: str = "en") -> str:
        """The reply under a GBNF grammar (a server may ignore the grammar)."""

    def stream(self, msgs: list[dict], lang: str = "en") -> Iterator[str]:
        """The reply, as it is written."""

    def judge(self, msgs: list[dict], yes: list[str], no: list[str], lang: str = "en") -> float | None:
        """The probability that the reply starts with one of ``yes`` rather than ``no``
        (None where the backend gives no token probabilities)."""


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


class _Lent:
    """A loaded llama.cpp model lent to a second ``Llama``: closing it is the
    owner's job (the borrower's close does nothing), and the borrower holds
    the owner, so the model outlives every context that runs on it."""

    def __init__(self, owner):
        self._owner = owner

    def __getattr__(self, name):
        return getattr(self._owner._model, name)

    def close(self) -> None:
        pass


@contextlib.contextmanager
def _shared_model(llama):
    """While constructing a ``Llama``, hand it ``llama``'s loaded model instead
    of loading the file again (llama.cpp runs several contexts on one model;
    llama-cpp-python's ``Llama`` only ever loads its own). Callers hold the
    backend's lock, so no other ``Llama`` is constructed meanwhile."""
    if llama is None:
        yield
        return
    import llama_cpp._internals as internals

    original = internals.LlamaModel
    internals.LlamaModel = lambda **_: _Lent(llama)
    try:
        yield
    finally:
        internals.LlamaModel = original


class LocalBackend:
    """llama.cpp through llama-index's ``LlamaCPP``, on the checked GGUF file.

    One llama.cpp context per language: llama.cpp reuses the evaluated prefix
    of the previous prompt, so each language's instructions and examples
    (~450 tokens, ~6 s on 2 cores) are evaluated once, however questions
    alternate. Both contexts run on one loaded model (``_shared_model``): a
    second load would repack its own copy of the weights for the CPU (~760 MB
    more, measured). One generation at a time: two at once on 2 cores would
    both crawl (MODELS.md)."""

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
        first = next(iter(self._llms.values()), None)
        try:
            with _shared_model(first._model if first is not None else None):
                llm = self._llamacpp(LlamaCPP, path, small=lang == "judge")
        except Exception as e:  # llama.cpp refuses a damaged or foreign file
            raise GenerationError(f"the local model {path} could not be loaded ({e}): delete it and run "
                                  "`python -m index llm`") from None
        self._llms[lang] = llm
        return llm

    def _llamacpp(self, LlamaCPP, path, small: bool = False):
        # the judging context reads one question and one quote (≤ ~300 tokens): a small
        # cache and a 128 batch keep its buffers (logits: batch × vocabulary) small
        batch = 128 if small else 256
        return LlamaCPP(
            model_path=str(path), temperature=0.0, max_new_tokens=self.settings.llm_max_tokens,
            context_window=1024 if small else self.settings.llm_context, verbose=False, messages_to_prompt=chatml,
            # greedy decoding: the same question gives the same answer
            generate_kwargs={"stop": ["<|im_end|>", "<|endoftext|>"], "top_k": 1, "repeat_penalty": 1.05},
            # flash attention: ~4 % faster prompts; a 256 batch is as fast as 512
            # on 2 cores and halves the logits buffer (~150 MB per context).
            # No mmap: llama.cpp repacks the weights for the CPU into memory of
            # its own, and a mapped file would stay resident beside that copy
            # (1.84 -> 1.25 GB RSS for one context, same output and speed)
            model_kwargs={"n_threads": self.settings.llm_threads, "n_batch": batch, "n_ubatch": batch,
                          "flash_attn": True, "seed": 0, "use_mmap": False},
        )

    def warm_up(self, prefix=None) -> None:
        """Load the model and evaluate both languages' instructions once, so
        the first question does not wait for them. ``prefix(lang)``: the
        messages whose instructions to cache (default: the writing prompt)."""
        prefix = prefix or (lambda lang: build_messages(lang, "?", []))
        with self._lock:
            for lang in ("nl", "en"):
                llm = self._load(lang)
                llm._model(prompt=chatml(_chat_messages(prefix(lang))), max_tokens=1)
            if Tuned.JUDGE:  # the judging instructions too (select.selected asks after each pick)
                from .prompt import judge_messages

                self._load("judge")._model(prompt=chatml(_chat_messages(judge_messages("en", "?", None)[:1])),
                                           max_tokens=1)

    def pick(self, msgs: list[dict], grammar: str, lang: str = "en") -> tuple[str, float | None]:
        """The selection reply under ``grammar``, and its doubt: P("[]") against P("[")
        for the reply's first token, read from llama.cpp's logits after the prompt.
        Both in one hold of the model: the pick reuses the prompt the doubt evaluated
        (one token more), and no other conversation's prompt comes between them."""
        with self._lock:
            llm = self._load(lang if lang in ("nl", "en") else "en")
            doubt = self._doubt(llm._model, msgs)
            return self._select(llm, msgs, grammar), doubt

    def select(self, msgs: list[dict], grammar: str, lang: str = "en") -> str:
        """The model's reply under a GBNF grammar (llama.cpp samples only
        what the grammar allows, so the reply always parses)."""
        with self._lock:
            return self._select(self._load(lang if lang in ("nl", "en") else "en"), msgs, grammar)

    @staticmethod
    def _doubt(m, msgs: list[dict]) -> float | None:
        import llama_cpp

        try:
            # one token: the prompt is evaluated and nothing after it, so its logits stay readable
            m.create_completion(prompt=chatml(_chat_messages(msgs)), max_tokens=1, temperature=0.0, top_k=1)
            logits = llama_cpp.llama_get_logits_ith(m.ctx, -1)
        except Exception as e:
            raise GenerationError(f"the local model failed ({e.__class__.__name__}: {str(e)[:160]})") from None
        none, some = (m.tokenize(t.encode(), add_bos=False) for t in ("[]", "["))
        if len(none) != 1 or len(some) != 1:  # a model whose vocabulary splits them: no reading
            return None
        return 1.0 / (1.0 + math.exp(logits[some[0]] - logits[none[0]]))

    @staticmethod
    def _select(llm, msgs: list[dict], grammar: str) -> str:
        from llama_cpp import LlamaGrammar

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

    def judge(self, msgs: list[dict], yes: list[str], no: list[str], lang: str = "en") -> float | None:
        """P(yes) against P(no) for the reply's first token, read from llama.cpp's
        logits. A third context on the same loaded model keeps the judging
        instructions evaluated; only the question and the quote are read anew."""
        import llama_cpp

        with self._lock:
            # a context of its own: the languages' contexts keep their selection prompts cached
            m = self._load("judge")._model
            try:
                # one token: the prompt is evaluated and nothing after it, so its logits stay readable
                m.create_completion(prompt=chatml(_chat_messages(msgs)), max_tokens=1, temperature=0.0, top_k=1)
                logits = llama_cpp.llama_get_logits_ith(m.ctx, -1)
            except Exception as e:
                raise GenerationError(f"the local model failed ({e.__class__.__name__}: {str(e)[:160]})") from None

            def best(words: list[str]) -> float:
                # words that are one token each ("Nee" is two: its first token says nothing)
                ids = [t[0] for t in (m.tokenize(w.encode(), add_bos=False) for w in words) if len(t) == 1]
                return max(logits[i] for i in ids)

            return 1.0 / (1.0 + math.exp(best(no) - best(yes)))


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
            is_chat_model=True, context_window=Tuned.SERVER_CONTEXT, max_tokens=settings.llm_max_tokens,
            temperature=0.0,
            timeout=settings.llm_timeout, max_retries=0,
        )

    def warm_up(self, prefix=None) -> None:
        pass

    def judge(self, msgs: list[dict], yes: list[str], no: list[str], lang: str = "en") -> float | None:
        return None  # a chat server's reply has no token probabilities to read

    def pick(self, msgs: list[dict], grammar: str, lang: str = "en") -> tuple[str, float | None]:
        return self.select(msgs, grammar, lang), None

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
