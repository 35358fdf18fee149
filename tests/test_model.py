"""Removal.to_dict() is the report record's removal: every field, in field order, `node` only when set.
The engine's Removals, made without __init__, are the same objects as Removal(...) makes."""
from dataclasses import FrozenInstanceError, fields, replace

import pytest

from cleaner.model import Removal, engine_removal


def test_to_dict_carries_every_field_in_order():
    removal = Removal(rule="r", file="f.yaml", start=3, end=9, line=2, text="Share", reason="why", node="/html/body/div")
    assert list(removal.to_dict()) == [f.name for f in fields(Removal)]
    assert removal.to_dict() == {f.name: getattr(removal, f.name) for f in fields(Removal)}


def test_to_dict_leaves_out_an_unset_node():
    record = Removal(rule="r", file="f.yaml", start=3, end=9, line=2, text="Share", reason="why").to_dict()
    assert "node" not in record
    assert list(record) == [f.name for f in fields(Removal) if f.name != "node"]


def test_an_engine_removal_is_the_removal_the_constructor_makes():
    args = ("r", "f.yaml", 3, 9, 2, "Share", "why")
    made, built = engine_removal(*args), Removal(*args)
    assert type(made) is Removal
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert vars(made) == vars(built)  # every field set, `node` to its default, nothing more
    assert made.to_dict() == built.to_dict()
    assert replace(made, start=4) == replace(built, start=4)
    with pytest.raises(FrozenInstanceError):
        made.start = 0
