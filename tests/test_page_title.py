"""The `page-title` kind: in HTML mode, the page's own title printed as the extracted text's first line
goes, with offsets into the extracted text; a first line that is not the title word for word stays."""
from __future__ import annotations

import pytest

import cleaner
from cleaner.errors import RuleError
from cleaner.html import extract_text, parse
from cleaner.ruleset import build_rule, load_rules

RULE = "page-title-line"
TITLE = "Harbour works to start in spring"
BODY = (
    "<p>The council approved the plan for the harbour on Monday after a long debate about its cost, and the "
    "first lorries are expected on the quay in March.</p>"
    "<p>Work will take two years, the mayor said, and the ferry will use a temporary berth on the north side "
    "of the harbour while the old one is rebuilt.</p>"
)


def page(first: str, title: str = f"{TITLE} | Coast News", og: str | None = None) -> str:
    meta = f'<meta property="og:title" content="{og}">' if og else ""
    return (f"<html><head><title>{title}</title>{meta}</head><body><article>{first}{BODY}</article>"
            "<footer><p>Copyright 2026 Coast News.</p></footer></body></html>")


def title_removals(result) -> list:
    return [r for r in result.removals if r.rule == RULE]


def test_the_title_as_first_line_goes_with_offsets_into_the_extracted_text():
    html = page(f"<h1>{TITLE}</h1>")
    extracted = extract_text(parse(html))
    assert extracted.startswith(TITLE)
    result = cleaner.clean_html(html)
    [removal] = title_removals(result)
    assert (removal.start, removal.end, removal.line, removal.text) == (0, len(TITLE), 1, TITLE)
    assert extracted[removal.start:removal.end] == removal.text and removal.node is None
    assert result.text.startswith("The council approved the plan")
    assert result.status == "cleaned" and result.chars_in == len(extracted)


def test_the_title_is_found_in_the_head_without_the_site_name():
    """No h1: the first line is the `<title>` without its ' | Coast News'."""
    result = cleaner.clean_html(page(f"<h2>{TITLE}</h2>"))
    assert [r.text for r in title_removals(result)] == [TITLE]


@pytest.mark.parametrize("first", [
    f"<p>{TITLE}, the council said on Monday, after a vote that split the chamber down the middle.</p>",
    "<h2>Harbour works</h2>",
])
def test_a_first_line_that_is_not_the_title_word_for_word_stays(first):
    result = cleaner.clean_html(page(first))
    assert title_removals(result) == []
    assert result.text.split("\n")[0] in first


def test_a_later_line_equal_to_the_title_is_not_this_rules_business():
    html = page("<p>The council approved the plan for the harbour on Monday after a long debate.</p>"
                f"<h2>{TITLE}</h2>")
    assert title_removals(cleaner.clean_html(html)) == []


def test_sources_come_from_the_rule_file(tmp_path):
    (tmp_path / "og.yaml").write_text(
        "id: og-only\ndescription: the og:title alone\nkind: page-title\nsources: [og:title]\n", encoding="utf-8"
    )
    rules = load_rules([tmp_path / "og.yaml"], defaults=False)
    html = page(f"<h1>{TITLE}</h1>", title="Coast News", og="Another headline altogether")
    assert [r for r in cleaner.clean_html(html, rules=rules).removals if r.rule != "extraction"] == []
    html = page(f"<h1>{TITLE}</h1>", title="Coast News", og=TITLE)
    assert [r.rule for r in cleaner.clean_html(html, rules=rules).removals if r.rule != "extraction"] == ["og-only"]


@pytest.mark.parametrize("key, value", [("sources", ["h2"]), ("sources", "h1, title"), ("max_words", 0)])
def test_bad_parameters_are_rule_errors_naming_the_rule(key, value):
    spec = {"id": "bad-title", "description": "x", "kind": "page-title", key: value}
    with pytest.raises(RuleError) as caught:
        build_rule(spec, "my-rules.yaml")
    assert "my-rules.yaml" in str(caught.value) and "bad-title" in str(caught.value)


def test_text_input_has_no_page_title():
    result = cleaner.clean(f"{TITLE}\n\nThe council approved the plan for the harbour on Monday after a long debate.\n")
    assert title_removals(result) == []


def test_no_blank_line_is_left_where_the_title_was():
    from cleaner.html import drop_title_line
    from cleaner.model import Result

    rule = next(r for r in load_rules() if r.meta.id == RULE)
    text = f"{TITLE}\n\nThe council approved the plan.\n"
    result = Result(text=text, removals=[], chars_in=len(text), status="unchanged")
    dropped, removals = drop_title_line(text, result, rule, frozenset({TITLE.casefold()}))
    assert [r.text for r in removals] == [TITLE]
    assert dropped.text == "The council approved the plan.\n"
