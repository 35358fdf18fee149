"""Every shipped rule carries examples, and every example does what it says (one parametrized runner)."""
from __future__ import annotations

import pytest

import cleaner
from cleaner.examples import check_examples

RULES = list(cleaner.load_rules())


@pytest.mark.parametrize("rule", RULES, ids=[r.meta.id for r in RULES])
def test_rule_has_remove_and_keep_examples(rule):
    # A protect rule's `keep` examples are lines it guards, its `remove` ones look-alikes it must not.
    assert rule.meta.examples_remove, f"{rule.meta.id} has no 'remove' examples"
    assert rule.meta.examples_keep, f"{rule.meta.id} has no 'keep' examples"


@pytest.mark.parametrize("rule", RULES, ids=[r.meta.id for r in RULES])
def test_rule_examples_hold(rule):
    failures = check_examples(rule)
    assert not failures, "\n".join(map(str, failures))


def test_the_runner_catches_a_wrong_example(tmp_path):
    """A rule whose keep example is something it removes must fail, naming the rule."""
    (tmp_path / "bad.yaml").write_text(
        "id: subscribe-now\ndescription: Call to subscribe\nkind: line\npattern: 'subscribe now!?'\n"
        "examples:\n  remove: ['Subscribe now!']\n  keep: ['Subscribe now']\n",
        encoding="utf-8",
    )
    rules = cleaner.load_rules([tmp_path], defaults=False)
    failures = check_examples(rules.by_id("subscribe-now"))
    assert len(failures) == 1
    assert failures[0].rule == "subscribe-now" and failures[0].side == "keep"


def test_protect_examples_are_checked_line_by_line(tmp_path):
    """A protect rule's keep line it does not guard, and a remove line it does guard, both fail."""
    (tmp_path / "guard.yaml").write_text(
        "id: guard-prices\ndescription: Price lines\nkind: protect\npattern: '\\d+ euros?'\n"
        "examples:\n  remove: ['12 euros', '3 comments']\n  keep: [\"40 euros\\n5 comments\"]\n",
        encoding="utf-8",
    )
    rules = cleaner.load_rules([tmp_path], defaults=False)
    failures = check_examples(rules.by_id("guard-prices"))
    assert sorted((f.side, f.example) for f in failures) == [("keep", "40 euros\n5 comments"), ("remove", "12 euros")]
    assert "'5 comments' is not guarded" in failures[[f.side for f in failures].index("keep")].problem
