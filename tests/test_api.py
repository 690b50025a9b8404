"""The OpenAI-compatible endpoint, served by the app's process, used through
the `openai` package as any existing chat client would."""
import json
import urllib.error
import urllib.request

import pytest
from conftest import start_app, stop_app

pytestmark = [pytest.mark.app, pytest.mark.model]


@pytest.fixture(scope="module")
def base_url(built):
    proc, url = start_app(built)
    yield url + "v1"
    stop_app(proc)


def test_openai_client_gets_an_answer_with_citations(base_url):
    from openai import OpenAI

    client = OpenAI(base_url=base_url, api_key="not-needed", max_retries=0)
    assert [m.id for m in client.models.list().data] == ["beleidsassistent"]
    r = client.chat.completions.create(model="beleidsassistent", messages=[
        {"role": "user", "content": "Welk streefcijfer geldt voor leermobiliteit in het mbo?"}])
    text = r.choices[0].message.content
    assert "12%" in text and "[1]" in text
    extra = r.model_extra
    assert extra["citations"][0]["reference"] == "Kamerstuk 21 501-34, nr. 418"
    assert extra["citations"][0]["spans"] and extra["refused"] is False and "AI" in extra["label"]
    assert "judged" in extra and extra["judged"] is None  # quotes: no model judged them


def test_openai_client_streams_and_follow_up_uses_history(base_url):
    from openai import OpenAI

    client = OpenAI(base_url=base_url, api_key="not-needed", max_retries=0)
    stream = client.chat.completions.create(model="beleidsassistent", stream=True, messages=[
        {"role": "user", "content": "Wat is het EU-streefcijfer voor leermobiliteit in het mbo?"},
        {"role": "assistant", "content": "Het streefcijfer voor het middelbaar beroepsonderwijs is 12% [1]."},
        {"role": "user", "content": "En wat vindt Nederland daarvan?"}])
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert len(chunks) >= 3 and chunks[-1].choices[0].finish_reason == "stop"
    assert "realistisch" in text
    assert chunks[-1].model_extra["citations"] and "[1]" in text


def test_bad_requests_get_openai_style_errors(base_url):
    def post(body):
        req = urllib.request.Request(base_url + "/chat/completions", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(req, timeout=30)
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())["error"]
        raise AssertionError("expected an error")

    status, err = post({"messages": []})
    assert status == 400 and "messages" in err["message"]
    status, err = post({"messages": [{"role": "user", "content": "   "}]})
    assert status == 400 and err["code"] == "empty_question" and "leeg" in err["message"]
