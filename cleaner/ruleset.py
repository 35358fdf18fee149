"""Load rule files (YAML) into typed rules; every problem is a RuleError naming the file and the rule."""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from . import __version__
from .errors import RuleError, shown
from .kinds import KINDS, Rule, RuleMeta
from .kinds.base import ZONES

COMMON_KEYS = {"id", "description", "kind", "reason", "zone", "languages", "sites", "examples"}
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_RULE_FILE_SUFFIXES = (".yaml", ".yml")


# libyaml's parser when PyYAML was built with it: the pure-Python one took seconds for the pack, paid
# by every process that loads it.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):
    """A safe loader that remembers the line each mapping starts on, for error messages."""


def _construct_mapping(loader, node):
    mapping = loader.construct_mapping(node)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    hash: str  # identifies the rules' content and the engine version, for reports and reruns
    # for_site()'s answers: asked once per document, and a batch has millions of them.
    _by_site: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self):
        return iter(self.rules)

    def for_site(self, site: str | None) -> list[Rule]:
        """Rules without `sites`, plus those scoped to `site` (a host; subdomains match). The same
        list object for the same site, and for every site no scoped rule names (so the matcher and its
        per-list answers are shared by them): callers must not change it."""
        active = self._by_site.get(site)
        if active is None:
            if len(self._by_site) >= _MAX_SITES_CACHED:
                self._by_site.clear()
            active = [rule for rule in self.rules if not rule.meta.sites or _site_matches(site, rule.meta.sites)]
            if site is not None and all(not rule.meta.sites for rule in active):
                active = self.for_site(None)
            self._by_site[site] = active
        return active

    def by_id(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.meta.id == rule_id:
                return rule
        raise KeyError(rule_id)


_MAX_SITES_CACHED = 4096  # a crawl of many sites: the cache is dropped, not grown without bound


def _site_matches(site: str | None, sites: tuple[str, ...]) -> bool:
    if not site:
        return False
    site = site.lower().removeprefix("www.")
    return any(site == s or site.endswith("." + s) for s in sites)


def shipped_rules_dir() -> Path:
    """The rule pack: installed beside the package as cleaner/rules, or rules/ in a source checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "rules"
    return installed if installed.is_dir() else package.parent / "rules"


def rule_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into their rule files (sorted, recursive); a missing path is an error."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in _RULE_FILE_SUFFIXES and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise RuleError(str(path), None, "no such rule file or folder")
    return files


def load_rules(paths: Iterable[str | Path] = (), defaults: bool = True, disable: Iterable[str] = ()) -> RuleSet:
    """The shipped pack (unless defaults=False) followed by the rules in `paths`, less the rules whose
    ids are in `disable` (a rule that misfires on one's own pages, without copying the pack).

    The same files with the same contents give the same RuleSet object, built once per process: the CLI,
    the batch and each worker all ask for it (a forked worker inherits it), and building it compiles
    over a thousand regexes."""
    paths = list(paths)
    if defaults:
        paths.insert(0, shipped_rules_dir())
    files = rule_files(paths)
    contents = [_read_bytes(file) for file in files]
    disabled = tuple(sorted(set(disable)))
    key = (tuple(zip(map(str, files), contents)), disabled)
    if key not in _LOADED:
        _LOADED.clear()  # one rule set is the usual case; keep memory flat when tests load many
        _LOADED[key] = _build(files, contents, disabled)
    return _LOADED[key]


_LOADED: dict[tuple, RuleSet] = {}


def _read_bytes(file: Path) -> bytes | None:
    try:
        return file.read_bytes()
    except OSError:
        return None  # _read_specs reads it again and reports why, with the file's label


def _build(files: list[Path], contents: list[bytes | None], disabled: tuple[str, ...] = ()) -> RuleSet:
    rules: list[Rule] = []
    origin: dict[str, str] = {}
    digest = hashlib.sha256(__version__.encode())
    for file, raw in zip(files, contents):
        label = _label(file)
        for spec in _read_specs(file, label, raw):
            rule = build_rule(spec, label)
            if rule.meta.id in origin:
                raise RuleError(label, rule.meta.id, f"duplicate id: also defined in {origin[rule.meta.id]}")
            origin[rule.meta.id] = label
            if rule.meta.id in disabled:
                continue  # checked like the others (a bad file is still an error), then left out
            rules.append(rule)
            # Only the rules that run count, so disabling one changes the hash and reruns redo the work.
            digest.update(json.dumps(rule.meta.spec, sort_keys=True, default=str).encode())
    unknown = [rule_id for rule_id in disabled if rule_id not in origin]
    if unknown:
        raise RuleError("--disable", unknown[0], "no such rule in the loaded files (`cleaner rules list` shows the ids)")
    return RuleSet(tuple(rules), digest.hexdigest()[:16])


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The shipped pack, compiled once per process."""
    return load_rules()


def _label(file: Path) -> str:
    """How reports name a rule file: shipped ones relative to the pack, others as given."""
    shipped = shipped_rules_dir()
    try:
        return "rules/" + file.resolve().relative_to(shipped.resolve()).as_posix()
    except ValueError:
        return str(file)


# A rule file's values once its YAML aliases are expanded: the shipped pack's largest file holds a
# few hundred; an alias nest of a few hundred bytes can hold billions.
MAX_EXPANDED_VALUES = 100_000


def _expanded_size(data, limit: int) -> int:
    """How many values `data` holds with aliases expanded (each use of a shared value counted), counting
    no further than just past `limit`: loading shares an alias's value, anything that walks it expands it."""
    count = 0
    stack = [data]
    while stack and count <= limit:
        value = stack.pop()
        count += 1
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return count


def _read_specs(file: Path, label: str, raw: bytes | None = None) -> list[dict]:
    """The rule specs in `file`; `raw` is its bytes when the caller has read them already."""
    try:
        raw = file.read_bytes() if raw is None else raw
        data = yaml.load(raw.decode("utf-8"), Loader=_LineLoader)  # noqa: S506 (safe loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise RuleError(label, None, f"not valid YAML{where}: {problem}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(label, None, f"cannot read: {exc}") from None
    if data is None:
        return []
    if _expanded_size(data, MAX_EXPANDED_VALUES) > MAX_EXPANDED_VALUES:
        raise RuleError(label, None, f"YAML aliases expand to more than {MAX_EXPANDED_VALUES:,} values: "
                        "a rule file this large is refused (an alias bomb?)")
    if isinstance(data, dict) and "rules" in data and "id" not in data:
        extra = set(data) - {"rules", "__line__"}
        if extra:
            raise RuleError(label, None, f"unknown top-level keys: {', '.join(sorted(map(str, extra)))}")
        data = data["rules"]
        if not isinstance(data, list):
            raise RuleError(label, None, "'rules' must be a list of rules")
        return data
    if isinstance(data, dict):
        return [data]
    raise RuleError(label, None, "a rule file holds one rule (a mapping) or 'rules: [...]'")


def build_rule(spec, file: str) -> Rule:
    """Validate one rule mapping and build its kind."""
    if not isinstance(spec, dict):
        raise RuleError(file, None, f"each rule must be a mapping, got {type(spec).__name__}")
    line = spec.get("__line__")
    spec = {k: v for k, v in spec.items() if k != "__line__"}
    rule_id = spec.get("id")
    where = str(rule_id) if rule_id is not None else f"at line {line}"

    def fail(problem: str) -> RuleError:
        return RuleError(file, where, problem + (f" (line {line})" if line else ""))

    # YAML allows any key (1:, null:); the messages below sort and join keys as text.
    odd_keys = [key for key in spec if not isinstance(key, str)]
    if odd_keys:
        raise fail(f"keys must be names, got {shown(odd_keys[0])}")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise fail(f"'id' must be kebab-case (like 'subscribe-now'), got {shown(rule_id)}")
    for key in ("description", "kind"):
        if not isinstance(spec.get(key), str) or not spec[key].strip():
            raise fail(f"missing required key '{key}'")
    kind = KINDS.get(spec["kind"])
    if kind is None:
        raise fail(f"unknown kind {shown(spec['kind'])}; kinds are {', '.join(sorted(KINDS))}")
    allowed = COMMON_KEYS | kind.keys()
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise fail(f"unknown key(s) {', '.join(unknown)} for kind '{kind.kind}'; allowed: {', '.join(sorted(allowed))}")
    for key in kind.required:
        if key not in spec:
            raise fail(f"kind '{kind.kind}' needs '{key}'")
    for group in kind.one_of:
        present = [k for k in group if k in spec]
        if len(present) != 1:
            raise fail(f"kind '{kind.kind}' needs exactly one of {', '.join(shown(k) for k in group)}")
    zone = spec.get("zone", "any")
    if zone not in ZONES:
        raise fail(f"'zone' must be one of {', '.join(ZONES)}, got {shown(zone)}")
    examples = spec.get("examples", {}) or {}
    if not isinstance(examples, dict) or set(examples) - {"remove", "keep", "__line__"}:
        raise fail("'examples' must be a mapping with 'remove' and/or 'keep' lists")
    examples.pop("__line__", None)
    for side in ("remove", "keep"):
        if not isinstance(examples.get(side, []), list):
            raise fail(f"'examples.{side}' must be a list")
        # Only text: nested lists built from YAML aliases (a "billion laughs" file) would otherwise
        # expand without bound when the rule set is hashed.
        for item in examples.get(side, []):
            fields = [v for k, v in item.items() if k != "__line__"] if isinstance(item, dict) else [item]
            if not all(isinstance(v, str) for v in fields):
                raise fail(f"'examples.{side}' entries must be text or {{text, article}} mappings of text")
    meta = RuleMeta(
        id=rule_id,
        kind=kind.kind,
        description=spec["description"].strip(),
        reason=str(spec.get("reason") or spec["description"]).strip(),
        file=file,
        zone=zone,
        languages=_string_tuple(spec, "languages", fail),
        sites=tuple(s.lower().removeprefix("www.") for s in _string_tuple(spec, "sites", fail)),
        examples_remove=tuple(_without_line_marks(examples.get("remove", []))),
        examples_keep=tuple(_without_line_marks(examples.get("keep", []))),
        line=line,
        spec=spec,
    )
    params = {k: v for k, v in spec.items() if k not in COMMON_KEYS}
    try:
        return kind(meta, params)
    except RuleError as exc:
        raise RuleError(file, rule_id, exc.problem + (f" (line {line})" if line else "")) from None


def _string_tuple(spec: dict, key: str, fail) -> tuple[str, ...]:
    value = spec.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(f"'{key}' must be a list of strings")
    return tuple(value)


def _without_line_marks(items: list) -> list:
    """Example entries are strings or {text, article} mappings (the article gives a caption its context)."""
    cleaned = []
    for item in items:
        if isinstance(item, dict):
            item = {k: v for k, v in item.items() if k != "__line__"}
        cleaned.append(item)
    return cleaned
