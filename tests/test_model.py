"""Removal.to_dict() is the report record's removal: every field, in field order, `node` only when set.
The engine's Removals, made without __init__, are the objects Removal(...) makes."""
from dataclasses import FrozenInstanceError, fields, replace

import pytest

import cleaner
from cleaner.model import Removal


def test_to_dict_carries_every_field_in_order():
    removal = Removal(rule="r", file="f.yaml", start=3, end=9, line=2, text="Share", reason="why", node="/html/body/div")
    assert list(removal.to_dict()) == [f.name for f in fields(Removal)]
    assert removal.to_dict() == {f.name: getattr(removal, f.name) for f in fields(Removal)}


def test_to_dict_leaves_out_an_unset_node():
    record = Removal(rule="r", file="f.yaml", start=3, end=9, line=2, text="Share", reason="why").to_dict()
    assert "node" not in record
    assert list(record) == [f.name for f in fields(Removal) if f.name != "node"]


def test_the_engines_removals_are_the_removals_the_constructor_makes(tmp_path):
    """The Rust engine fills each Removal's fields itself (src/engine.rs), not through __init__."""
    (tmp_path / "r.yaml").write_text("id: junk\ndescription: d\nkind: phrase\nphrases: [JUNK]\n", encoding="utf-8")
    rules = cleaner.load_rules([tmp_path / "r.yaml"], defaults=False)
    made = cleaner.clean("Ä text\nJUNK\nmore\n", rules=rules).removals[0]
    built = Removal("junk", made.file, 7, 11, 2, "JUNK", made.reason)
    assert made.file.endswith("r.yaml") and made.reason
    assert type(made) is Removal
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert vars(made) == vars(built)  # every field set, `node` to its default, nothing more
    assert made.to_dict() == built.to_dict()
    assert replace(made, start=4) == replace(built, start=4)
    with pytest.raises(FrozenInstanceError):
        made.start = 0
