"""The one declared metadata schema of the site's content.

The rules live in src/fazhi/sources/schemas/*.yml (JSON Schema written in YAML, with Chinese
`title`/`description` per field and the custom keys documented in common.yml). This module
loads them, says which type a file is, and validates metadata with Chinese messages. The
checker, the build hook, the scaffold and the contributor guide all go through it."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any, cast

import yaml
from jsonschema import FormatChecker, ValidationError
from jsonschema.validators import Draft202012Validator, extend

from fazhi.sources import dates, suggest
from fazhi.sources.slugs import ascii_slug

SCHEMA_DIR = Path(__file__).parent / "schemas"


@dataclass(frozen=True)
class Problem:
    field: str  # dotted path, e.g. "date" or "changes.0.note"; "" for the whole record
    message: str  # Chinese: what is wrong
    fix: str  # Chinese: how to put it right
    code: str = "meta-invalid"

    @property
    def is_error(self) -> bool:
        """An unknown field is only a warning (the site ignores it); everything else stops
        the build and the checker."""
        return self.code != "meta-unknown-field"


# ---- Public API ----


@cache
def registry() -> dict[str, Any]:
    """registry.yml: content types by path, allowed lists, site identifiers, freshness."""
    return cast("dict[str, Any]", _read_yaml(SCHEMA_DIR / "registry.yml"))


def content_types() -> list[str]:
    return list(dict.fromkeys(entry["type"] for entry in registry()["content_types"]))


def load(content_type: str) -> dict[str, Any]:
    """The schema of `content_type` with shared definitions ($ref) filled in."""
    return copy.deepcopy(_load(content_type))


def load_cached(content_type: str) -> dict[str, Any]:
    """The schema of `content_type`, shared between callers: read it, never change it."""
    return _load(content_type)


def group_slugs(name: str) -> dict[str, str]:
    """Pinyin URL names of an allowed list (categories or tags): {name: slug}, in registry
    order. Two names may give the same slug, or none; fazhi.checks.registry reports that,
    and the build stops on it before any page is generated."""
    return {value: ascii_slug(value) for value in allowed(name)}


@cache
def theme_schema() -> dict[str, Any]:
    """theme.yml: the front-matter keys MkDocs and Material read themselves (hide, search,
    template, icon, status, subtitle, description), allowed on every page. Shared: read it,
    never change it."""
    return cast("dict[str, Any]", _resolve(_read_yaml(SCHEMA_DIR / "theme.yml")))


def content_type_for(path: Path | str) -> str | None:
    """The content type of a file, by its path relative to docs/ (a path containing a
    `docs` folder is taken relative to it). None: the file carries no metadata."""
    return _type_entry(path).get("type")


def holds_many(path: Path | str) -> bool:
    """True when the file is a YAML list with one record per item (documents.yml)."""
    return bool(_type_entry(path).get("many"))


def path_matches(glob: str, relative: str) -> bool:
    """Registry glob matching: `*` stays in one folder, `**` crosses folders."""
    return _glob_regex(glob).fullmatch(relative) is not None


def validate(content_type: str, data: object) -> list[Problem]:
    """Every way `data` breaks the schema of `content_type`, in Chinese (any value: one that
    is not a mapping is a problem too)."""
    if not isinstance(data, dict):
        return [Problem("", "页面信息应当是“字段: 值”的形式。", "每行写一个“字段: 值”。", "meta-not-mapping")]
    # The build hooks validate the same records, and `mkdocs serve` validates every
    # unchanged article again after each save; JSON Schema validation is the slow part, so
    # each distinct record (its repr is exact for YAML data) is validated once per process.
    key = (content_type, repr(data))
    if key not in _validated:
        if len(_validated) > 50_000:
            _validated.clear()
        _validated[key] = _problems(content_type, data)
    return list(_validated[key])


def is_published(data: dict[str, Any], today: dt.date | None = None) -> bool:
    """False for a draft, or a page dated later than today (Beijing time), or one whose
    date cannot be read: such pages are never built."""
    if data.get("draft") is True:
        return False
    if "date" not in data or data["date"] is None:
        return True  # plain pages have no date; typed content without one fails validation
    published = dates.parse(data["date"])
    return published is not None and published <= (today or dates.today())


def dates_not_after_today(content_type: str, data: object) -> list[tuple[str, dt.date, dict[str, Any]]]:
    """(dotted field, date, field schema) of every date in `data` whose field the schema marks
    `not_after_today` — the publication date, `updated`, `changes[].date` … at any depth —
    for the one rule that refuses dates later than today (fazhi.checks.metadata). A value
    that is not a real date is left out: the schema's own problems say what is wrong."""
    found: list[tuple[str, dt.date, dict[str, Any]]] = []
    _collect_dates(_load(content_type), data, "", found)
    return found


