"""A full answer with no network interface at all (unshare -n)."""
import json
import re
import shutil
import subprocess
from dataclasses import replace

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


def test_build_without_network(built, tmp_path):
    """`index build` on its default engine (OpenVINO over the ONNX export, compiled
    afresh into an empty cache) with no network interface, every name look-up and
    connection its process attempts recorded (tests/netaudit): none. `import openvino`
    loads its telemetry package for its converter, which the build never calls."""
    prefix = _unshare_prefix()
    if prefix is None:
        pytest.fail("unshare cannot create a network namespace here (needs root or user namespaces)")
    model = tmp_path / "data" / "models" / built.model_dir.name
    model.parent.mkdir(parents=True)
    model.symlink_to(built.model_dir)
    (model.parent / f"{model.name}-onnx").symlink_to(built.model_dir.with_name(f"{model.name}-onnx"))
    audit = tmp_path / "net-audit.jsonl"
    env = env_for(replace(built, data_dir=tmp_path / "data"))
    env.pop("ASSISTANT_EMBED_MODEL")  # the default folder under the data directory (a path given is resolved)
    env.update(NET_AUDIT_LOG=str(audit), PYTHONPATH=str(REPO / "tests" / "netaudit"))
    r = subprocess.run(prefix + [PYTHON, "-m", "index", "build", "--quiet", "--translate", "no"],
                       cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert (model.parent / f"{model.name}-openvino-cache").is_dir()  # OpenVINO compiled it
    assert re.search(r"indexed [1-9]\d* paragraphs", r.stdout + r.stderr)
    events = [json.loads(line) for line in audit.read_text().splitlines()]
    assert any(e["event"] == "audit.start" for e in events), "the hook did not load"
    assert [e for e in events if e["event"] != "audit.start"] == []
