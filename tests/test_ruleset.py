"""Rule files: loading, validation errors that name the file and the rule, and the CLI's exit 2."""
from __future__ import annotations

import subprocess
import sys
from bisect import bisect_right

import pytest

import cleaner
from cleaner.document import Document
from cleaner.errors import RuleError

GOOD = "id: subscribe-now\ndescription: Call to subscribe\nkind: line\npattern: '^subscribe now!?$'\n"

BAD_FILES = {
    "unknown-key": (GOOD + "colour: red\n", "subscribe-now", "unknown key(s) colour"),
    "unknown-kind": ("id: x-y\ndescription: d\nkind: regexp\npattern: a\n", "x-y", "unknown kind 'regexp'"),
    "missing-kind-key": ("id: x-y\ndescription: d\nkind: line\n", "x-y", "exactly one of 'pattern', 'patterns'"),
    "missing-description": ("id: x-y\nkind: line\npattern: a\n", "x-y", "missing required key 'description'"),
    "bad-id": ("id: Not Kebab\ndescription: d\nkind: line\npattern: a\n", "Not Kebab", "kebab-case"),
    "backreference": ("id: x-y\ndescription: d\nkind: line\npattern: '(a)\\1'\n", "x-y", "RE2 cannot compile"),
    "lookahead": ("id: x-y\ndescription: d\nkind: line\npattern: 'a(?=b)'\n", "x-y", "RE2 cannot compile"),
    "bad-zone": (GOOD + "zone: middle\n", "subscribe-now", "'zone' must be one of"),
    "bad-number": ("id: x-y\ndescription: d\nkind: caption\ncredit: 'Photo:'\nmin_overlap: 2\n", "x-y", "'min_overlap'"),
    "block-without-end": ("id: x-y\ndescription: d\nkind: block\nstart: a\n", "x-y", "exactly one of 'end', 'take_next'"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_rule_is_an_error_naming_file_and_rule(tmp_path, name):
    content, rule_id, problem = BAD_FILES[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        cleaner.load_rules([path], defaults=False)
    message = str(caught.value)
    assert message.startswith(f"{path}: rule {rule_id}: "), message
    assert problem in message


@pytest.mark.parametrize("patterns, bad", [
    (["sign up", "(a)\\1", "a(?=b)"], "(a)\\1"),  # the Rust parser refuses it too
    (["sign up", "((a{100}){100}){100}"], "((a{100}){100}){100}"),  # RE2 alone refuses it (too large)
    (["((a{100}){100}){100}", "(unclosed"], "((a{100}){100}){100}"),  # the first bad one, in order
])
def test_a_list_of_patterns_names_its_first_bad_one(patterns, bad):
    with pytest.raises(ValueError) as caught:
        cleaner.patterns.compile_alternation(patterns)
    assert str(caught.value).startswith(f"RE2 cannot compile {bad!r}")


def test_a_list_of_patterns_matches_as_each_alone():
    regex = cleaner.patterns.compile_alternation(["sign up", "a)|(b", r"\d+ views"])
    assert [bool(regex.fullmatch(s)) for s in ("Sign Up", "12 views", "a", "b", "a)|(b")] == [True, True, True, True, False]


def test_duplicate_ids_name_both_files(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(RuleError, match=r"b\.yaml: rule subscribe-now: duplicate id: also defined in .*a\.yaml"):
        cleaner.load_rules([tmp_path], defaults=False)


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\ndescription: [unclosed\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"broken\.yaml: not valid YAML \(line \d+\)"):
        cleaner.load_rules([path], defaults=False)


def test_a_file_of_several_rules_and_a_shipped_pack_together(tmp_path):
    (tmp_path / "mine.yaml").write_text(
        "rules:\n"
        "  - id: my-promo\n    description: d\n    kind: phrase\n    phrases: [Buy the print edition]\n"
        "  - id: my-keep\n    description: d\n    kind: protect\n    pattern: 'Subscribe now'\n",
        encoding="utf-8",
    )
    rules = cleaner.load_rules([tmp_path])
    ids = [r.meta.id for r in rules]
    assert ids[-2:] == ["my-promo", "my-keep"] and "prev-next-article" in ids
    assert rules.hash != cleaner.load_rules().hash


def test_cli_prints_one_error_line_and_exits_2(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_FILES["backreference"][0], encoding="utf-8")
    (tmp_path / "in").mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--rules", str(path)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"Error: {path}: rule x-y: 'pattern': RE2 cannot compile")
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_protect_rule_wins_over_a_removal(tmp_path):
    (tmp_path / "keep.yaml").write_text(
        "id: keep-editors-note\ndescription: d\nkind: protect\npattern: 'share this article.*'\n", encoding="utf-8"
    )
    text = "Title of the piece\n\nShare this article\n\nA long paragraph of the article text that goes on for a while.\n"
    assert "Share this article" not in cleaner.clean(text).text
    kept = cleaner.clean(text, rules=cleaner.load_rules([tmp_path / "keep.yaml"]))
    assert "Share this article" in kept.text and not kept.removals


@pytest.mark.parametrize("block, guarded", [
    # 3 of 5 lines match: the block is a list of such lines, and its other items are kept with them.
    ("250 g Mehl\n4 Eier\n100 g Zucker\nSalz\n2 EL Milch", {0, 1, 2, 3, 4}),
    # 2 of 5 (under block_share) and 2 of 2 (under block_min): only the matching lines.
    ("250 g Mehl\nRezepte\nKontakt\n2 EL Milch\nImpressum", {0, 3}),
    ("250 g Mehl\n2 EL Milch", {0, 1}),
])
def test_a_protect_block_is_guarded_whole_when_most_of_its_lines_match(tmp_path, block, guarded):
    (tmp_path / "keep.yaml").write_text(
        "id: keep-quantities\ndescription: d\nkind: protect\npattern: '\\d+ (?:g|EL) \\pL+'\n"
        "block_share: 0.5\nblock_min: 3\n", encoding="utf-8"
    )
    rule = cleaner.load_rules([tmp_path / "keep.yaml"], defaults=False).rules[0]
    text = "A paragraph of the page that stands before the list, long enough to be prose.\n\n" + block + "\n\nAfter it.\n"
    doc = Document(text)
    first = 2  # the block's first line, after the paragraph and a blank line
    assert {index - first for index in _lines_of(doc, rule.find(doc))} == guarded


def _lines_of(doc, spans) -> set[int]:
    starts = [line.start for line in doc.lines]
    return {bisect_right(starts, span.start) - 1 for span in spans}


def test_site_scoped_rule_applies_only_to_its_site(tmp_path):
    (tmp_path / "site.yaml").write_text(
        "id: example-promo\ndescription: d\nkind: phrase\nphrases: [Get the app]\nsites: [example.com]\n", encoding="utf-8"
    )
    rules = cleaner.load_rules([tmp_path / "site.yaml"], defaults=False)
    text = "Get the app\n\nThe article itself, a sentence of reasonable length for a paragraph.\n"
    assert cleaner.clean(text, rules=rules).removals == []
    assert [r.rule for r in cleaner.clean(text, rules=rules, site="news.example.com").removals] == ["example-promo"]
    # for_site() remembers its answers per site: asked again, in any order, each site gets its own.
    for site in ("example.com", None, "example.org", "www.example.com", None):
        expected = ["example-promo"] if site and site.endswith("example.com") else []
        assert [rule.meta.id for rule in rules.for_site(site)] == expected, site
    assert cleaner.clean(text, rules=rules, site="example.org").removals == []
    # Sites no scoped rule names share one list (and so one matcher); a named site has its own.
    assert rules.for_site("example.org") is rules.for_site("other.net") is rules.for_site(None)
    assert rules.for_site("example.com") is not rules.for_site(None)


def test_the_same_rule_files_load_once_and_a_changed_file_loads_again(tmp_path):
    path = tmp_path / "mine.yaml"
    rule = "rules:\n  - id: mine\n    kind: phrase\n    reason: r\n    description: d\n    phrases: [{}]\n"
    path.write_text(rule.format("Share this"), encoding="utf-8")
    first = cleaner.load_rules([path], defaults=False)
    assert cleaner.load_rules([path], defaults=False) is first
    path.write_text(rule.format("Share that"), encoding="utf-8")  # same size, maybe the same mtime
    second = cleaner.load_rules([path], defaults=False)
    assert second is not first
    assert cleaner.clean("Share that\n\nThe article.\n", rules=second).text == "The article.\n"


ARTICLE_WITH_FOOTER = (
    "Bridge closes for repairs\n\nThe old river bridge will close for six weeks from Monday while engineers "
    "replace its worn bearings, the council said on Friday.\n\nBuses will take a detour through the industrial "
    "estate, and a temporary footbridge will open next to the railway station.\n\nPrivacy Policy\n"
)


def test_a_disabled_rule_is_left_out_and_changes_the_hash():
    full = cleaner.load_rules()
    without = cleaner.load_rules(disable=["footer-link"])
    assert "footer-link" not in [r.meta.id for r in without]
    assert len(without) == len(full) - 1 and without.hash != full.hash
    assert [r.rule for r in cleaner.clean(ARTICLE_WITH_FOOTER, rules=full).removals] == ["footer-link"]
    assert cleaner.clean(ARTICLE_WITH_FOOTER, rules=without).removals == []


def test_disabling_an_unknown_rule_is_an_error_naming_it():
    with pytest.raises(RuleError) as caught:
        cleaner.load_rules(disable=["footer-link", "no-such-rule"])
    assert str(caught.value).startswith("--disable: rule no-such-rule: no such rule")


def test_cli_disable_keeps_the_line_and_an_unknown_id_exits_2(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(ARTICLE_WITH_FOOTER, encoding="utf-8")
    command = [sys.executable, "-m", "cleaner", "clean", str(page), "--out", str(tmp_path / "out")]
    kept = subprocess.run([*command, "--disable", "footer-link"], capture_output=True, text=True)
    assert kept.returncode == 0 and (tmp_path / "out" / "page.txt").read_text(encoding="utf-8").endswith("Privacy Policy\n")
    wrong = subprocess.run([*command, "--force", "--disable", "footer-lnk"], capture_output=True, text=True)
    assert wrong.returncode == 2 and wrong.stderr.strip() == (
        "Error: --disable: rule footer-lnk: no such rule in the loaded files (`cleaner rules list` shows the ids)"
    )
    again = subprocess.run(command, capture_output=True, text=True)  # the full pack: a new hash, so redone
    assert again.returncode == 0 and not (tmp_path / "out" / "page.txt").read_text(encoding="utf-8").endswith("Policy\n")
