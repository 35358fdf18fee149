"""The article core (Document.core) and the `heuristic` rule kind on whole-page text."""
from __future__ import annotations

import pytest

import cleaner
from cleaner.document import Document
from cleaner.errors import RuleError
from cleaner.ruleset import build_rule

PARAGRAPHS = [
    "The town council voted on Tuesday evening to fund a network of protected cycle lanes across the "
    "centre, ending a debate that has divided residents for more than two years.",
    "Supporters argued that the lanes would cut traffic and make the streets safer for children, while "
    "shop owners worried that losing parking spaces would keep customers away from the high street.",
    "Construction is expected to begin in the autumn and to last about eighteen months, according to the "
    "council's transport officer, who presented the final budget to the members.",
]
MENU = ["Home", "News", "Sport", "Weather", "Contact", "Imprint", "Newsletter", "Log in"]
FOOTER_PROSE = "We are a small independent newsroom funded by our readers, and every donation helps us report."
TITLE = "Town council backs plan for new cycle lanes"


def page(*blocks: str) -> str:
    return "\n\n".join(blocks) + "\n"


def line_index(doc: Document, startswith: str) -> int:
    return next(line.index for line in doc.lines if line.plain.startswith(startswith))


def heuristic(**params):
    spec = {"id": "test-heuristic", "description": "test", "kind": "heuristic", "reason": "page furniture"}
    spec.update(params)
    return build_rule(spec, "test.yaml")


def run(text: str, *rules):
    return cleaner.clean(text, rules=cleaner.ruleset.RuleSet(tuple(rules), "test"))


# The core ---------------------------------------------------------------------------------------


def test_core_is_the_article_not_an_outlying_footer_paragraph():
    text = page(*MENU, TITLE, *PARAGRAPHS, *MENU, FOOTER_PROSE)
    doc = Document(text)
    assert doc.core == (line_index(doc, "The town council"), line_index(doc, "Construction is"))
    assert doc.zone(line_index(doc, "We are a small")) == "tail"
    assert doc.zone(line_index(doc, TITLE)) == "head"


def test_core_grows_over_an_ingredient_list_to_the_opening_paragraph():
    ingredients = ["200 g flour", "150 g sugar", "3 eggs", "150 g butter", "4 apples"]
    text = page(TITLE, PARAGRAPHS[0], "For a 26 cm tin you need:", *ingredients, PARAGRAPHS[1], PARAGRAPHS[2])
    doc = Document(text)
    assert doc.core[0] == line_index(doc, "The town council")


def test_a_glued_archive_menu_is_not_prose_for_the_core():
    archive = "Archive " + " ".join(f"{month} 2020 (3)" for month in ["January", "February", "March"] * 12)
    text = page(TITLE, *PARAGRAPHS, *MENU, archive)
    doc = Document(text)
    assert doc.core[1] == line_index(doc, "Construction is")


def test_a_long_cookie_notice_can_be_excluded_from_the_core():
    notice = ("We use cookies to store and access information on your device, and by continuing to browse "
              "you agree to our use of cookies for analytics, advertising and the personalisation of content. ") * 3
    text = page(TITLE, PARAGRAPHS[0], *MENU, notice.strip())
    doc = Document(text)
    assert doc.core == (line_index(doc, "We use cookies"),) * 2  # by length alone the notice wins
    not_core = cleaner.patterns.compile_regex(r"\bcookies?\b")
    index = line_index(doc, "The town council")
    assert doc.core_excluding(not_core) == (index, index)
    assert doc.core == (line_index(doc, "We use cookies"),) * 2  # the default core is unchanged


@pytest.mark.parametrize("opening, closing", [("\u201e", "\u201c"), ("\u00bb", "\u00ab"), ("\u201a", "\u2018")])
def test_a_german_quotation_closes_a_sentence(opening, closing):
    # German quotes close with \u201c, \u00ab or \u2018 (\u201equote\u201c, \u00bbquote\u00ab, \u201aquote\u2018).
    quote = f"{opening}Ich wei\u00df, ich bin m\u00fcde und sollte das vielleicht heute Abend nicht mehr sagen{closing}"
    assert Document(quote + "\n").lines[0].is_prose
    assert not Document(quote[:-1] + "\n").lines[0].is_prose


