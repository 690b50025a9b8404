"""The settings that guard access and privacy read as documented, and refuse nonsense."""
import pytest

from settings import Settings


def test_safe_defaults():
    s = Settings.from_env({})
    assert s.host == "127.0.0.1" and s.auth == () and s.log_questions is False
    assert (s.concurrency, s.queue_size) == (4, 64)


def test_auth_accounts_and_flags():
    s = Settings.from_env({"ASSISTANT_AUTH": "anna:geheim, bob:met:dubbele-punt", "ASSISTANT_LOG_QUESTIONS": "yes",
                           "ASSISTANT_CONCURRENCY": "0", "ASSISTANT_QUEUE_SIZE": "8"})
    assert s.auth == (("anna", "geheim"), ("bob", "met:dubbele-punt"))  # a password may hold a colon
    assert s.log_questions is True and s.concurrency == 1 and s.queue_size == 8


@pytest.mark.parametrize("raw", ["anna", "anna:", ":geheim"])
def test_auth_without_a_user_or_password_is_refused(raw):
    with pytest.raises(ValueError, match="ASSISTANT_AUTH"):
        Settings.from_env({"ASSISTANT_AUTH": raw})
