"""The command line: parse, call the library, print. No cleaning logic lives here."""
from __future__ import annotations

import contextlib
import os
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import List, Literal, Optional

import typer

from . import __version__
from .batch import Options, SchedulerError, clean_record_stream, plan, run_reported
from .progress import Progress, count_documents
from .decode import DecodeError, decode_bytes
from .engine import clean
from .errors import CleanerError
from .examples import check_ruleset
from .guardrail import DEFAULT_MIN_SHARE, DEFAULT_MIN_WORDS, Guardrail
from .html import clean_html, page_text
from .outdir import OutputFolder, overlaps
from .io import SUPPORTED, TooLarge, format_of, looks_like_html, looks_like_jsonl
from .report import ReportRecord, ReportWriter, Summary, record_for, stale_journals
from .textsafe import path_text, visible
from .ruleset import load_rules

app = typer.Typer(
    help="Strip boilerplate from scraped article text, with a report of every removal.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(help="Inspect and check rule files.", no_args_is_help=True,
                        context_settings={"help_option_names": ["-h", "--help"]})
app.add_typer(rules_app, name="rules")

RulesOption = typer.Option(None, "--rules", metavar="PATH", help="A rule file or folder (repeatable), added to the shipped pack.")
NoDefaultsOption = typer.Option(False, "--no-default-rules", help="Use only the --rules files, not the shipped pack.")
DisableOption = typer.Option(None, "--disable", metavar="RULE-ID", help="Leave out this rule (repeatable), e.g. one that misfires on your pages.")


def fail(message: str) -> None:
    """One `Error:` line on stderr and exit 2: for usage errors and bad rule files."""
    typer.echo(f"Error: {visible(message)}", err=True)
    raise typer.Exit(2)


def _load(rules: Optional[List[Path]], no_default_rules: bool, disable: Optional[List[str]] = None):
    try:
        return load_rules(rules or [], defaults=not no_default_rules, disable=disable or [])
    except CleanerError as exc:
        fail(str(exc))