# outside-core -----------------------------------------------------------------------------------

OUTSIDE = dict(detector="outside-core", max_words=16, min_lines=6, min_evidence=2, keep_title=1, prose_too=True,
               evidence=["home|contact|imprint|log in|newsletter|privacy"])


def test_outside_core_removes_menus_and_footer_and_keeps_title_and_article():
    text = page(*MENU, TITLE, *PARAGRAPHS, "Share", *MENU, FOOTER_PROSE)
    result = run(text, heuristic(**OUTSIDE))
    kept = [line for line in result.text.splitlines() if line]
    assert kept == [TITLE, *PARAGRAPHS]
    reasons = {removal.reason for removal in result.removals}
    assert reasons == {"page furniture: outside the article core (max_words=16, min_lines=6, min_evidence=2)"}
    assert {removal.rule for removal in result.removals} == {"test-heuristic"}


def test_a_photo_credit_above_the_article_is_not_kept_as_its_title():
    caption = "Cyclists on the new lane (Photo: Jane Doe)"
    text = page(*MENU, TITLE, caption, *PARAGRAPHS, "Share", *MENU)
    kept = [line for line in run(text, heuristic(**OUTSIDE, not_title=[r"\(photo\b"])).text.splitlines() if line]
    assert kept == [TITLE, *PARAGRAPHS]
    kept = [line for line in run(text, heuristic(**OUTSIDE)).text.splitlines() if line]
    assert kept == [caption, *PARAGRAPHS]  # without not_title the caption passes for the title


@pytest.mark.parametrize("stamp", ["February 7, 2020", "07.02.2020, 14:30 Uhr", "2020-02-07 14:30"])
def test_a_date_line_above_the_article_is_not_kept_as_its_title(stamp):
    """A date has words enough for a title but not of letters: taking it for the title let the title go."""
    text = page(*MENU, TITLE, stamp, *PARAGRAPHS, "Share", *MENU)
    kept = [line for line in run(text, heuristic(**OUTSIDE)).text.splitlines() if line]
    assert kept == [TITLE, *PARAGRAPHS]


STANDFIRST = "Riders and shop owners will both have their say before the first lane is painted, the mayor promised."
SHARE_BAR = ["By Jane Doe", "Share", "Facebook", "Twitter", "Email"]
SHARE_EVIDENCE = ["home|contact|imprint|log in|newsletter|privacy|share|facebook|twitter|email"]
BYLINE = [r"^by\s+(?-i:\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+){1,3})$"]


def test_a_standfirst_is_kept_with_the_title_across_a_byline_and_share_bar():
    text = page(*MENU, TITLE, STANDFIRST, *SHARE_BAR, *PARAGRAPHS, *MENU)
    params = dict(OUTSIDE, evidence=SHARE_EVIDENCE, not_title=BYLINE)
    kept = [line for line in run(text, heuristic(**params, keep_standfirst=2)).text.splitlines() if line]
    assert kept == [TITLE, STANDFIRST, *PARAGRAPHS]
    # Without keep_standfirst the standfirst passes for the title, and the title goes; without not_title
    # the byline does, and both go.
    kept = [line for line in run(text, heuristic(**params)).text.splitlines() if line]
    assert kept == [STANDFIRST, *PARAGRAPHS]
    kept = [line for line in run(text, heuristic(**dict(params, not_title=["nothing-like-it"]))).text.splitlines()
            if line]
    assert kept == ["By Jane Doe", *PARAGRAPHS]


@pytest.mark.parametrize("above", ["* Another story entirely", "o Another story entirely",
                                   "Updated 5:27 am CST, Wednesday", "Another story ends here."])
