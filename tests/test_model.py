"""Removal.to_dict() is the report record's removal: every field, in field order, `node` only when set."""
from dataclasses import fields

from cleaner.model import Removal


def test_to_dict_carries_every_field_in_order():
    removal = Removal(rule="r", file="f.yaml", start=3, end=9, line=2, text="Share", reason="why", node="/html/body/div")
    assert list(removal.to_dict()) == [f.name for f in fields(Removal)]
    assert removal.to_dict() == {f.name: getattr(removal, f.name) for f in fields(Removal)}


def test_to_dict_leaves_out_an_unset_node():
    record = Removal(rule="r", file="f.yaml", start=3, end=9, line=2, text="Share", reason="why").to_dict()
    assert "node" not in record
    assert list(record) == [f.name for f in fields(Removal) if f.name != "node"]