@app.command("clean")
def clean_command(
    # Described in the docstring: typer would print a Python type name beside it in the argument list.
    inputs: List[str] = typer.Argument(..., metavar="INPUT", hidden=True),
    out: Optional[Path] = typer.Option(None, "--out", "-o", metavar="DIR", help="Output folder (report.jsonl goes there too)."),
    rules: Optional[List[Path]] = RulesOption,
    no_default_rules: bool = NoDefaultsOption,
    disable: Optional[List[str]] = DisableOption,
    jobs: int = typer.Option(os.cpu_count() or 1, "--jobs", "-j", min=1, metavar="N", show_default="all cores", help="Worker processes."),
    report: Optional[Path] = typer.Option(None, "--report", metavar="FILE", show_default="OUT/report.jsonl", help="Report file; - for stderr."),
    audit: Optional[Path] = typer.Option(None, "--audit", metavar="FILE", help="Also write an HTML audit page of every removal."),
    input_format: Literal["auto", "text", "html", "jsonl"] = typer.Option("auto", "--format", help="With stdin: text, html, jsonl, or auto (html or jsonl when the input starts like an HTML page or a JSON object)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Write the report only, no cleaned files."),
    guardrail: Literal["flag", "keep"] = typer.Option("flag", "--guardrail", help="A document the rules nearly emptied is reported as guarded; flag: still write its cleaned text; keep: write its text whole."),
    guard_min_share: float = typer.Option(DEFAULT_MIN_SHARE, "--guard-min-share", min=0.0, max=1.0, metavar="SHARE", help="Guarded when less than this share of the words is left (0: never)..."),
    guard_min_words: int = typer.Option(DEFAULT_MIN_WORDS, "--guard-min-words", min=0, metavar="N", help="...and fewer than this many words are left (0: never)."),
    text_field: str = typer.Option("text", "--text-field", metavar="FIELD", help="JSONL and Parquet inputs: the field cleaned in each record (and the text's field in WET and WARC outputs)."),
    id_field: str = typer.Option("id", "--id-field", metavar="FIELD", help="JSONL and Parquet inputs: the field naming a record in the report (else its number); WET and WARC records are named by their record ids."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS", help="Run on a Dask cluster at this address (tcp://HOST:8786); needs cleaner[dask] and the same paths on the workers."),
    force: bool = typer.Option(False, "--force", help="Clean every input again, even those whose output is up to date."),
    timeout: float = typer.Option(30.0, "--timeout", min=0.0, metavar="SECONDS", help="Seconds a document may take before it is ended and reported failed (0: no limit)."),
    max_bytes: str = typer.Option("32M", "--max-bytes", metavar="SIZE", help="Largest document read, unpacked (a file, or one record of JSONL, WET, WARC or Parquet), e.g. 500K, 64M, 1G; larger ones are reported failed (0: no cap)."),
) -> None:
    """Clean files and folders of scraped pages.

    INPUT... are folders, files (.txt, .md, .html, .jsonl, each gzipped or not; Common Crawl's
    .warc.wet.gz and .warc.gz; .parquet), or - for stdin.

    \b
    Examples:
      cleaner clean scraped/ --out clean/
      cleaner clean pages/ extra.txt --out clean/ --rules my-rules/ --jobs 4
      cleaner clean scraped/ --out clean/ --disable footer-link
      cat page.txt | cleaner clean - > page.clean.txt
      cat crawl.jsonl | cleaner clean - > crawl.clean.jsonl
      cleaner clean - --format html --report - < page.html
      cleaner clean scraped/ --out clean/ --audit audit.html
      cleaner clean crawl.jsonl --out clean/ --text-field content --id-field url
      cleaner clean CC-MAIN-00000.warc.wet.gz --out clean/
      cleaner clean shard-0000.parquet --out clean/ --text-field content
      cleaner clean scraped/ --out clean/ --scheduler tcp://scheduler:8786

    A rerun into the same --out cleans only what changed: inputs newer than their outputs, outputs
    made with other rules, and what an interrupted run did not finish.
    """
    ruleset = _load(rules, no_default_rules, disable)
    cap = _size(max_bytes)
    guard = Guardrail(mode=guardrail, min_share=guard_min_share, min_words=guard_min_words)
    options = Options(
        rule_paths=tuple(str(r) for r in rules or []), defaults=not no_default_rules, disabled=tuple(disable or []),
        dry_run=dry_run, guardrail=guard, text_field=text_field, id_field=id_field, timeout=timeout, max_bytes=cap,
    )
    if inputs == ["-"]:
        _clean_stdin(ruleset, report, input_format, audit, options)
        return
    if "-" in inputs:
        fail("'-' (stdin) cannot be mixed with file inputs")
    if input_format != "auto":
        fail(f"--format {input_format} applies to stdin only: files are read by their suffix ({SUPPORTED})")
    if out is None:
        fail("--out DIR is required (or give - to read stdin and write stdout)")
    paths = [Path(i) for i in inputs]
    for path in paths:
        if not path.exists():
            fail(f"{path_text(path)}: no such file or folder")
        fmt = format_of(path) if path.is_file() else None
        if fmt is not None and fmt.missing():  # a folder's files say so in their records instead
            fail(f"{path_text(path)}: {fmt.missing()}")
    overlap = overlaps(out, paths)
    if overlap is not None:
        fail(f"--out {path_text(out)} overlaps the input {path_text(overlap)}: outputs could overwrite inputs; choose a folder outside the inputs")
    report_path = report or out / "report.jsonl"
    to_stderr = str(report_path) == "-"
    summary = Summary()
    with contextlib.ExitStack() as stack:
        try:
            folder = stack.enter_context(OutputFolder(out))
            writer = StreamReport(sys.stderr) if to_stderr else stack.enter_context(ReportWriter(report_path))
            auditor = _audit_writer(audit, ruleset)
        except CleanerError as exc:
            fail(str(exc))
        options = replace(options, temp_dir=folder.temp_dir, keep_text=auditor is not None)
        # A rerun reuses what the last report and killed runs' journals say of up-to-date outputs (not
        # with --force or --dry-run, nor for an audit, which shows each page's text as it was cleaned).
        reuse = not (force or dry_run or to_stderr or auditor is not None)
        previous = report_path if reuse else None
        journals = stale_journals(report_path) if reuse else ()
        # On a terminal, a first walk of the inputs (when it is quick) gives the bar a total and an estimate.
        progress = Progress(total=count_documents(plan(paths, out))) if sys.stderr.isatty() else None
        try:
            records = run_reported(plan(paths, out), options, jobs=jobs, previous=previous, scheduler=scheduler, journals=journals)
            for reported in records:
                writer.write_line(reported.line)
                summary.merge(reported.digest, reported.reused)
                if auditor is not None:
                    auditor.add(reported.record, text=reported.text)
                if progress is not None:
                    progress.update(summary.documents, summary.chars_in)
            if to_stderr:
                writer.commit()
        except SchedulerError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            if progress is not None:
                progress.close()
            typer.echo(f"interrupted: {summary.documents:,} documents done; rerun the same command to resume", err=True)
            raise typer.Exit(130) from None
        except OSError as exc:  # the report (or the audit page) cannot be written: a full disk, say
            typer.echo(f"Error: writing the report: {exc.strerror or exc}; {summary.documents:,} documents were done, "
                       "the previous report is kept; rerun to resume when the problem is fixed", err=True)
            raise typer.Exit(1) from None
        try:
            stack.close()  # the report into place, the output folder released
        except OSError as exc:
            typer.echo(f"Error: writing the report: {exc.strerror or exc}; the previous report is kept; rerun to resume", err=True)
            raise typer.Exit(1) from None
    if progress is not None:
        progress.close()
    typer.echo(summary.render(), err=True)
    typer.echo(f"report: {'stderr' if to_stderr else path_text(report_path)}", err=True)
    if auditor is not None:
        try:
            auditor.close()
        except OSError as exc:
            typer.echo(f"Error: writing the audit page {path_text(audit)}: {exc.strerror or exc}", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"audit: {path_text(audit)}", err=True)
    if not summary.documents:
        typer.echo(f"nothing cleaned: no files of a format cleaner reads ({SUPPORTED}) in "
                   + ", ".join(path_text(p) for p in paths), err=True)
        raise typer.Exit(1)
    raise typer.Exit(0 if summary.ok else 1)


def _size(text: str) -> int:
    """A byte count from '32M', '500K', '1G' or a number."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?)i?B?\s*", text, re.IGNORECASE)
    if not match:
        fail(f"--max-bytes must be a size like 500K, 32M or 1G, got {text!r}")
    factor = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}[match.group(2).upper()]
    return int(float(match.group(1)) * factor)


class StreamReport:
    """--report -: the records on a stream (stderr), as they come."""

    def __init__(self, stream):
        self.stream = stream

    def write_line(self, line: str) -> None:
        self.stream.write(line + "\n")

    def commit(self) -> None:
        self.stream.flush()


def _audit_writer(path: Optional[Path], ruleset):
    if path is None:
        return None
    from .audit import AuditWriter

    try:
        return AuditWriter(path, ruleset)
    except OSError as exc:
        fail(f"--audit {path_text(path)}: {exc.strerror or exc}")


_STDIN_HEAD = 1 << 16


def _clean_stdin(ruleset, report: Optional[Path], input_format: str, audit: Optional[Path], options: Options) -> None:
    guardrail, max_bytes = options.guardrail, options.max_bytes
    text = None  # the text the removals' offsets refer to, for --audit
    stdin = sys.stdin.buffer
    head = stdin.read(_STDIN_HEAD)  # what the format is sniffed from
    if input_format == "auto" and looks_like_jsonl(head):
        typer.echo("stdin looks like JSONL: cleaning each record's text field (--format text cleans it as text)", err=True)
        input_format = "jsonl"
    if input_format == "jsonl":
        _clean_stdin_records(head, ruleset, report, audit, options)
        return
    try:
        data = head + (stdin.read(max(max_bytes + 1 - len(head), 0)) if max_bytes else stdin.read())
        if max_bytes and len(data) > max_bytes:
            typer.echo(f"Error: stdin: {TooLarge(max_bytes, 'the input')}", err=True)
            raise typer.Exit(1)
        if input_format == "auto":
            input_format = "html" if looks_like_html(data) else "text"
            if input_format == "html":
                typer.echo("stdin looks like an HTML page: extracting it (--format text cleans it as text)", err=True)
        if input_format == "html":
            page = decode_bytes(data, is_html=True)
            result = clean_html(page, rules=ruleset, guardrail=guardrail)
            if audit is not None:  # extracted again: clean_html does not keep the extracted text
                text = page_text(page, ruleset)
        else:
            text = decode_bytes(data)
            result = clean(text, rules=ruleset, guardrail=guardrail)
    except DecodeError as exc:
        fail(f"stdin: {exc}")
    sys.stdout.write(result.text)
    record = record_for("-", "-", result.status, result, ruleset)
    auditor = _audit_writer(audit, ruleset)
    if auditor is not None:
        auditor.add(record, text=text)
        auditor.close()
    _write_stdin_report(report, [ReportRecord(record)])


def _clean_stdin_records(head: bytes, ruleset, report: Optional[Path], audit: Optional[Path], options: Options) -> None:
    """JSONL on stdin (`head` already read from it): the records cleaned to stdout as from a .jsonl file,
    each in the report."""
    options = replace(options, keep_text=audit is not None)
    try:
        records = list(clean_record_stream(head, sys.stdin.buffer, sys.stdout.buffer, ".jsonl", ruleset, options))
    except OSError as exc:
        fail(f"stdin: {exc.strerror or exc}")
    sys.stdout.flush()
    auditor = _audit_writer(audit, ruleset)
    if auditor is not None:
        for each in records:
            auditor.add(each.record, text=each.text)
        auditor.close()
    _write_stdin_report(report, records)
    if any(each.record["status"] in ("failed", "skipped") for each in records):
        raise typer.Exit(1)


def _write_stdin_report(report: Optional[Path], records: list[ReportRecord]) -> None:
    if report is None:
        return
    lines = "".join(each.line + "\n" for each in records)
    if str(report) == "-":
        sys.stderr.write(lines)
    else:
        report.write_text(lines, encoding="utf-8")


@rules_app.command("list")
def rules_list(
    rules: Optional[List[Path]] = RulesOption, no_default_rules: bool = NoDefaultsOption, disable: Optional[List[str]] = DisableOption
) -> None:
    """List the rules: id, kind, file, description.

    \b
    Examples:
      cleaner rules list --rules my-rules/
      cleaner rules list --disable footer-link   # the rules clean would run
    """
    for rule in _load(rules, no_default_rules, disable):
        meta = rule.meta
        typer.echo(visible(f"{meta.id:<34} {meta.kind:<10} {meta.file:<34} {meta.description}"))


@rules_app.command("test", short_help="Run every rule's examples.")
def rules_test(
    rules: Optional[List[Path]] = RulesOption, no_default_rules: bool = NoDefaultsOption, disable: Optional[List[str]] = DisableOption
) -> None:
    """Run every rule's examples; exit 1 naming each rule whose example fails.

    \b
    Example:
      cleaner rules test --rules my-rules/ --no-default-rules
    """
    ruleset = _load(rules, no_default_rules, disable)
    failures = check_ruleset(ruleset)
    for failure in failures:
        typer.echo(f"FAIL {failure}", err=True)
    examples = sum(len(r.meta.examples_remove) + len(r.meta.examples_keep) for r in ruleset)
    typer.echo(f"{len(ruleset)} rules, {examples} examples, {len(failures)} failed")
    raise typer.Exit(1 if failures else 0)


@rules_app.command("lint", short_help="Check rule files for mistakes and rules that remove prose.")
def rules_lint(
    rules: Optional[List[Path]] = RulesOption,
    no_default_rules: bool = NoDefaultsOption,
    disable: Optional[List[str]] = DisableOption,
    corpus: Optional[Path] = typer.Option(None, "--corpus", metavar="PATH", show_default="the clean prose shipped with cleaner",
                                          help="Clean prose no rule may touch: a file or folder."),
) -> None:
    """Check rule files: unknown keys, duplicate ids, missing examples, rules that remove clean prose.

    Exit 1 when there are errors; warnings alone exit 0.

    \b
    Examples:
      cleaner rules lint
      cleaner rules lint --rules my-rules/ --corpus my-articles/
    """
    from .lint import lint

    try:
        findings, count = lint(rules or [], defaults=not no_default_rules, corpus=corpus, disable=disable or [])
    except CleanerError as exc:
        fail(str(exc))
    for finding in findings:
        typer.echo(str(finding), err=True)
    errors = sum(1 for f in findings if f.severity == "error")
    typer.echo(f"{count} rules, {errors} errors, {len(findings) - errors} warnings")
    raise typer.Exit(1 if errors else 0)


@app.command("learn", short_help="Propose rules for lines repeated across a site's pages.")
def learn_command(
    folders: List[Path] = typer.Argument(..., metavar="FOLDER", hidden=True),
    out: Path = typer.Option(..., "--out", "-o", metavar="FILE", help="The rule file to write."),
    min_docs: int = typer.Option(5, "--min-docs", min=2, metavar="N", help="A line must be on at least this many documents of a site."),
    min_share: float = typer.Option(0.2, "--min-share", min=0.0, max=1.0, metavar="SHARE", help="...and on at least this share of them."),
    max_words: int = typer.Option(60, "--max-words", min=1, metavar="N", help="Longer lines are never proposed."),
    text_field: str = typer.Option("text", "--text-field", metavar="FIELD", help="JSONL and Parquet inputs: the field holding each record's text."),
) -> None:
    """Propose rules for lines and short blocks repeated across many pages of a site.

    FOLDER... are folders (or files) of scraped pages.

    The site is a folder named like a host (scraped/example.com/...) or a JSONL record's url. Review
    the file, then use it with --rules.

    \b
    Examples:
      cleaner learn scraped/ --out my-rules/learned.yaml
      cleaner rules test --rules my-rules/learned.yaml --no-default-rules
      cleaner clean scraped/ --out clean/ --rules my-rules/learned.yaml
    """
    from .output import write_atomic
    from .learn import Options as LearnOptions
    from .learn import checked, iter_sources, learn, render

    for folder in folders:
        if not folder.exists():
            fail(f"{folder}: no such file or folder")
    problems: list[str] = []
    sources = list(iter_sources(folders, problems, text_field=text_field))
    for problem in problems:
        typer.echo(f"skipped {problem}", err=True)
    if not sources:
        fail(f"no documents of a format cleaner reads ({SUPPORTED}) in {', '.join(map(str, folders))}")
    options = LearnOptions(min_docs=min_docs, min_share=min_share, max_words=max_words)
    learned, notes = checked(learn(sources, options))
    for note in notes:
        typer.echo(note, err=True)
    try:
        write_atomic(out, render(learned, options, len(sources)))
    except OSError as exc:
        fail(f"{out}: {exc.strerror or exc}")
    sites = len({s.site for s in sources})
    typer.echo(f"{len(sources)} documents, {sites} sites: {len(learned)} rules proposed in {out}", err=True)


@app.command("explain", short_help="Show a file with what the rules remove struck through.")
def explain_command(
    file: Path = typer.Argument(..., metavar="FILE", hidden=True),
    rules: Optional[List[Path]] = RulesOption,
    no_default_rules: bool = NoDefaultsOption,
    disable: Optional[List[str]] = DisableOption,
    site: Optional[str] = typer.Option(None, "--site", metavar="HOST", show_default="from the path",
                                       help="The page's site, for rules scoped with sites:."),
    color: Literal["auto", "always", "never"] = typer.Option(
        "auto", "--color", help="Colours: auto (when stdout is a terminal and NO_COLOR is unset), always, or never "
        "(plain [-removed-]{rule} markers)."),
    no_color: bool = typer.Option(False, "--no-color", help="The same as --color never."),
    text_field: str = typer.Option("text", "--text-field", metavar="FIELD", help="JSONL and Parquet files: the field holding each record's text."),
) -> None:
    """Show a file with what the rules remove struck through, coloured by rule, the rule id beside.

    FILE is a file cleaner reads: text, Markdown, HTML, JSONL (gzipped or not), WET, WARC, Parquet.

    \b
    Examples:
      cleaner explain scraped/example.com/page.txt
      cleaner explain page.html --rules my-rules/ --color always | less -R
      cleaner explain crawl.jsonl --text-field content
    """
    from .explain import explain_file

    ruleset = _load(rules, no_default_rules, disable)
    if not file.is_file():
        fail(f"{file}: no such file")
    if no_color:
        color = "never"
    colour = color == "always" or (color == "auto" and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    try:
        shown = explain_file(file, ruleset, site, colour, text_field=text_field)
        if not shown:
            typer.echo(f"Error: {path_text(file)}: no record holds a string {visible(repr(text_field))} field; "
                       "name the text's field with --text-field", err=True)
            raise typer.Exit(1)
        # click strips colour codes from output that is no terminal unless told: --color always is for pagers.
        typer.echo(shown, nl=False, color=colour)
    except (OSError, CleanerError, ValueError, LookupError) as exc:
        fail(f"{path_text(file)}: {getattr(exc, 'strerror', None) or exc}")


@app.callback(invoke_without_command=True)
def _version(version: bool = typer.Option(False, "--version", help="Print the version and exit.")) -> None:
    if version:
        typer.echo(f"cleaner {__version__}")
        raise typer.Exit(0)


def main() -> None:
    app(prog_name="cleaner")