def test_a_list_item_a_stamp_or_a_sentence_is_no_title_above_a_standfirst(above):
    text = page(*MENU, above, STANDFIRST, *SHARE_BAR, *PARAGRAPHS, *MENU)
    params = dict(OUTSIDE, evidence=SHARE_EVIDENCE, not_title=BYLINE, keep_standfirst=2)
    kept = [line for line in run(text, heuristic(**params)).text.splitlines() if line]
    assert kept == [STANDFIRST, *PARAGRAPHS]


def test_a_caption_set_as_a_list_item_is_passed_over_not_kept_as_standfirst():
    caption = "* Cyclists ride past the town hall where the council met."
    text = page(*MENU, TITLE, STANDFIRST, caption, *SHARE_BAR, *PARAGRAPHS, *MENU)
    params = dict(OUTSIDE, evidence=SHARE_EVIDENCE, not_title=BYLINE, keep_standfirst=2)
    kept = [line for line in run(text, heuristic(**params)).text.splitlines() if line]
    assert kept == [TITLE, STANDFIRST, *PARAGRAPHS]


def test_more_prose_than_a_standfirst_above_the_core_finds_no_title():
    two = ["Riders and shop owners will both have their say first.",
           "The mayor promised a vote before the first lane is painted."]
    text = page(*MENU, TITLE, *two, *SHARE_BAR, *PARAGRAPHS, *MENU)
    params = dict(OUTSIDE, evidence=SHARE_EVIDENCE, not_title=BYLINE)
    kept = [line for line in run(text, heuristic(**params, keep_standfirst=1)).text.splitlines() if line]
    assert TITLE not in kept
    kept = [line for line in run(text, heuristic(**params, keep_standfirst=2)).text.splitlines() if line]
    assert kept[0] == TITLE


def test_shipped_pack_keeps_title_and_standfirst_above_a_byline_date_and_share_bar():
    text = page(*MENU, TITLE, STANDFIRST, "By Jane Doe", "March 3, 2026", "Share", "Facebook", "Twitter",
                *PARAGRAPHS, *MENU, "© 2026 Example News")
    assert [line for line in cleaner.clean(text).text.splitlines() if line] == [TITLE, STANDFIRST, *PARAGRAPHS]


def test_outside_core_leaves_an_extracted_articles_list_alone():
    steps = ["Ingredients", "200 g flour", "150 g sugar", "3 eggs", "150 g butter", "4 apples", "A pinch of salt"]
    text = page(TITLE, *PARAGRAPHS, *steps)
    assert run(text, heuristic(**OUTSIDE)).removals == []


def test_prose_between_the_core_and_the_first_furniture_label_stays():
    closing = "The mayor said she would ride the first finished lane herself, weather permitting, next spring."
    teasers = [f"Other story headline number {n}" for n in range(6)]
    text = page(TITLE, *PARAGRAPHS, *teasers, closing, *MENU)
    result = run(text, heuristic(**OUTSIDE))
    assert closing in result.text
    assert "Other story headline number 3" not in result.text


def test_outside_core_needs_an_article_to_measure_by():
    text = page(*MENU, "A short caption of a photo.", *MENU)
    assert run(text, heuristic(**OUTSIDE)).removals == []


WEAK = dict(OUTSIDE, weak_core="menu-blocks", weak_core_max_words=3)
SHORT_ARTICLE = [
    "The mayor cut the ribbon on the first protected cycle lane on Tuesday, two years after the council voted "
    "to fund the network across the centre.",
    "\u201eIs it finished?\u201c asked a child at the front of the crowd.",
    "\u2013 \u201eNot yet, but soon.\u201c",
]


def test_weak_core_removes_only_menu_blocks():
    text = page(*MENU, TITLE, *SHORT_ARTICLE, "Share", *MENU)
    result = run(text, heuristic(**WEAK))
    kept = [line for line in result.text.splitlines() if line]
    assert kept == [TITLE, *SHORT_ARTICLE]
    assert all("menu block around a weak core" in removal.reason for removal in result.removals)


