"""Generated answers through the real pipeline: the 1.5B model through
llama.cpp (few tests, marked `llm`), an OpenAI-compatible server started by
the test (llama-cpp-python's own, with the tiny test model), and the
fallbacks when no model can answer."""
from __future__ import annotations

import subprocess
import time
import urllib.request
from dataclasses import replace

import pytest
from conftest import PYTHON, free_port

from assistant.language import detect
from assistant.pipeline import Assistant

pytestmark = pytest.mark.model


def _events(assistant, question, **kw):
    events = list(assistant.stream(question, **kw))
    kinds = [e.kind for e in events]
    assert kinds[0] == "passages" and kinds[-1] == "answer" and kinds.count("answer") == 1
    assert set(kinds[1:-1]) == {"token"}
    return events


@pytest.fixture(scope="module")
def local(built, llm_file):
    # the writing path (the model writes, each sentence is checked): ASSISTANT_WRITER=write
    a = Assistant(replace(built, backend="local", llm_model=llm_file, writer="write"))
    a.warm_up()
    return a


@pytest.mark.llm
def test_local_model_streams_then_gives_a_verified_cited_answer(local):
    events = _events(local, "Welk streefcijfer geldt voor leermobiliteit in het mbo?")
    shown = {c.id for c in events[0].passages}
    tokens = [e.token for e in events if e.kind == "token"]
    answer = events[-1].answer
    assert len(tokens) > 3  # streamed, not delivered whole
    assert answer.mode == "generative" and answer.backend == "local" and not answer.refused
    assert answer.raw == "".join(tokens).strip()
    assert "12%" in answer.text
    assert answer.citations and {c.id for c in answer.citations} <= shown
    # every sentence kept carries a marker that points to one of the citations
    kept = [s for s in answer.sentences if s.supported]
    assert kept and all(s.cited and set(s.cited) <= {c.n for c in answer.citations} for s in kept)
    assert all(f"[{c.n}]" in answer.text for c in answer.citations)
    assert 0 < answer.timings_ms["first_token"] <= answer.timings_ms["total"]
    assert detect(answer.text).lang == "nl"


@pytest.mark.llm
def test_english_question_gets_an_english_answer_from_dutch_sources(local):
    answer = local.ask("Which organisations help Dutch schools deal with AI?")
    assert answer.mode == "generative" and not answer.refused
    assert detect(answer.text).lang == "en"
    # (the index-time English rendering calls Kennisnet "KnowledgeNet"; SURF survives)
    assert "SURF" in answer.text and answer.citations
    assert any("kennisnet" in c.text.lower() for c in answer.citations)  # the Dutch paragraph is cited


@pytest.mark.llm
def test_follow_up_uses_the_previous_turn_and_cites_its_own_paragraphs(local):
    first = local.ask("Wat is het EU-streefcijfer voor leermobiliteit in het mbo?")
    history = [{"role": "user", "content": first.question}, {"role": "assistant", "content": first.text}]
    answer = local.ask("En wat vindt Nederland daarvan?", history=history)
    assert first.question in answer.query
    assert any("inbreng-nederland" in p.id for p in answer.retrieved[:3])
    # the markers of this answer point to this answer's paragraphs
    assert answer.refused or {c.n for c in answer.citations} == set(range(1, len(answer.citations) + 1))


def test_off_topic_question_is_refused_in_code_before_any_model(built, tmp_path):
    # no model file at all: a refusal decided by retrieval never needs one
    a = Assistant(replace(built, backend="local", llm_model=tmp_path / "absent.gguf"))
    answer = a.ask("Wat is het recept voor appeltaart?")
    assert answer.refused and answer.backend == "rules" and answer.mode == "generative"
    assert answer.text.startswith("Dit staat niet in de bronnen")
    assert "generate" not in answer.timings_ms


def test_missing_model_falls_back_to_quotes_and_says_why(built, tmp_path):
    a = Assistant(replace(built, backend="local", llm_model=tmp_path / "absent.gguf"))
    answer = a.ask("Welke organisaties helpen Nederlandse onderwijsinstellingen bij het omgaan met AI?")
    assert answer.mode == "extractive" and answer.citations and not answer.refused
    assert answer.notes and "absent.gguf" in answer.notes[0] and "python -m index llm" in answer.notes[0]
    assert answer.notes[0] in answer.label


@pytest.fixture
def llama_server(small_llm_file, tmp_path):
    """llama-cpp-python's OpenAI-compatible server on a free loopback port."""
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen([PYTHON, "-m", "llama_cpp.server", "--model", str(small_llm_file), "--host", "127.0.0.1",
                             "--port", str(port), "--n_ctx", "2048", "--n_threads", "1", "--model_alias", "smollm2"],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/models", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited: {(tmp_path / 'server.log').read_text()[-2000:]}")
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("llama_cpp.server did not start in 120 s")
    yield proc, url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.mark.llm
def test_openai_backend_streams_from_a_real_server_and_survives_its_stop(built, llama_server):
    proc, url = llama_server
    a = Assistant(replace(built, backend="openai", openai_url=url, openai_model="smollm2", llm_timeout=60,
                          writer="write"))
    events = _events(a, "Which organisations help Dutch schools deal with AI?")
    answer = events[-1].answer
    tokens = [e.token for e in events if e.kind == "token"]
    assert answer.backend == "openai" and answer.model == "smollm2" and answer.mode == "generative"
    assert len(tokens) > 1 and answer.raw == "".join(tokens).strip()
    # whatever the tiny model wrote, only sentences its sources back survive
    assert answer.refused or all(s.cited for s in answer.sentences if s.supported)

    proc.terminate()
    proc.wait(timeout=30)
    answer = a.ask("Which organisations help Dutch schools deal with AI?")
    assert answer.mode == "extractive" and answer.citations  # still answers, by quoting
    assert url in answer.notes[0] and "ASSISTANT_OPENAI_URL" in answer.notes[0]


def test_damaged_model_file_is_named_with_the_fix(built, tmp_path):
    from index.llm import LLM_FILE

    broken = tmp_path / LLM_FILE
    broken.write_bytes(b"GGUF" + b"\0" * 1000)  # a truncated download
    a = Assistant(replace(built, backend="local", llm_model=broken))
    answer = a.ask("Welke organisaties helpen Nederlandse onderwijsinstellingen bij het omgaan met AI?")
    assert answer.mode == "extractive" and answer.citations  # still answers, by quoting
    assert "damaged" in answer.notes[0] and "1004 bytes" in answer.notes[0] and "index llm" in answer.notes[0]
