"""cleaner as a step of other pipelines: datatrove (`datatrove.CleanText`) and Hugging Face datasets
(`hf.clean_batch`). Each cleans a text as `cleaner clean` cleans the same text from a file or a JSONL
record: the same rules, the same site (from the record's url) and the same guardrail."""