def test_weak_core_keeps_short_lines_of_more_words_and_menus_without_labels():
    dialogue = ["\u201eWhere are you going tonight?\u201c", "\u2013 \u201eTo the cinema with Anna.\u201c",
                "\u2013 \u201eCan I come along too?\u201c", "\u2013 \u201eOnly if you pay for the popcorn.\u201c"]
    sections = ["Politics", "Business", "Culture", "Science", "Travel", "Weather"]
    text = page(*dialogue, "Share", "Facebook", TITLE, SHORT_ARTICLE[0], *sections)
    result = run(text, heuristic(**WEAK))
    assert all(line in result.text for line in [*dialogue, *sections, SHORT_ARTICLE[0]])


def test_weak_core_needs_a_paragraph_to_place_by():
    form = [f"You are commenting using your {name} account. ( Log Out / Change )" for name in ("X", "Y", "Z")]
    text = page(*MENU, *form, *MENU)
    assert run(text, heuristic(**WEAK)).removals == []


# short-line-run and link-like -------------------------------------------------------------------


def test_short_line_run_outside_the_core_only():
    subheads = ["Costs", "Timeline", "Parking", "Schools"]
    text = page(TITLE, PARAGRAPHS[0], *subheads, PARAGRAPHS[1], PARAGRAPHS[2], *MENU)
    result = run(text, heuristic(detector="short-line-run", min_run=4, max_words=6))
    assert all(sub in result.text for sub in subheads)
    assert "Newsletter" not in result.text
    assert result.removals[0].reason.endswith("short-line run (min_run=4, max_words=6)")


def test_link_row_outside_the_core_but_not_a_table_row_inside():
    table = "| Team | Played | Won | Lost |"
    text = page("Home | News | Sport | Weather", TITLE, PARAGRAPHS[0], table, *PARAGRAPHS[1:])
    result = run(text, heuristic(detector="link-like", max_words=20))
    assert [removal.text for removal in result.removals] == ["Home | News | Sport | Weather"]


# rule errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, problem",
    [
        ({"detector": "menus"}, "'detector' must be one of"),
        ({"detector": "outside-core", "max_words": 0}, "'max_words' must be a whole number >= 1"),
        ({"detector": "outside-core", "evidence": "(unclosed"}, "RE2 cannot compile"),
        ({"detector": "outside-core", "side": "middle"}, "'side' must be one of"),
    ],
)
def test_bad_parameters_are_rule_errors(params, problem):
    with pytest.raises(RuleError, match=r"test\.yaml: rule test-heuristic: .*" + problem.replace("(", r"\(")):
        heuristic(**params)


def test_shipped_pack_cleans_a_whole_page_and_keeps_an_extracted_article():
    text = page(*MENU, TITLE, *PARAGRAPHS, "Share", "Facebook", "Twitter", *MENU, "© 2026 Example News")
    result = cleaner.clean(text)
    assert [line for line in result.text.splitlines() if line] == [TITLE, *PARAGRAPHS]
    extracted = page(TITLE, *PARAGRAPHS)
    assert cleaner.clean(extracted).removals == []


# whole-page structure: CJK prose, page-level evidence, article-end headings, boundaries ---------


def test_cjk_sentences_count_as_prose_by_their_characters():
    doc = Document("今回はパソコンのショートカットキーの問題について、解決方法をわかりやすく説明します。\nホーム\n")
    sentence, label = doc.lines[0], doc.lines[1]
    assert sentence.is_prose and sentence.n_words >= 20
    assert not label.is_prose and label.n_words == 1


def test_evidence_on_one_side_qualifies_the_other_side_too():
    # The head shows menu labels; the tail has none of its own, yet its short lines are furniture.
    teasers = [f"Other story headline number {n}" for n in range(7)]
    text = page(*MENU, TITLE, *PARAGRAPHS, *teasers)
    result = run(text, heuristic(**OUTSIDE))
    assert [line for line in result.text.splitlines() if line] == [TITLE, *PARAGRAPHS]


