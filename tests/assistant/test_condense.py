"""Follow-ups: the question leaned on, and the text searched with (no model, no index)."""
from assistant.condense import condense, leaned_on

HISTORY = [{"role": "user", "content": "Wat vindt Nederland van de Raadsconclusies?"},
           {"role": "assistant", "content": "Volgens de bronnen: …"},
           {"role": "user", "content": "  "}]


def test_a_follow_up_leans_on_the_last_user_question_and_is_searched_with_it():
    assert leaned_on(HISTORY) == "Wat vindt Nederland van de Raadsconclusies?"  # an empty turn is skipped
    assert condense("En de andere lidstaten?", HISTORY) == ("Wat vindt Nederland van de Raadsconclusies?\n"
                                                            "En de andere lidstaten?")
    assert leaned_on(None) == "" and condense("Wat is DEN?", None) == "Wat is DEN?"


def test_a_follow_up_of_a_follow_up_also_leans_on_the_question_before_it():
    chain = [{"role": "user", "content": "Wat zegt de brief over influencers?"},
             {"role": "assistant", "content": "…"},
             {"role": "user", "content": "Gaat Nederland daarmee akkoord?"},
             {"role": "assistant", "content": "…"}]
    assert leaned_on(chain) == "Wat zegt de brief over influencers?\nGaat Nederland daarmee akkoord?"
    # a last question that names its own topic is leaned on alone
    own = chain[:2] + [{"role": "user", "content": "Wat is DEN?"}, {"role": "assistant", "content": "…"}]
    assert leaned_on(own) == "Wat is DEN?"
    # a possessive points back too: "its" is DEN's
    study = [{"role": "user", "content": "What does the letter say about DEN?"}, {"role": "assistant", "content": "…"},
             {"role": "user", "content": "What did its study look at?"}, {"role": "assistant", "content": "…"}]
    assert leaned_on(study) == "What does the letter say about DEN?\nWhat did its study look at?"


def test_a_follow_up_that_names_too_little_to_stand_alone_is_read_with_the_question_before_it():
    from assistant.condense import elliptical

    assert elliptical("How did other member states react?") and not elliptical("What is DEN?")
    assert not elliptical("Wat is het streefcijfer voor het mbo?")
    # a nationality or its country names whose view is asked, not the topic
    assert elliptical("What is the Dutch position?") and elliptical("Wat vindt Nederland?")
    assert not elliptical("What does the Netherlands think about the influencer conclusions?")
    assert not elliptical("What does NEMO think?")  # a name that is not a country is a topic
    chain = [{"role": "user", "content": "What is the Dutch position on the influencer conclusions?"},
             {"role": "assistant", "content": "…"},
             {"role": "user", "content": "How did other member states react?"}, {"role": "assistant", "content": "…"}]
    assert leaned_on(chain).startswith("What is the Dutch position on the influencer conclusions?\n")


def test_a_follow_up_after_a_narrowing_follow_up_keeps_the_first_topic():
    chain = [{"role": "user", "content": "What does the letter say about learning mobility targets?"},
             {"role": "assistant", "content": "…"},
             {"role": "user", "content": "And for vocational education?"}, {"role": "assistant", "content": "…"}]
    assert leaned_on(chain) == "What does the letter say about learning mobility targets?\nAnd for vocational education?"
