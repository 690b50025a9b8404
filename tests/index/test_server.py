"""Scale-out: ASSISTANT_CHROMA_URL switches the store to a real Chroma server
(``chroma run``, shipped with the chromadb package) on a free port. Indexing
and questions go through it; a stopped server gives a clear error and loses
nothing; once it is back, everything answers as before."""
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import REPO, free_port
from index.build import build
from index.library import register
from settings import Settings
from index.store import IndexUnreachableError, open_collection
from sample_docs import make_pdf

pytestmark = pytest.mark.model
CHROMA = Path(sys.executable).parent / "chroma"


def start_chroma(path: Path, port: int):
    log = open(path.parent / f"chroma-{port}.log", "a")
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"})
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2)
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError((path.parent / f"chroma-{port}.log").read_text())
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("chroma run did not start in 60 s")


def stop(proc):
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture
def server_settings(tmp_path, model_dir):
    # one real source (the press release, with its English renderings) keeps the build short
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in ("nemo-ai-musea-2024.md", "translations.en.jsonl"):
        shutil.copy(REPO / "sources" / name, sources / name)
    port = free_port()
    return replace(Settings.from_env({}), data_dir=tmp_path / "data", sources_dir=sources, embed_model=model_dir,
                   backend="extractive", chroma_url=f"http://127.0.0.1:{port}"), port


def test_index_and_answer_through_a_chroma_server_and_survive_its_stop(server_settings, tmp_path):
    from assistant import AssistantError
    from assistant.pipeline import Assistant

    settings, port = server_settings
    db = tmp_path / "chroma-db"
    server = start_chroma(db, port)
    try:
        build(settings, progress=False)
        register(settings, [make_pdf(tmp_path / "nota.pdf")])
        build(settings, progress=False)
        count = open_collection(settings).count()
        assert not settings.chroma_dir.exists()  # the vectors are on the server, not in the data dir
        a = Assistant(settings)
        answer = a.ask("Wanneer en waar werden de aanbevelingen over AI in musea gepresenteerd?")
        assert "Brussel" in answer.text and answer.citations[0].doc_id == "nemo-ai-musea-2024"
        assert a.ask("Hoeveel geld vraagt het college voor de proef?").citations[0].page == 1

        stop(server)
        with pytest.raises(AssistantError) as e:
            a.ask("Wanneer en waar werden de aanbevelingen over AI in musea gepresenteerd?")
        assert e.value.code == "index_unreachable" and settings.chroma_url in e.value.message()
        assert "chroma run" in e.value.message() and "niets verloren" in e.value.message()
        with pytest.raises(IndexUnreachableError, match="does not answer"):
            build(settings, progress=False)

        server = start_chroma(db, port)  # the same data, served again
        assert open_collection(settings).count() == count
        answer = a.ask("Wanneer en waar werden de aanbevelingen over AI in musea gepresenteerd?")
        assert "Brussel" in answer.text
    finally:
        if server.poll() is None:
            stop(server)