END = dict(OUTSIDE, article_end=["comments|related posts"], min_core_words=30)
COMMENT = "I disagree with the council entirely, because the lanes will make the traffic on the ring road far worse."


def test_an_article_end_heading_cuts_the_core_before_a_comment_thread():
    text = page(TITLE, *PARAGRAPHS, "Comments", "jane", COMMENT, "bob", COMMENT.replace("I disagree", "We agree"),
                *MENU)
    result = run(text, heuristic(**END))
    assert [line for line in result.text.splitlines() if line] == [TITLE, *PARAGRAPHS]
    assert run(text, heuristic(**OUTSIDE)).text.count("the ring road") == 2  # without it the thread stays


def test_a_related_box_early_in_the_article_does_not_cut_it():
    text = page(TITLE, PARAGRAPHS[0], "Related posts", "Another story headline here", *PARAGRAPHS[1:],
                PARAGRAPHS[0].replace("Tuesday", "Monday"), *MENU)
    result = run(text, heuristic(**END))
    assert all(paragraph in result.text for paragraph in PARAGRAPHS)

INLINE_BOX = dict(END, inline_box=5)
BOX = ["Related posts", "* Harbour reopens after storm repairs", "* Library extends its opening hours",
       "* Mayor opens the new bus station"]
# Long enough for the max-sum core to reach it across the box, short of a third of the article's prose.
LAST_PARAGRAPH = ("Work on the first lanes is due to start near the station in September, the transport officer "
                  "added after the vote.")


def test_a_related_box_before_the_articles_last_paragraph_does_not_cut_it():
    text = page(TITLE, *PARAGRAPHS, PARAGRAPHS[0].replace("Tuesday", "Monday"), "\n".join(BOX), LAST_PARAGRAPH, *MENU)
    assert LAST_PARAGRAPH not in run(text, heuristic(**END)).text  # the 2/3 share alone cuts before the box
    result = run(text, heuristic(**INLINE_BOX))
    assert LAST_PARAGRAPH in result.text and all(paragraph in result.text for paragraph in PARAGRAPHS)
    assert not any(item in result.text for item in MENU)
    # More headlines than inline_box: a list after the article, not a box set into it.
    assert LAST_PARAGRAPH not in run(text, heuristic(**dict(INLINE_BOX, inline_box=2))).text


@pytest.mark.parametrize("box", [
    BOX[:2],  # one headline: a teaser's headline and its summary, not a box of links
    [BOX[0], BOX[1], "Newsletter", BOX[2]],  # a furniture label: the page's, not the article's
    [BOX[0], "Harbour reopens after storm repairs", "By Jane Doe"],  # a teaser's headline and byline, no list
])
def test_what_is_no_inline_box_still_cuts_the_core(box):
    text = page(TITLE, *PARAGRAPHS, PARAGRAPHS[0].replace("Tuesday", "Monday"), "\n".join(box), LAST_PARAGRAPH, *MENU)
    assert LAST_PARAGRAPH not in run(text, heuristic(**INLINE_BOX)).text



def test_a_boundary_cost_keeps_the_core_from_running_across_a_share_bar():
    teasers = [PARAGRAPHS[1].replace("Supporters", f"Readers of story {n}") for n in range(2)]
    text = page(TITLE, *PARAGRAPHS, "Share", "Home", *teasers)
    doc = Document(text)
    evidence = cleaner.patterns.compile_alternation(["share|home"])
    assert doc.core_excluding(None)[1] == line_index(doc, "Readers of story 1")
    assert doc.core_excluding(None, evidence, 40)[1] == line_index(doc, "Construction is")


# duplicate ------------------------------------------------------------------------------------------


def test_the_title_copy_nearest_the_article_stays():
    duplicate = build_rule({"id": "dup", "description": "d", "kind": "duplicate", "within_lines": 0}, "test.yaml")
    text = page(*MENU[:3], TITLE, *MENU[3:], TITLE, *PARAGRAPHS)
    result = run(text, duplicate)
    doc = Document(text)
    assert [removal.line - 1 for removal in result.removals] == [line_index(doc, TITLE)]
    kept = result.text.splitlines()
    assert kept.index(TITLE) == kept.index(PARAGRAPHS[0]) - 2