def fields(content_type: str) -> list[tuple[str, dict[str, Any], bool]]:
    """(key, field schema, required) in declaration order: for the field table, scaffold."""
    schema = _load(content_type)
    required = set(schema.get("required", []))
    return [(key, spec, key in required) for key, spec in schema.get("properties", {}).items()]


def declared(content_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """`data` with only the keys the content type's schema or the theme schema declares: an
    undeclared key (a typo, or one Material happens to print, such as `author`) is reported
    as unknown and never reaches a page."""
    keys = {key for key, _spec, _required in fields(content_type)} | set(theme_schema().get("properties", {}))
    return {key: value for key, value in data.items() if key in keys}


def conditional_requirements(content_type: str) -> list[tuple[str, list[Any], list[str]]]:
    """(field, values, required fields): "when `field` is one of `values`, also require …"."""
    rules = []
    for rule in _load(content_type).get("allOf", []):
        condition, then = rule.get("if", {}), rule.get("then", {})
        for key, spec in condition.get("properties", {}).items():
            rules.append((key, list(spec.get("enum", [spec.get("const")])), list(then.get("required", []))))
    return rules


def allowed(name: str) -> list[str]:
    """An allowed list from the registry, e.g. allowed("categories")."""
    return list(registry()["allowed"][name])


def example_value(spec: dict[str, Any]) -> str:
    """The field's example as it would be written in YAML front matter."""
    value = spec.get("example")
    if value is None:
        return ""
    if isinstance(value, dict) or (isinstance(value, list) and value and isinstance(value[0], dict)):
        return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000).strip()
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# ---- Helper functions ----


@cache
def _read_yaml(path: Path) -> Any:
    """A schema file, parsed once (callers copy before they change anything)."""
    with path.open(encoding="utf-8") as stream:
        return yaml.load(stream, _YamlLoader)  # noqa: S506 - a SafeLoader


_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_validated: dict[tuple[str, str], tuple[Problem, ...]] = {}


def _problems(content_type: str, data: dict[str, Any]) -> tuple[Problem, ...]:
    schema = _load(content_type)
    problems = [_problem(error, schema) for error in _validator(content_type).iter_errors(data)]
    theme = theme_schema()
    theme_data = {key: value for key, value in data.items()
                  if key in theme["properties"] and key not in schema.get("properties", {})}
    problems += [_problem(error, theme) for error in _theme_validator().iter_errors(theme_data)]
    problems += _unknown_keys(schema, data)
    return tuple(sorted(problems, key=lambda p: p.field))


@cache
def _load(content_type: str) -> dict[str, Any]:
    if content_type not in content_types():
        raise KeyError(f"未知的内容类型“{content_type}”，可用：{'、'.join(content_types())}")
    return cast("dict[str, Any]", _resolve(_read_yaml(SCHEMA_DIR / f"{content_type}.yml")))


