"""Is an SVG file a plain drawing? An SVG is an XML document: opened on its own (a reader
clicks the picture) it runs its scripts and event handlers on the government's domain, loads
what it links to and shows the web pages it embeds. An SVG image under docs/ that is not one
of the site's own assets (registry.yml `published_files` → `site_assets`) is published only
when none of that is in it (fazhi.checks.published_files).

The file is parsed with lxml without the network, without loading a DTD and without
expanding entities; what is judged is the parsed document. Allowlists: an element not listed
below is refused, whatever it is, and so is CSS beyond the little that drawings need. A
`<style>` sheet is refused altogether (CSS has escapes, @import, image-set(), image() … to
load from another host, more than a list of bad words can follow); a `style` attribute may
only hold `property: value;` declarations, and it and every presentation attribute
(fill="…") only values of STYLE_VALUE made of plain words, numbers, colours, quoted font
names, the functions of STYLE_FUNCTIONS and url(#id) (`_css_problem`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
# Shapes, text, grouping, paint servers, clipping and the common filter effects: nothing here
# runs code or fetches anything by itself (`use` only with a same-document #fragment).
ELEMENTS = frozenset({
    "svg", "g", "defs", "title", "desc", "metadata", "symbol", "use",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
    "filter", "feBlend", "feColorMatrix", "feComposite", "feDropShadow", "feFlood", "feGaussianBlur",
    "feMerge", "feMergeNode", "feOffset",
})
# What drawing programs keep about the file (Inkscape, Creative Commons licence data): data,
# never shown or run. Elements of any other namespace (XHTML above all) are refused.
EDITOR_NAMESPACES = frozenset({
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://creativecommons.org/ns#",
    "http://purl.org/dc/elements/1.1/",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.inkscape.org/namespaces/inkscape",
})
# What an element is called in the message, for the ones people meet.
NAMED = {
    "script": "脚本 <script>",
    "foreignObject": "嵌入的网页内容 <foreignObject>",
    "image": "嵌入或链接的图片 <image>",
    "a": "链接 <a>",
    "iframe": "嵌入的网页 <iframe>",
    "animate": "动画 <animate>",
    "set": "动画 <set>",
    "style": "样式表 <style>（样式请写在各图形自己的 style 或 fill 等属性中：Inkscape 导出时选“优化的 SVG”，"
             "Illustrator 的“CSS 属性”选“样式属性”或“演示文稿属性”）",
}
# url(…) that is not url(#id): a reference to another file or address.
EXTERNAL_URL = re.compile(r"url\(\s*+['\"]?+\s*+(?!#)", re.IGNORECASE)
# The CSS an SVG drawing may hold, in a style attribute (`property: value;` declarations) or
# a presentation attribute (one value): what Inkscape and Illustrator write. No backslash
# (CSS escapes), no "@", ":", "/", "*", ";" inside a value, so no at-rule, no scheme, no
# comment; every "(" belongs to one of STYLE_FUNCTIONS; url() only as url(#id).
STYLE_PROPERTY = re.compile(r"-{0,2}[A-Za-z][\w-]*")
STYLE_VALUE = re.compile(r"[#%.,()\w\s'\"+-]*")
STYLE_FUNCTION = re.compile(r"([\w-]*)\s*\(")
STYLE_FUNCTIONS = frozenset({
    "rgb", "rgba", "hsl", "hsla",  # colours
    "matrix", "translate", "translatex", "translatey", "scale", "scalex", "scaley", "rotate", "skewx", "skewy",  # transform
})
LOCAL_URL = re.compile(r"url\(\s*(['\"]?)#[\w.-]+\1\s*\)", re.IGNORECASE)
# No-namespace attributes that are no CSS at all (names and labels; href is judged on its
# own): every other one is held to STYLE_VALUE, whether browsers read it as a presentation
# attribute or not.
NOT_CSS = frozenset({"href", "id", "class", "lang", "role"})
NOT_CSS_PREFIXES = ("aria-", "data-")


def problems(path: Path) -> list[tuple[int, str]]:
    """(line, what is wrong, in Chinese) for every part of the SVG file that is not a plain
    drawing; [] when it is one."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(path.read_bytes(), parser)
    except etree.XMLSyntaxError as error:
        return [(error.lineno or 0, f"不是能读取的 SVG 图片（XML 格式错误：{error.msg}）")]
    found: list[tuple[int, str]] = []
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None:
        found.append((1, "含有 DOCTYPE 中的实体或声明（<!ENTITY …> 等），可能引用其他文件"))
    if etree.QName(root).namespace != SVG_NS or etree.QName(root).localname != "svg":
        found.append((root.sourceline or 1, "不是 SVG 图片（最外层不是 <svg>）"))
    for node in root.itersiblings(preceding=True):
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-stylesheet":  # noqa: SLF001 - lxml's node classes
            found.append((node.sourceline or 1, "引用了外部样式表（<?xml-stylesheet …?>）"))
    for element in root.iter():
        found += _element_problems(element)
    return found


