"""datatrove and Hugging Face datasets, run for real: the texts come out as `cleaner clean` cleans the same
texts from .txt files, byte for byte, with the other fields and the order kept."""
from __future__ import annotations

import gzip
import json
import pickle

import datasets
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

from cleaner.integrations.datatrove import CleanText
from cleaner.integrations.hf import clean_batch
from test_formats import TEXT_PAGES, cleaned_as_files, url_of


def test_a_datatrove_pipeline_cleans_as_the_batch_does(tmp_path):
    expected = cleaned_as_files(tmp_path, TEXT_PAGES)
    (tmp_path / "crawl").mkdir()
    rows = [{"id": page.stem, "text": page.read_text(encoding="utf-8"), "url": url_of(page), "lang": "en"} for page in TEXT_PAGES]
    (tmp_path / "crawl" / "part-0.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    LocalPipelineExecutor(
        pipeline=[JsonlReader(str(tmp_path / "crawl")), CleanText(), JsonlWriter(str(tmp_path / "clean"))],
        tasks=1, logging_dir=str(tmp_path / "logs"),
    ).run()
    (output,) = (tmp_path / "clean").glob("*.jsonl.gz")
    out = [json.loads(line) for line in gzip.open(output, "rt", encoding="utf-8")]
    assert [doc["id"] for doc in out] == [row["id"] for row in rows]
    for page, doc in zip(TEXT_PAGES, out):
        assert doc["text"].encode("utf-8") == expected[page.name], page.name
        assert doc["metadata"]["url"] == url_of(page) and doc["metadata"]["lang"] == "en"
        removals = doc["metadata"]["cleaner"]["removals"]
        original = page.read_text(encoding="utf-8")
        assert all(original[r["start"]:r["end"]] for r in removals)  # offsets into the text before cleaning
        assert doc["metadata"]["cleaner"]["status"] == ("unchanged" if doc["text"] == original else "cleaned")
    assert sum(bool(doc["metadata"]["cleaner"]["removals"]) for doc in out) >= len(out) // 2


def test_the_datatrove_step_pickles_small_for_other_executors():
    step = CleanText(rules=[], disable=["share-prompt"])
    assert len(pickle.dumps(step)) < 4000  # paths and options, not compiled rules
    assert pickle.loads(pickle.dumps(step)).cleaner == step.cleaner


def test_a_datasets_map_cleans_as_the_batch_does(tmp_path):
    expected = cleaned_as_files(tmp_path, TEXT_PAGES)
    texts = [page.read_text(encoding="utf-8") for page in TEXT_PAGES]
    # Unchanged texts first: the first batch holds no removal at all, which must not fix the column's type.
    order = sorted(range(len(texts)), key=lambda n: expected[TEXT_PAGES[n].name] != texts[n].encode("utf-8"))
    assert expected[TEXT_PAGES[order[0]].name] == texts[order[0]].encode("utf-8")
    pages = [TEXT_PAGES[n] for n in order]
    dataset = datasets.Dataset.from_dict({
        "text": [texts[n] for n in order] + [None],
        "url": [url_of(page) for page in pages] + [None],
        "score": list(range(len(pages) + 1)),
    })
    cleaned = dataset.map(clean_batch, batched=True, batch_size=2)
    assert cleaned.column_names == ["text", "url", "score", "cleaner_status", "cleaner_removals"]
    assert cleaned["score"][:] == dataset["score"][:] and cleaned["url"][:] == dataset["url"][:]
    for page, text in zip(pages, cleaned["text"]):
        assert text.encode("utf-8") == expected[page.name], page.name
    assert cleaned["text"][-1] is None and cleaned["cleaner_status"][-1] == "failed"
    removals = [json.loads(value) for value in cleaned["cleaner_removals"]]
    assert removals[0] == [] and any(removals)
    for text, found in zip(dataset["text"], removals):
        assert all(text[r["start"]:r["end"]] for r in found)


def test_clean_batch_takes_another_text_column_and_says_which_it_lacks():
    dataset = datasets.Dataset.from_dict({"content": ["Share on Facebook\n" + TEXT_PAGES[0].read_text(encoding="utf-8")]})
    cleaned = dataset.map(clean_batch, batched=True, fn_kwargs={"text_column": "content"})
    assert not cleaned["content"][0].startswith("Share on Facebook")
    try:
        dataset.map(clean_batch, batched=True)
    except KeyError as exc:
        assert "no column 'text' (columns: content)" in str(exc)
    else:
        raise AssertionError("a missing text column must be an error")
