"""Hugging Face datasets: `dataset.map(clean_batch, batched=True)` cleans the `text` column and adds
`cleaner_status` and `cleaner_removals`:

    from cleaner.integrations.hf import clean_batch
    cleaned = dataset.map(clean_batch, batched=True)
    cleaned = dataset.map(clean_batch, batched=True, fn_kwargs={"text_column": "content", "rules": ["my-rules/"]})

`cleaner_removals` is a JSON list of {"rule", "start", "end"} (offsets into the text before cleaning):
datasets fixes a new column's type from the first batch, and a batch without removals holds only empty
lists, whose type (a list of nothing) a later batch's removals cannot be cast to. A text that is not a
string (None) is kept, with status `failed`.
"""
from __future__ import annotations

import json
from collections.abc import Iterable

from ..guardrail import Guardrail
from .texts import TextCleaner, removal_spans

STATUS_COLUMN = "cleaner_status"
REMOVALS_COLUMN = "cleaner_removals"


def clean_batch(batch: dict, text_column: str = "text", url_column: str = "url", rules: Iterable = (),
                default_rules: bool = True, disable: Iterable[str] = (), guardrail: Guardrail | None = None) -> dict:
    """The batch's texts cleaned, with each row's status and removals; every other column as it was."""
    if text_column not in batch:
        raise KeyError(f"no column {text_column!r} (columns: {', '.join(batch)}): pass fn_kwargs={{'text_column': ...}}")
    cleaner = TextCleaner.of(rules, default_rules, disable, guardrail)
    urls = batch.get(url_column) or [None] * len(batch[text_column])
    texts, statuses, removals = [], [], []
    for text, url in zip(batch[text_column], urls):
        if not isinstance(text, str):
            texts.append(text)
            statuses.append("failed")
            removals.append("[]")
            continue
        result = cleaner.clean(text, url if isinstance(url, str) else None)
        texts.append(result.text)
        statuses.append(result.status)
        removals.append(json.dumps(removal_spans(result), ensure_ascii=False))
    return {text_column: texts, STATUS_COLUMN: statuses, REMOVALS_COLUMN: removals}
