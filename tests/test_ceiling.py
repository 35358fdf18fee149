"""bench/ceiling.py's line oracles: which input lines a perfect line filter keeps."""
from bench.ceiling import gold_lines, oracles

BODY = "The council voted on Monday to close the bridge.\n\nRepairs start in May, the mayor said."
PAGE = "\n".join([
    "Bridge to close for repairs",
    "The council voted on Monday to close the bridge.",
    "Share this article",
    "",
    "Repairs start in May, the mayor said.",
    "Read more: the mayor said",  # its words stand in the body, but not in this order with "Read more"
])


def test_gold_lines_keeps_the_lines_whose_words_stand_in_the_body_in_order():
    assert gold_lines(PAGE, BODY) == [False, True, False, True, True, False]


def test_the_title_is_kept_only_when_it_is_headline_shaped():
    result = oracles(PAGE, BODY)
    assert result["gold lines"].split("\n")[0] == "The council voted on Monday to close the bridge."
    assert result["gold lines, title kept"].split("\n")[0] == "Bridge to close for repairs"
    sentence_first = "A sentence that ends like prose.\n" + PAGE
    assert oracles(sentence_first, BODY)["gold lines, title kept"] == result["gold lines"]