# teaser lists ---------------------------------------------------------------------------------------

TEASERS = [
    ("Harbour reopens after storm repairs",
     "The harbour in the old town reopened on Monday after three months of repairs to the storm-damaged pier."),
    ("Library extends its opening hours",
     "From next week the central library will stay open until nine in the evening on weekdays, the city said."),
    ("New bakery wins regional prize",
     "A bakery that opened only last spring has won the regional prize for the best rye bread in the county."),
    ("Football club signs young striker",
     "The local football club has signed a nineteen-year-old striker from the youth team on a three-year deal."),
]


def teaser_page(teasers) -> str:
    return page(*MENU, TITLE, *PARAGRAPHS, "More news", *[part for pair in teasers for part in pair], *MENU)


def test_a_teaser_list_after_the_article_is_no_part_of_the_core():
    doc = Document(teaser_page(TEASERS))
    article = (line_index(doc, "The town council"), line_index(doc, "Construction is"))
    assert doc.core_excluding(teaser=(3, 40)) == article
    assert doc.core != article  # by prose alone the summaries carry the core on into the list
    result = run(teaser_page(TEASERS), heuristic(**OUTSIDE, teaser_units=3, teaser_max_words=40))
    assert all(paragraph in result.text for paragraph in PARAGRAPHS)
    assert not any(summary in result.text for _, summary in TEASERS)


def test_two_teasers_or_a_numbered_list_are_not_a_teaser_list():
    doc = Document(teaser_page(TEASERS[:2]))
    assert doc.teaser_summaries(3, 40) == []
    numbered = [(f"{n}. {headline}", summary) for n, (headline, summary) in enumerate(TEASERS, 1)]
    doc = Document(teaser_page(numbered))
    assert doc.teaser_summaries(3, 40) == []
    assert len(Document(teaser_page(TEASERS)).teaser_summaries(3, 40)) == 4


# comment headings -------------------------------------------------------------------------------------

COMMENTS_END = dict(OUTSIDE, comment_end=["comments"], comment_end_share=0.3, min_core_words=30)
THREAD = [part for n in range(5) for part in (f"reader{n}", "2 days ago", COMMENT.replace("I disagree", f"Reader {n} disagrees"))]


def test_a_comment_heading_cuts_the_core_before_a_thread_longer_than_the_article():
    text = page(TITLE, *PARAGRAPHS, "Comments", *THREAD, *MENU)
    result = run(text, heuristic(**COMMENTS_END))
    assert [line for line in result.text.splitlines() if line] == [TITLE, *PARAGRAPHS]
    # At the 2/3 share of other article-end headings the long thread outweighs the article and stays.
    kept = run(text, heuristic(**dict(COMMENTS_END, comment_end_share=2 / 3))).text
    assert kept.count("the ring road") == 5


def test_a_comments_line_early_in_the_article_does_not_cut_it():
    text = page(TITLE, PARAGRAPHS[0], "Comments", *PARAGRAPHS[1:], *[p.replace("council", "city") for p in PARAGRAPHS],
                *MENU)
    result = run(text, heuristic(**COMMENTS_END))
    assert all(paragraph in result.text for paragraph in PARAGRAPHS)


# a teaser list after an article-end heading ---------------------------------------------------------

SPARSE_END = dict(END, sparse_end_share=0.1, sparse_window=12)
# Teasers with long summaries (over teaser_max_words) and a date and a link between them: each
# summary reads as prose, and together they outweigh a short article.
LONG_TEASERS = [part for headline, summary in TEASERS
                for part in (headline, "Monday, 3 June", summary + " " + summary, "Read more")]


