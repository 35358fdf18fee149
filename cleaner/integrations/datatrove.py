"""A datatrove pipeline step that cleans each document's text and records what it removed:

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations.datatrove import CleanText

    LocalPipelineExecutor(pipeline=[JsonlReader("crawl/"), CleanText(), JsonlWriter("clean/")]).run()

`doc.metadata["cleaner"]` then holds the document's status and its removals (rule, start, end: offsets
into the text before cleaning). A document that cannot be cleaned keeps its text, with status `failed`
and the error. The step pickles small (rule paths, not compiled rules), so it runs on datatrove's Slurm
and Ray executors as well.
"""
from __future__ import annotations

from collections.abc import Iterable

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.utils.typeshelper import StatHints

from ..guardrail import Guardrail
from .texts import TextCleaner, removal_spans


class CleanText(PipelineStep):
    name = "🧹 cleaner"
    type = "✂️ - FORMAT"

    def __init__(self, rules: Iterable = (), default_rules: bool = True, disable: Iterable[str] = (),
                 guardrail: Guardrail | None = None, metadata_key: str = "cleaner"):
        """`rules`: rule files or folders added to the shipped pack (only these with default_rules=False);
        `disable`: rule ids left out; `metadata_key`: where in doc.metadata the removals go."""
        super().__init__()
        self.cleaner = TextCleaner.of(rules, default_rules, disable, guardrail)
        self.metadata_key = metadata_key

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        self.cleaner.ruleset()  # compiled before the first document, outside its timing
        for doc in data:
            self.stat_update(StatHints.total)
            with self.track_time():
                try:
                    result = self.cleaner.clean(doc.text, doc.metadata.get("url"))
                except Exception as exc:  # noqa: BLE001 - one document's failure is its own, not the pipeline's
                    doc.metadata[self.metadata_key] = {"status": "failed", "error": f"{type(exc).__name__}: {exc}", "removals": []}
                    self.stat_update("failed")
                    yield doc
                    continue
            doc.metadata[self.metadata_key] = {"status": result.status, "removals": removal_spans(result)}
            doc.text = result.text
            self.stat_update(result.status)
            self.stat_update("chars_removed", value=result.chars_in - result.chars_out)
            yield doc
