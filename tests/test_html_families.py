"""HTML-mode junk families handled on the DOM before extraction: each test page is made up here."""
import pytest

import cleaner
from cleaner.errors import RuleError
from cleaner.ruleset import build_rule

_BODY = (
    "<p>The town council voted on Tuesday evening to fund a network of protected cycle lanes across the centre, "
    "ending a debate that has divided residents for more than two years.</p>"
    "<p>Supporters argued that the lanes would cut traffic and make the streets safer for children, while "
    "shop owners on the high street feared losing their parking spaces.</p>"
    "<p>Construction is expected to begin in the autumn and to last about eighteen months, the council said.</p>"
)


def _page(header: str, body: str = _BODY) -> str:
    return (f"<html><head><title>Council backs cycle lanes</title></head><body><article>"
            f"<h1>Council backs cycle lanes</h1>{header}<div class='body'>{body}</div></article></body></html>")


def test_a_heading_marked_as_the_description_goes_but_the_body_stays():
    dek = "The vote ends two years of debate over the plan, and work is to start in the autumn."
    result = cleaner.clean_html(_page(f'<h2 class="sub-head" itemprop="description">{dek}</h2>'))
    assert "two years of debate over the plan" not in result.text
    assert [r.rule for r in result.removals if r.text == dek] == ["standfirst-heading-node"]
    assert "Construction is expected to begin in the autumn" in result.text


def test_a_paragraph_marked_as_the_description_is_kept():
    body = _BODY.replace("<p>", '<p itemprop="description">', 1)
    result = cleaner.clean_html(_page("", body))
    assert "fund a network of protected cycle lanes" in result.text
    assert not [r for r in result.removals if r.rule == "standfirst-heading-node"]


_CARD = ('<span class="pop"><span><a href="/people/jane-ortiz">Jane Ortiz</a><a href="/news/pier">Harbour pier opens after two '
         'years</a> <a href="/news/budget">Budget vote delayed again</a> <a href="/people/jane-ortiz">MORE</a></span></span>')


def test_a_hover_card_after_a_name_goes_and_the_sentence_closes_up():
    body = _BODY.replace("<p>Supporters argued", f'<p>Mayor <a href="/people/jane-ortiz">Jane Ortiz</a>{_CARD} said supporters argued')
    result = cleaner.clean_html(_page("", body))
    assert "Mayor Jane Ortiz said supporters argued that the lanes" in result.text
    assert "Harbour pier opens" not in result.text and "MORE" not in result.text
    assert [r.rule for r in result.removals if r.rule == "hover-card-node"] == ["hover-card-node"]


def test_links_in_a_sentence_are_no_hover_card():
    links = ('Mayor <a href="/people/jane-ortiz">Jane Ortiz</a><span> and <a href="/people/jane-ortiz">her deputy</a>, '
             '<a href="/b">two councillors</a> and <a href="/c">the police chief</a></span> said supporters argued')
    result = cleaner.clean_html(_page("", _BODY.replace("Supporters argued", links)))
    assert "and her deputy, two councillors and the police chief said supporters argued" in result.text
    assert not [r for r in result.removals if r.rule == "hover-card-node"]


@pytest.mark.parametrize("key, value", [("min_links", 1), ("within", []), ("max_chars", -5), ("colour", "red")])
def test_bad_hover_card_parameters_are_rule_errors_naming_the_rule(key, value):
    spec = {"id": "bad-card", "description": "x", "kind": "hover-card", key: value}
    with pytest.raises(RuleError) as caught:
        build_rule(spec, "my-rules.yaml")
    assert "my-rules.yaml" in str(caught.value) and "bad-card" in str(caught.value)