def test_a_teaser_list_with_long_summaries_after_a_related_heading_is_cut_off():
    text = page(TITLE, *PARAGRAPHS, "Related posts", *LONG_TEASERS, *MENU)
    assert "harbour in the old town" in run(text, heuristic(**END)).text  # the 2/3 share alone keeps them
    result = run(text, heuristic(**SPARSE_END))
    assert [line for line in result.text.splitlines() if line] == [TITLE, *PARAGRAPHS]


def test_a_related_box_followed_by_the_articles_paragraphs_does_not_cut_it():
    box = [headline for headline, _ in TEASERS]
    more = [p.replace("council", "city") for p in PARAGRAPHS]
    text = page(TITLE, *PARAGRAPHS, "Related posts", *box, *more, *more[:2], *MENU)
    result = run(text, heuristic(**SPARSE_END))
    assert all(paragraph in result.text for paragraph in [*PARAGRAPHS, *more])


def test_sparse_end_share_must_be_a_share():
    with pytest.raises(RuleError):
        heuristic(**dict(SPARSE_END, sparse_end_share=2))


# repeated runs of paragraphs ------------------------------------------------------------------------


def repeated_runs(min_run=3):
    spec = {"id": "dup-runs", "description": "d", "kind": "duplicate", "min_run": min_run, "min_chars": 60}
    return build_rule(spec, "test.yaml")


def test_a_run_of_paragraphs_printed_twice_loses_its_second_copy():
    # The copies' paragraphs are set apart differently (bullets in the first): only prose lines count.
    text = page(TITLE, "\n-\n".join(PARAGRAPHS), *MENU, *PARAGRAPHS)
    result = run(text, repeated_runs())
    assert all(result.text.count(paragraph) == 1 for paragraph in PARAGRAPHS)
    assert result.text.index(PARAGRAPHS[0]) < result.text.index("Home")  # the first copy stays
    assert all(run(text, repeated_runs(4)).text.count(paragraph) == 2 for paragraph in PARAGRAPHS)


def test_an_interviews_repeated_question_stays():
    question = "Why did the council wait two years before it decided to fund the lanes across the centre?"
    answers = [p.replace("The town council", "We") for p in PARAGRAPHS]
    text = page(TITLE, question, answers[0], question, answers[1], PARAGRAPHS[0], question, answers[2])
    assert run(text, repeated_runs()).removals == []


# tables -------------------------------------------------------------------------------------------

# A table as inscriptis renders one: cells padded into aligned columns.
TABLE = [
    "Pos.  Driver            Points  Wins",
    *[f"{n:<5} {name:<17} {5040 - 37 * n:>6}  {n % 3:>4}" for n, name in enumerate(
        ["Kyle Busch", "Martin Truex Jr.", "Kevin Harvick", "Denny Hamlin", "Joey Logano", "Ryan Blaney",
         "Kyle Larson", "Brad Keselowski", "Clint Bowyer", "Chase Elliott", "William Byron", "Alex Bowman"], 1)],
]


def test_a_table_is_found_by_its_aligned_cells_but_a_calendar_is_not():
    doc = Document(page("\n".join(TABLE)))
    assert doc.tables(3) == [(0, len(TABLE) - 1)]
    calendar = ["M   D   M   D   F   S   S", "1   2   3   4   5   6   7", "8   9   10  11  12  13  14",
                "15  16  17  18  19  20  21"]
    assert Document(page("\n".join(calendar))).tables(3) == []  # day numbers, no words: no article's table
    ragged = ["Home  News", "Sport   Weather  Contact", "Imprint     Log in"]
    assert Document(page("\n".join(ragged))).tables(3) == []  # no column of spaces runs through them


def test_a_table_next_to_the_core_stays_and_the_menu_goes():
    text = page(*MENU, TITLE, *PARAGRAPHS, "Final standings:", "\n".join(TABLE), *MENU)
    removed = run(text, heuristic(**OUTSIDE)).text
    assert TABLE[1] not in removed  # without table_rows the table is furniture
    result = run(text, heuristic(**OUTSIDE, table_rows=3, table_gap=2))
    assert all(row in result.text for row in TABLE)
    assert "Final standings:" in result.text
    assert "Newsletter" not in result.text
    far = page(*MENU, TITLE, *PARAGRAPHS, *MENU, "\n".join(TABLE), "Imprint")
    assert TABLE[1] not in run(far, heuristic(**OUTSIDE, table_rows=3, table_gap=2)).text