# ---- Helper functions ----


def _element_problems(element: Any) -> list[tuple[int, str]]:
    line = element.sourceline or 1
    if isinstance(element, etree._Entity):  # noqa: SLF001 - an entity left unexpanded
        return [(line, f"含有实体引用 &{element.name};")]
    if not isinstance(element.tag, str):  # comments and processing instructions inside
        if isinstance(element, etree._ProcessingInstruction) and element.target == "xml-stylesheet":  # noqa: SLF001
            return [(line, "引用了外部样式表（<?xml-stylesheet …?>）")]
        return []
    name = etree.QName(element)
    found: list[tuple[int, str]] = []
    if name.namespace == SVG_NS and name.localname not in ELEMENTS:
        found.append((line, f"含有不允许的元素：{NAMED.get(name.localname, f'<{name.localname}>')}"))
    elif name.namespace != SVG_NS and name.namespace not in EDITOR_NAMESPACES:
        found.append((line, f"含有不属于 SVG 的元素：{NAMED.get(name.localname, f'<{name.localname}>')}（{name.namespace or '没有命名空间'}）"))
    for attribute, value in element.attrib.items():
        local = etree.QName(attribute).localname
        if local.lower().startswith("on"):
            found.append((line, f"含有事件属性 {local}=（点击、加载时运行的代码）"))
        elif local == "href" and not value.strip().startswith("#"):
            found.append((line, f"有指向其他文件或网址的链接 {local}=\"{value}\"（只能引用本图片中的 #id）"))
        elif EXTERNAL_URL.search(value) or "javascript:" in value.lower():
            found.append((line, f"属性 {local} 引用了其他文件或网址：{value.strip()[:60]}"))
        elif name.namespace == SVG_NS and etree.QName(attribute).namespace is None and (problem := _css_problem(local, value)):
            found.append((line, problem))
    return found


def _css_problem(name: str, value: str) -> str:
    """Why the value of the no-namespace attribute `name` is more CSS than a drawing needs
    ("" when it is not)."""
    if name in NOT_CSS or name.startswith(NOT_CSS_PREFIXES):
        return ""
    shown = value.strip()[:60]
    rule = "只能写颜色、数字、字体名称和 url(#id)，不能有反斜杠、@、网址或其他函数"
    if name == "style":
        for declaration in value.split(";"):
            prop, colon, css = declaration.partition(":")
            if not declaration.strip():
                continue
            if not colon or not STYLE_PROPERTY.fullmatch(prop.strip()) or not _plain_value(css):
                return f"样式 style=\"{shown}\" 中有不允许的写法“{declaration.strip()[:40]}”（样式{rule}）"
        return ""
    if not _plain_value(value):
        return f"属性 {name}=\"{shown}\" 的值有不允许的写法（{rule}）"
    return ""


def _plain_value(css: str) -> bool:
    """A value of STYLE_VALUE's characters whose functions are all STYLE_FUNCTIONS or url(#id)."""
    without_local_urls = LOCAL_URL.sub(" ", css)
    return (STYLE_VALUE.fullmatch(without_local_urls) is not None
            and all(function.lower() in STYLE_FUNCTIONS for function in STYLE_FUNCTION.findall(without_local_urls)))
