"""Two-part questions are searched part by part too (no model)."""
from types import SimpleNamespace

from assistant.parts import merge, split


def test_a_second_question_word_after_and_splits():
    assert split("Welke structuur stelt NEMO voor en welke werkplaatsen zou de Commissie kunnen faciliteren?") == [
        "Welke structuur stelt NEMO voor", "welke werkplaatsen zou de Commissie kunnen faciliteren"]
    assert split("What were the targets for higher education, and is the cabinet satisfied with them?") == [
        "What were the targets for higher education", "is the cabinet satisfied with them"]


def test_one_question_with_and_inside_does_not_split():
    assert split("Welk streefcijfer geldt voor hbo en wo?") == []
    assert split("What do NEMO and the Dutch government propose?") == []
    assert split("Wat zegt de brief over AI en wat?") == []  # a part of one word is no question


def test_the_best_of_each_part_leads_then_the_whole_ranking():
    p = {k: SimpleNamespace(id=k) for k in "abcdef"}
    whole = [p["a"], p["b"], p["c"], p["d"]]
    assert [x.id for x in merge(whole, [[p["b"], p["a"]], [p["e"], p["a"]]])] == ["b", "e", "a", "c", "d"]
    assert [x.id for x in merge(whole, [])] == ["a", "b", "c", "d"]
