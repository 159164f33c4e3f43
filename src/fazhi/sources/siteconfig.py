"""Read mkdocs.yml without running MkDocs: `!ENV` tags give their default, and Python
tags are only honoured for the Markdown extension helpers the site really uses (so the
checker renders headings with the same anchor slugs as the build)."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any, cast

import yaml

# Modules whose callables mkdocs.yml may name (slugify functions, emoji generators …).
TRUSTED_MODULES = ("pymdownx.", "markdown.", "material.extensions.")


class ConfigLoader(yaml.SafeLoader):
    """SafeLoader that tolerates the tags found in MkDocs configurations."""


def _env(loader: ConfigLoader, node: yaml.ScalarNode | yaml.SequenceNode | yaml.MappingNode) -> Any:
    values = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    *names, default = values if len(values) > 1 else [*values, None]
    for name in names:
        if isinstance(name, str) and os.environ.get(name):
            return os.environ[name]
    return default


def _python_name(loader: ConfigLoader, suffix: str, node: yaml.Node) -> Any:
    return _trusted(suffix) or suffix


def _python_apply(loader: ConfigLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        spec = loader.construct_mapping(node, deep=True)
        args, kwargs = spec.get("args", []), spec.get("kwds", {})
    else:
        # A scalar is refused by construct_sequence itself, with PyYAML's own ConstructorError.
        args, kwargs = loader.construct_sequence(cast(yaml.SequenceNode, node), deep=True), {}
    function = _trusted(suffix)
    return function(*args, **kwargs) if callable(function) else None


def _unknown(loader: ConfigLoader, suffix: str, node: yaml.Node) -> Any:
    return None


ConfigLoader.add_constructor("!ENV", _env)
ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/object/apply:", _python_apply)
ConfigLoader.add_multi_constructor("!", _unknown)
ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _unknown)


def load(path: Path) -> dict[str, Any]:
    """mkdocs.yml as a dict ({} when it is missing); YAML errors propagate."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig") as stream:
        data = yaml.load(stream, ConfigLoader)  # noqa: S506 - SafeLoader subclass
    return data if isinstance(data, dict) else {}


def lookup(mapping: Any, dotted: str) -> Any:
    """mapping["a"]["b"] for "a.b"; None when any step is missing."""
    for part in dotted.split("."):
        if not isinstance(mapping, dict):
            return None
        mapping = mapping.get(part)
    return mapping


def plugin_options(config: dict[str, Any], name: str) -> dict[str, Any]:
    """The options of plugin `name` as written under `plugins:` ({} when it has none)."""
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and name in entry:
            return entry[name] if isinstance(entry[name], dict) else {}
    return {}


def theme_dirs(config: dict[str, Any], root: Path) -> list[Path]:
    """Where the theme looks for templates and .icons, first match wins, as MkDocs orders
    them: the theme's custom_dir (relative to the project folder), then Material's own."""
    import material  # the theme the site is built with

    folders = []
    theme = config.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    if custom_dir:
        folders.append(root / str(custom_dir))
    folders.append(Path(material.__file__).parent / "templates")
    return folders


def markdown_extensions(config: dict[str, Any]) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The extension names and their settings, in the form markdown.Markdown() takes."""
    names: list[str] = []
    settings: dict[str, dict[str, Any]] = {}
    for entry in config.get("markdown_extensions") or []:
        if isinstance(entry, str):
            names.append(entry)
        elif isinstance(entry, dict):
            for name, options in entry.items():
                names.append(name)
                settings[name] = dict(options or {})
    return names, settings


# ---- Helper functions ----


def _trusted(dotted: str) -> Any:
    if not dotted.startswith(TRUSTED_MODULES):
        return None
    module_name, _, attribute = dotted.rpartition(".")
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError):
        return None
