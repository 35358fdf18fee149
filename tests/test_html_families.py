"""HTML-mode junk families handled on the DOM before extraction: each test page is made up here."""
import cleaner

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