TOUR = ["The band's tour dates:", "June 9 -- Coral Sky Amphitheatre, West Palm Beach, FL",
        "June 10 -- Credit Union Amphitheatre, Tampa, FL", "June 14 -- Bank Amphitheatre, Alpharetta, GA",
        "June 17 -- Bridgestone Arena, Nashville, TN"]


def test_a_list_right_after_the_core_stays_but_not_one_with_furniture_labels():
    text = page(*MENU, TITLE, *PARAGRAPHS, "\n".join(TOUR), *MENU)
    assert TOUR[1] not in run(text, heuristic(**OUTSIDE)).text  # without list_rows the list is furniture
    result = run(text, heuristic(**OUTSIDE, list_rows=3))
    assert all(item in result.text for item in TOUR)
    assert "Newsletter" not in result.text
    menu_block = page(*MENU, TITLE, *PARAGRAPHS, "\n".join([*TOUR[1:], "Contact"]), *MENU)
    assert TOUR[1] not in run(menu_block, heuristic(**OUTSIDE, list_rows=3)).text
    nested = page(*MENU, TITLE, *PARAGRAPHS, "\n".join([TOUR[0], *("    " + item for item in TOUR[1:])]), *MENU)
    assert TOUR[1] not in run(nested, heuristic(**OUTSIDE, list_rows=3)).text  # a menu's nesting, no flat list
    second = page(*MENU, TITLE, *PARAGRAPHS, "\n".join(TOUR), "\n".join(TOUR[1:]).replace("June", "July"), *MENU)
    kept = run(second, heuristic(**OUTSIDE, list_rows=3)).text
    assert TOUR[1] in kept and TOUR[1].replace("June", "July") not in kept  # a list ends the article


# glued teasers ------------------------------------------------------------------------------------

GLUED = [
    "Police Arrest Two After Death Of Local Student-AthleteA 24-year-old woman and a 28-year-old man were "
    "taken into custody on Tuesday, police said.",
    "Customers Leave Without Paying Big Bill At SteakhouseA party of six left the restaurant without paying "
    "for a dinner that cost them almost seven hundred dollars.",
    "State To Mail Redistricting Panel Applications To 250,000The state will mail applications to a quarter "
    "of a million randomly chosen voters this autumn, officials said.",
    "Mayor Says Move For Health Benefits Will Not StandThe mayor says it was a despicable move and that he "
    "will fight the decision of the council in court if he has to.",
]


def test_headlines_glued_to_their_summaries_are_teasers_not_the_core():
    text = page(*MENU, "Latest Headlines", "\n".join(GLUED), *MENU, TITLE, *PARAGRAPHS, *MENU)
    doc = Document(text)
    article = (line_index(doc, "The town council"), line_index(doc, "Construction is"))
    assert doc.core != article  # by prose alone the menu's teasers carry the core
    assert doc.core_excluding(teaser=(3, 40, 2)) == article
    result = run(text, heuristic(**OUTSIDE, teaser_units=3, teaser_max_words=40, glued_run=2))
    assert all(paragraph in result.text for paragraph in PARAGRAPHS)
    assert not any(teaser[:30] in result.text for teaser in GLUED)


def test_a_brand_in_camel_case_is_no_glue():
    lines = ["Many people in our survey said that they use LinkedIn every day to find work and to stay in touch.",
             "Others said that LinkedIn was of little use to them and that they had left it some years ago."]
    assert Document(page("\n".join(lines))).glued_teasers(2) == []
    assert len(Document(page("\n".join(GLUED))).glued_teasers(2)) == len(GLUED)
    assert Document(page("\n\n".join(GLUED[:1]))).glued_teasers(2) == []  # one alone is no run
