"""A full answer with no network interface at all (unshare -n)."""
import json
import shutil
import subprocess

import pytest

from conftest import PYTHON, REPO, env_for

pytestmark = [pytest.mark.offline, pytest.mark.model]


def _unshare_prefix():
    for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
        try:
            ok = subprocess.run(prefix + ["true"], capture_output=True, timeout=10).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        if ok:
            return prefix
    return None


def test_ask_without_network(built):
    prefix = _unshare_prefix()
    if prefix is None:
        pytest.fail("unshare cannot create a network namespace here (needs root or user namespaces)")
    # prove the namespace really has no way out
    probe = subprocess.run(prefix + [PYTHON, "-c", "import socket; socket.create_connection(('1.1.1.1', 80), timeout=3)"],
                           capture_output=True, text=True, timeout=30)
    assert probe.returncode != 0 and "unreachable" in probe.stderr.lower()
    r = subprocess.run(prefix + [PYTHON, "-m", "assistant", "ask", "--json",
                                 "Welk streefcijfer geldt voor leermobiliteit in het mbo?"],
                       cwd=REPO, env=env_for(built), capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    a = json.loads(r.stdout)
    assert "12%" in a["text"] and a["citations"] and a["citations"][0]["reference"] == "Kamerstuk 21 501-34, nr. 418"


@pytest.mark.llm
def test_generated_answer_without_network(built, llm_file):
    """The default path (the local model writes) with no network interface."""
    prefix = _unshare_prefix()
    if prefix is None:
        pytest.fail("unshare cannot create a network namespace here (needs root or user namespaces)")
    env = env_for(built)
    env.update(ASSISTANT_BACKEND="local", ASSISTANT_LLM_MODEL=str(llm_file))
    r = subprocess.run(prefix + [PYTHON, "-m", "assistant", "ask", "--json",
                                 "Welke organisaties helpen Nederlandse onderwijsinstellingen bij het omgaan met AI?"],
                       cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    a = json.loads(r.stdout)
    assert a["mode"] == "generative" and a["backend"] == "local" and not a["notes"]
    assert "SURF" in a["text"] and a["citations"] and all(s["cited"] for s in a["sentences"] if s["supported"])