def _resolve(node: Any) -> Any:
    """Inline `{$ref: "common.yml#/$defs/x", ...overrides}` so each schema stands alone."""
    if isinstance(node, list):
        return [_resolve(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _resolve(value) for key, value in node.items()}
    ref = node.pop("$ref", None)
    if ref is None:
        return node
    file_name, _, pointer = ref.partition("#")
    target: Any = _read_yaml(SCHEMA_DIR / file_name)
    for part in pointer.strip("/").split("/"):
        target = target[part]
    return {**_resolve(target), **node}


def _type_entry(path: Path | str) -> dict[str, Any]:
    relative = _docs_relative(path)
    for entry in registry()["content_types"]:
        if _glob_regex(entry["glob"]).fullmatch(relative):
            return cast("dict[str, Any]", entry)
    return {}


def _docs_relative(path: Path | str) -> str:
    parts = PurePosixPath(Path(path).as_posix()).parts
    if "docs" in parts:
        parts = parts[len(parts) - 1 - parts[::-1].index("docs") + 1:]
    return "/".join(parts)


@cache
def _glob_regex(glob: str) -> re.Pattern[str]:
    pattern = re.escape(glob).replace(r"/\*\*", "(?:/.*)?").replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
    return re.compile(pattern)


def _collect_dates(spec: dict[str, Any], value: object, path: str, found: list[tuple[str, dt.date, dict[str, Any]]]) -> None:
    if spec.get("not_after_today") and (when := dates.parse(value)) is not None:
        found.append((path, when, spec))
    elif isinstance(value, dict):
        for key, field_spec in spec.get("properties", {}).items():
            if key in value:
                _collect_dates(field_spec, value[key], f"{path}.{key}" if path else key, found)
    elif isinstance(value, list) and "items" in spec:
        for index, item in enumerate(value):
            _collect_dates(spec["items"], item, f"{path}.{index}", found)


def _check_date(value: object) -> bool:
    return not isinstance(value, str) or dates.is_iso_date(value)


_FORMATS = FormatChecker(formats=())
_FORMATS.checks("date")(_check_date)


_STANDARD = Draft202012Validator.VALIDATORS  # the keyword functions we extend


def _unknown_ok(schema: dict[str, Any], instance: object) -> bool:
    return instance is None and bool(schema.get("unknown_allowed"))


def _type(validator: Any, types: Any, instance: object, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if not _unknown_ok(schema, instance):
        yield from _STANDARD["type"](validator, types, instance, schema)


def _enum(validator: Any, enums: Any, instance: object, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if not _unknown_ok(schema, instance):
        yield from _STANDARD["enum"](validator, enums, instance, schema)


def _required(validator: Any, required: list[str], instance: object, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if isinstance(instance, dict):
        for key in required:
            if key not in instance:
                yield ValidationError(f"{key!r} is a required property", path=[key])


def _allowed_from(validator: Any, name: str, instance: object, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if schema.get("type") == "array" and not isinstance(instance, list):
        return  # the type error already says it
    permitted = registry()["allowed"][name]
    values = instance if isinstance(instance, list) else [instance]
    for index, value in enumerate(values):
        if isinstance(value, str) and value not in permitted:
            path = [index] if isinstance(instance, list) else []
            yield ValidationError(f"{value!r} not allowed", path=path, instance=value)


def _reserved(validator: Any, names: list[str], instance: object, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if isinstance(instance, str) and instance in names:
        yield ValidationError(f"{instance!r} is reserved", instance=instance)


_Validator = extend(  # type: ignore[no-untyped-call]  # types-jsonschema leaves jsonschema.validators.extend unannotated
    Draft202012Validator,
    {"type": _type, "enum": _enum, "required": _required, "allowed_from": _allowed_from, "reserved": _reserved},
)


@cache
def _validator(content_type: str) -> Any:
    return _Validator(_load(content_type), format_checker=_FORMATS)


@cache
def _theme_validator() -> Any:
    return _Validator(theme_schema(), format_checker=_FORMATS)


def _field_schema(schema: dict[str, Any], path: list[Any]) -> dict[str, Any]:
    node = schema
    for part in path:
        node = node.get("items", {}) if isinstance(part, int) else node.get("properties", {}).get(part, {})
    return node


def _label(key: str, spec: dict[str, Any]) -> str:
    return f"“{key}”（{spec['title']}）" if spec.get("title") else f"“{key}”"


def _example_line(key: str, spec: dict[str, Any]) -> str:
    return f"{key}: {example_value(spec)}".rstrip()


def _listed(error: ValidationError) -> str:
    """The keyword's list (enum's values, reserved's names) as the reader sees it."""
    return "、".join(map(str, cast("list[Any]", error.validator_value)))  # the schema's list for these keywords


def _problem(error: ValidationError, schema: dict[str, Any]) -> Problem:
    path = list(error.absolute_path)
    dotted = ".".join(str(part) for part in path)
    key = str(next((p for p in reversed(path) if isinstance(p, str)), dotted))
    spec = _field_schema(schema, path)
    owner = spec if not path or isinstance(path[-1], str) else _field_schema(schema, path[:-1])
    label = _label(dotted or key, owner)
    hint = owner.get("hint", "")
    value = error.instance
    shown = "空值" if value is None else f"“{_as_written(value)}”"
    kind = error.validator
    if kind == "required":
        if spec.get("format") == "date":
            fix = f"添加一行“{key}: {dates.today().isoformat()}”" + (f"（{hint}）" if hint else "") + "。"
        elif spec.get("type") == "string":
            # Not the example: it is another page's real text, which would pass as this one's.
            fix = f"添加一行“{key}: ”，在冒号和空格后面写上{spec.get('title', '内容')}" + (f"（{hint}）" if hint else "") + "。"
        else:
            fix = f"添加一行“{_example_line(key, spec)}”" + (f"（{hint}）" if hint else "") + "。"
        if spec.get("unknown_allowed"):
            fix += f"原文未载明时写“{key}:”留空，不要删掉这一行。"
        where = f"（在 {'.'.join(map(str, path[:-1]))} 中）" if len(path) > 1 else ""
        return Problem(dotted, f"缺少必填字段{_label(key, spec)}{where}。", fix, "meta-required")
    if kind == "allowed_from":
        name = owner.get("allowed_from", "")
        permitted = registry()["allowed"].get(name, [])
        choices = "、".join(permitted)
        what = {"categories": "分类", "tags": "标签"}.get(name, "值")
        near = suggest.nearest(value, permitted) if isinstance(value, str) else None
        return Problem(dotted, f"{what}{shown}不在允许的{what}中。{suggest.question(near)}",
                       f"从这些中选择：{choices}。确需新增，请维护者在 src/fazhi/sources/schemas/registry.yml 中添加。",
                       f"meta-{name}" if name else "meta-allowed")
    if kind == "format":
        return Problem(dotted, f"字段{label}的值{shown}不是有效日期。",
                       f"{hint or '格式为 YYYY-MM-DD'}，例如 {dates.today().isoformat()}。", "meta-date")
    if kind == "enum":
        values = cast("list[Any]", error.validator_value)
        near = suggest.nearest(value, [str(v) for v in values]) if isinstance(value, str) else None
        return Problem(dotted, f"字段{label}的值{shown}不在允许的值中。{suggest.question(near)}",
                       f"只能写 {_listed(error)}" + ("。" if len(values) == 1 else " 之一。"), "meta-enum")
    if kind == "type":
        wanted = _TYPE_NAMES.get(str(error.validator_value), str(error.validator_value))
        fix = hint or f"写成{wanted}"
        if isinstance(value, str) and _quoted_by_mistake(value, str(error.validator_value)):
            fix = f"去掉值两边的引号（加了引号就成了文字）；{fix}"
        elif isinstance(value, str) and value.startswith("-") and error.validator_value == "array":
            fix = f"列表项的减号“-”后面要有一个空格，写成“  - {value[1:].strip()}”；{fix}"
        example = example_value(owner)
        if example:
            fix += f"，例如“{key}: {example}”"
        if owner.get("unknown_allowed") and "未载明" not in fix:
            fix += f"；原文未载明时写“{key}:”留空"
        return Problem(dotted, f"字段{label}应当是{wanted}，现在是{shown}。", fix + "。", "meta-type")
    if kind in ("minLength", "minItems") or (kind == "pattern" and isinstance(value, str) and not value.strip()):
        fix = hint or "补上内容"
        if owner.get("unknown_allowed") and "未载明" not in fix:
            fix += f"；原文未载明时写“{key}:”（冒号后什么也不写）"
        return Problem(dotted, f"字段{label}不能为空。", fix + "。", "meta-empty")
    if kind == "maxLength":
        return Problem(dotted, f"字段{label}太长（{len(str(value))} 字，最多 {error.validator_value} 字）。",
                       "缩短到限制以内。", "meta-too-long")
    if kind == "pattern":
        return Problem(dotted, f"字段{label}的值{shown}格式不对。", (hint or "按规定格式填写") + "。", "meta-pattern")
    if kind in ("minimum", "maximum"):
        return Problem(dotted, f"字段{label}的值{shown}超出范围。", (hint or "检查数字") + "。", "meta-range")
    if kind == "reserved":
        return Problem(dotted, f"字段{label}的值{shown}是网站保留的名字（{_listed(error)}）。",
                       "换一个名字" + ("，并同时修改文件名" if owner.get("matches_file_name") else "") + "。", "meta-reserved")
    if kind == "additionalProperties":
        allowed_keys = "、".join(owner.get("properties", {}))
        return Problem(dotted, f"字段{label}中有不认识的项。", f"只能写 {allowed_keys}。", "meta-unknown-field")
    if kind == "uniqueItems":
        return Problem(dotted, f"字段{label}中有重复的项。", "删除重复的项。", "meta-duplicate-item")
    return Problem(dotted, f"字段{label}的值{shown}不符合要求（{error.message}）。", (hint or "按说明填写") + "。")


def _quoted_by_mistake(value: str, wanted: str) -> bool:
    """A text that would be the wanted type without its quotes ("true", "12", "[a, b]"):
    only then is “去掉引号” the fix."""
    text = value.strip()
    if wanted == "boolean":
        return text.lower() in ("true", "false")
    if wanted in ("integer", "number"):
        return bool(re.fullmatch(r"-?\d+(\.\d+)?", text))
    return (wanted == "array" and text.startswith("[")) or (wanted == "object" and text.startswith("{"))


def _as_written(value: object) -> str:
    """A YAML value as an author would write it (true, not Python's True)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


_TYPE_NAMES = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "“true”或“false”",
    "array": "列表（每行“- 项”，或写成 [项1, 项2]）",
    "object": "“字段: 值”的形式",
}


def _unknown_keys(schema: dict[str, Any], data: dict[str, Any]) -> list[Problem]:
    known = set(schema.get("properties", {})) | set(theme_schema()["properties"])
    listed = "、".join(schema.get("properties", {}))
    return [
        Problem(str(key), f"未知字段“{key}”，网站不会使用它。{suggest.question(suggest.nearest_key(str(key), sorted(known)))}",
                f"检查拼写；{schema.get('title', '')}可用的字段有：{listed}。", "meta-unknown-field")
        for key in data
        if key not in known
    ]
