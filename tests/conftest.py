"""Shared fixtures. Real-model fixtures build one index per test session into
a temporary data directory, reusing the model converted by the setup command."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

import index  # noqa: F401  (offline environment)
from settings import Settings

# Fast tests answer extractively; tests of generation ask for a backend
# themselves (marked `llm`). Subprocesses inherit this.
os.environ.setdefault("ASSISTANT_BACKEND", "extractive")

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def model_dir() -> Path:
    """The converted embedding model, and its fp32 and int8 ONNX exports beside
    it (made now if the setup has not)."""
    from index.build import corpus
    from index.embedding import ensure_model, ensure_onnx

    settings = Settings.from_env({})
    settings = replace(settings, data_dir=REPO / "data")
    check = [p.text for _, p in corpus(settings)[:20]]
    ensure_onnx(settings, "int8", verify_texts=check)  # and the fp32 one it is made from
    return ensure_model(settings, verify_texts=check)


@pytest.fixture(scope="session")
def built(tmp_path_factory, model_dir) -> Settings:
    """Settings of a freshly built index over sources/ in a temporary data dir."""
    from index.build import build

    data = tmp_path_factory.mktemp("data")
    settings = replace(Settings.from_env({}), data_dir=data, embed_model=model_dir, backend="extractive")
    build(settings, progress=False)
    return settings


@pytest.fixture(scope="session")
def assistant_(built):
    from assistant.pipeline import Assistant

    return Assistant(built)


@pytest.fixture(scope="session")
def llm_file() -> Path:
    """The 1.5B answer model the setup command assembled."""
    from index.llm import LLMMissingError, check, llm_path

    try:
        return check(llm_path(replace(Settings.from_env({}), data_dir=REPO / "data")))
    except LLMMissingError as e:
        pytest.fail(f"{e} (the test command's setup assembles it)")


@pytest.fixture(scope="session")
def small_llm_file() -> Path:
    """The tiny test model (SmolLM2-135M), unpacked by the test setup."""
    from index.llm import assemble_small

    return assemble_small(replace(Settings.from_env({}), data_dir=REPO / "data"))


def env_for(settings: Settings) -> dict:
    env = dict(os.environ)
    env["ASSISTANT_DATA_DIR"] = str(settings.data_dir)
    env["ASSISTANT_EMBED_MODEL"] = str(settings.model_dir)
    env["PYTHONUNBUFFERED"] = "1"
    env["ASSISTANT_BACKEND"] = settings.backend
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PYTHON = sys.executable


def start_app(built, **extra_env):
    """``python app.py`` on a free loopback port; returns (process, url)."""
    port = free_port()
    env = env_for(built)
    env["ASSISTANT_PORT"] = str(port)
    env.update(extra_env)
    log = open(built.data_dir / "app.log", "w")
    proc = subprocess.Popen([PYTHON, "app.py"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    wait_for_app(proc, url, lambda: (built.data_dir / "app.log").read_text())
    return proc, url


def wait_for_app(proc, url: str, output, seconds: int = 120) -> None:
    """Until ``url`` answers; ``output()`` tells why when the process ends or the time runs out."""
    import urllib.request

    deadline = time.time() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError(f"app did not start: {output()[-3000:]}")
            time.sleep(0.5)


def wait_until_warm(settings: Settings, seconds: int = 240) -> None:
    """Until the app started by ``start_app`` has loaded its answer model
    (before that, questions get the quotes answer at once)."""
    log = settings.data_dir / "app.log"
    deadline = time.time() + seconds
    while "ready: the index and the answer model are loaded" not in log.read_text(errors="replace"):
        if time.time() > deadline:
            raise RuntimeError(f"the answer model did not load in {seconds} s: {log.read_text()[-2000:]}")
        time.sleep(0.5)


def stop_app(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
