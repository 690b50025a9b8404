"""Shared fixtures. Real-model fixtures build one index per test session into
a temporary data directory, reusing the model converted by the setup command."""
from __future__ import annotations

import os
import socket
import sys
from dataclasses import replace
from pathlib import Path

import pytest

import index  # noqa: F401  (offline environment)
from index.settings import Settings

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def model_dir() -> Path:
    """The converted embedding model (converted now if the setup has not)."""
    from index.build import corpus
    from index.embedding import ensure_model

    settings = Settings.from_env({})
    settings = replace(settings, data_dir=REPO / "data")
    return ensure_model(settings, verify_texts=[p.text for _, p in corpus(settings)[:20]])


@pytest.fixture(scope="session")
def built(tmp_path_factory, model_dir) -> Settings:
    """Settings of a freshly built index over sources/ in a temporary data dir."""
    from index.build import build

    data = tmp_path_factory.mktemp("data")
    settings = replace(Settings.from_env({}), data_dir=data, embed_model=model_dir)
    build(settings, progress=False)
    return settings


@pytest.fixture(scope="session")
def assistant_(built):
    from assistant.pipeline import Assistant

    return Assistant(built)


def env_for(settings: Settings) -> dict:
    env = dict(os.environ)
    env["ASSISTANT_DATA_DIR"] = str(settings.data_dir)
    env["ASSISTANT_EMBED_MODEL"] = str(settings.model_dir)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PYTHON = sys.executable
