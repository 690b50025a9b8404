"""What batched decoding could give on this machine: llama.cpp's own batch API
(several sequence ids in one ``llama_decode``) on the answer model, measured
apart from the app.

One prompt is evaluated once and its cache copied to every sequence (as a
shared instruction prefix would be); then each step decodes one token for each
of N sequences in a single batch. Aggregate tokens/s at N sequences against
N = 1 is the most a batching scheduler could add to the decode phase; prefill
is compute-bound either way. Sampling is left out (a fixed token per step), so
this is the model's own ceiling, not the Python loop's.
"""
from __future__ import annotations

import time
from pathlib import Path

_PROMPT = ("De Raad van de Europese Unie bespreekt in mei de aanbeveling over leermobiliteit en de "
           "Raadsconclusies over de culturele en creatieve sectoren. ") * 8


def batched_decode(model_path: Path, threads: int, sizes: tuple[int, ...] = (1, 2, 4), steps: int = 24) -> dict:
    """Prefill tokens/s, and per batch size the decode steps/s and aggregate tokens/s."""
    import llama_cpp as L

    L.llama_backend_init()
    mp = L.llama_model_default_params()
    mp.use_mmap = False  # as the app loads it (backends.LocalBackend)
    model = L.llama_model_load_from_file(str(model_path).encode(), mp)
    if not model:
        raise RuntimeError(f"llama.cpp could not load {model_path}")
    n_seq = max(sizes)
    cp = L.llama_context_default_params()
    cp.n_ctx, cp.n_batch, cp.n_ubatch, cp.n_seq_max = 2048, 256, 256, n_seq
    cp.n_threads = cp.n_threads_batch = threads
    cp.kv_unified = True  # one cache the sequences share, so a prefix is copied, not re-evaluated
    ctx = L.llama_init_from_model(model, cp)
    batch = L.llama_batch_init(256, 0, n_seq)
    try:
        vocab = L.llama_model_get_vocab(model)
        text = _PROMPT.encode()
        buf = (L.llama_token * 1024)()
        n = L.llama_tokenize(vocab, text, len(text), buf, 1024, True, False)
        tokens = list(buf[:n])

        def add(tok: int, pos: int, seq: int, logits: bool) -> None:
            i = batch.n_tokens
            batch.token[i], batch.pos[i], batch.n_seq_id[i], batch.logits[i] = tok, pos, 1, logits
            batch.seq_id[i][0] = seq
            batch.n_tokens += 1

        t = time.perf_counter()
        for start in range(0, n, 256):
            batch.n_tokens = 0
            for k, tok in enumerate(tokens[start:start + 256]):
                add(tok, start + k, 0, start + k == n - 1)
            if L.llama_decode(ctx, batch) != 0:
                raise RuntimeError("llama_decode failed on the prompt")
        prefill_s = time.perf_counter() - t
        mem = L.llama_get_memory(ctx)
        for s in range(1, n_seq):
            L.llama_memory_seq_cp(mem, 0, s, -1, -1)
        out = {"threads": threads, "prompt_tokens": n, "prefill_tokens_per_s": round(n / prefill_s, 1)}
        for size in sizes:
            for s in range(n_seq):
                L.llama_memory_seq_rm(mem, s, n, -1)  # back to the shared prompt
            t = time.perf_counter()
            for k in range(steps):
                batch.n_tokens = 0
                for s in range(size):
                    add(tokens[k % n], n + k, s, True)
                if L.llama_decode(ctx, batch) != 0:
                    raise RuntimeError("llama_decode failed while decoding")
            dt = time.perf_counter() - t
            out[f"seq_{size}"] = {"steps_per_s": round(steps / dt, 1),
                                  "aggregate_tokens_per_s": round(steps * size / dt, 1)}
        one = out[f"seq_{sizes[0]}"]["aggregate_tokens_per_s"]
        out["ratio_at_most"] = round(max(out[f"seq_{s}"]["aggregate_tokens_per_s"] for s in sizes) / one, 2)
        return out
    finally:
        L.llama_batch_free(batch)
        L.llama_free(ctx)
        L.llama_model_free(model)
