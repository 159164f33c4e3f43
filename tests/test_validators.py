"""Every page of the built site is valid HTML for the Nu HTML Checker (vnu, pinned in
package.json), and each Material template copied into overrides/ (to get there, to name no
other host, to size the logo) is still the installed Material's file with exactly its
documented edit.

Run with -s to see how long the checker took. The checker runs once (one JVM) over every .html
file of the site — the 404 page, the lists and the articles included — with no message filter."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

import pytest
from bs4 import BeautifulSoup

from fazhi.chrome.nav_names import section_name
from fazhi.fragments import MATERIAL_TEMPLATES

from conftest import REPO, attr, found

if TYPE_CHECKING:
    from bs4 import Tag
    from playwright.sync_api import Page

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
OVERRIDES = REPO / "overrides"


@dataclass(frozen=True)
class Edit:
    """Replace `old` by `new` in Material's template; `old` occurs exactly `count` times."""

    old: str
    new: str
    count: int = 1


# The one change each copied template makes to Material's, and why (each file's opening
# comment says more). Everything else in the copy is Material's file byte for byte.
EDITS: dict[str, tuple[Edit, ...]] = {
    # autocomplete="off" is not allowed on a checkbox. The two toggles take it from a form they
    # belong to instead, so browsers still do not restore them checked (menu or search reopening
    # by itself after Back or, in Firefox, after reloading).
    "base.html": (
        Edit(
            '    <input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">\n',
            '    <form id="__toggles" autocomplete="off" hidden></form>\n'
            '    <input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" form="__toggles">\n',
        ),
        Edit('id="__search" autocomplete="off">', 'id="__search" form="__toggles">'),
        # No web fonts: the font host cannot be reached from mainland China, and the site sets
        # `font: false`; the template names no other host at all (test_no_external_resources).
        Edit(
            '      {% if config.theme.font != false %}\n'
            '        {% set text = config.theme.font.text | d("Roboto", true) %}\n'
            '        {% set code = config.theme.font.code | d("Roboto Mono", true) %}\n'
            '        <link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>\n'
            '        <link rel="stylesheet" href="https://fonts.googleapis.com/css?family={{\n'
            "            text | replace(' ', '+') + ':300,300i,400,400i,700,700i%7C' +\n"
            "            code | replace(' ', '+') + ':400,400i,700,700i'\n"
            '          }}&display=fallback">\n'
            '        <style>:root{--md-text-font:"{{ text }}";--md-code-font:"{{ code }}"}</style>\n'
            '      {% endif %}\n',
            '      {#- No web fonts: their host cannot be reached from mainland China (tests/test_validators.py, EDITS). -#}\n',
        ),
    ),
    # tabindex="" (a section's toggle, not in the tab order) is not a valid integer: no
    # attribute instead. A toggle holding only an icon (a section with an index page) names
    # itself and its sub-navigation with the section's title on the icon (fazhi.chrome.nav_names).
    "partials/nav-item.html": (
        Edit(' tabindex="{{ tabindex }}">', '{% if tabindex %} tabindex="{{ tabindex }}"{% endif %}>', count=2),
        Edit(
            '                <span class="md-nav__icon md-icon"></span>\n              </label>',
            '                <span class="md-nav__icon md-icon" role="img" aria-label="{{ render_title(nav_item) | section_name }}"></span>\n'
            "              </label>",
        ),
    ),
    # The logo's width and height (its 1:1 shape, assets/images/favicon.svg), so the browser
    # keeps its place before the file arrives (Lighthouse `unsized-images`).
    "partials/logo.html": (Edit('alt="logo">', 'alt="logo" width="64" height="64">'),),
    # `for` must name a control of the page: the `__toc` toggle exists only where nav-item.html
    # renders it, right before including this partial.
    "partials/toc.html": (
        Edit('<label class="md-nav__title" for="__toc">', '<label class="md-nav__title"{% if nav_item is defined %} for="__toc"{% endif %}>'),
    ),
}


def test_every_page_has_no_nu_html_checker_error(site_dir: Path) -> None:
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 10, pages
    assert site_dir / "404.html" in pages
    started = time.monotonic()
    messages = run_vnu(pages)
    print(f"Nu HTML Checker: {len(pages)} 个页面，{time.monotonic() - started:.1f} 秒，{len(messages)} 个错误")
    assert messages == [], f"Nu HTML Checker 在生成的网站中发现 {len(messages)} 个错误：\n{describe(messages, site_dir)}"


@pytest.mark.parametrize("name", list(EDITS))
def test_override_is_materials_template_with_its_documented_edit(name: str) -> None:
    original = (MATERIAL_TEMPLATES / name).read_text(encoding="utf-8")
    override = (OVERRIDES / name).read_text(encoding="utf-8")
    redo = (
        f"overrides/{name} 是 Material 的 {name} 加上 tests/test_validators.py 中 EDITS 写明的修改。"
        f"已安装的 Material 的 {name} 变了：请把新的 {MATERIAL_TEMPLATES / name} 重新复制到 overrides/{name}，"
        "保留开头的说明注释，再做一遍那里的修改（若修改已不需要，删除这个覆盖文件和它的 EDITS 条目）。\n"
        f"overrides/{name} is Material's {name} plus the edit listed in EDITS; the installed Material's "
        "file changed: copy it again, keep the opening comment and redo the edit (or drop the override)."
    )
    edited = original
    for edit in EDITS[name]:
        found_times = edited.count(edit.old)
        assert found_times == edit.count, f"{redo}\n{edit.old!r}: 应出现 {edit.count} 次，实际 {found_times} 次"
        edited = edited.replace(edit.old, edit.new)
    comment, _, copy = override.partition("-#}\n")
    assert comment.startswith("{#-") and "tests/test_validators.py" in comment, (
        f"overrides/{name} 应以说明为什么覆盖的注释开头（{{#- … -#}}），并提到 tests/test_validators.py"
    )
    assert copy == edited, redo


def test_every_section_navigation_has_its_own_name(site_dir: Path) -> None:
    """What the override of nav-item.html is for: each sub-navigation landmark is named by its
    toggle, and the toggle of a section with an index page (an arrow icon) carries the title."""
    checked = 0
    for path in sorted(site_dir.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        names = []
        for nav in soup.select("nav[aria-labelledby]"):
            toggle = found(soup.find(id=attr(nav, "aria-labelledby")))
            title = " ".join(found(nav.select_one(":scope > .md-nav__title")).get_text().split())
            name = accessible_text(toggle)
            assert name == title, f"{path.relative_to(site_dir)}: 导航 {attr(nav, 'aria-labelledby')} 的名称是 {name!r}，应为 {title!r}"
            names.append(name)
        assert len(names) == len(set(names)), f"{path.relative_to(site_dir)}: 同名的导航 {names}"
        checked += len(names)
    assert checked > 0


def test_section_name_is_the_title_as_plain_text_for_an_attribute() -> None:
    # A title as Material's render_title gives it: text, or the typeset plugin's HTML.
    assert section_name("年度报告") == "年度报告"
    assert section_name('<span class="md-typeset">\n  2024 &amp; <em>年度</em>"报告"\n</span>') == "2024 &amp; 年度&#34;报告&#34;"


def test_menu_left_open_is_closed_again_after_going_back(page: Page, base_url: str) -> None:
    """Why the toggles still have autocomplete="off" from their form: without it, a browser
    that reloads a page on Back (no back-forward cache) restores the menu checked and open."""
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(base_url)
    page.locator("label.md-header__button[for='__drawer']").click()
    assert page.locator("#__drawer").is_checked()
    page.locator(".md-sidebar--primary .md-nav__link[href]").last.click()
    page.wait_for_load_state("load")
    page.go_back(wait_until="load")
    # A page from the back-forward cache comes back exactly as it was left (menu open):
    # this test needs the reload that happens without that cache.
    assert page.evaluate("performance.getEntriesByType('navigation')[0].type") == "back_forward", "返回时页面来自往返缓存，没有重新加载"
    assert not page.locator("#__drawer").is_checked(), "返回后菜单又自己打开了"


# ---- Helper functions ----


def run_vnu(pages: list[Path]) -> list[dict[str, Any]]:
    """The checker's errors for `pages`, in one run (one JVM for all files)."""
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.fail(
            f"没有找到 Java 或 Nu HTML Checker（{VNU.relative_to(REPO)}）。请在仓库根目录运行 "
            "bash scripts/setup.sh：以 root 运行时它用 apt-get 安装 Java 和 npm，再用 npm 安装 package.json 中固定版本的 vnu-jar。"
        )
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--errors-only", "--stdout", *map(str, pages)],
        capture_output=True,
        text=True,
    )
    try:
        messages: list[dict[str, Any]] = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"Nu HTML Checker 没有给出结果（退出码 {result.returncode}）：\n{result.stdout}\n{result.stderr}")
    assert messages or result.returncode == 0, f"退出码 {result.returncode}：{result.stderr}"
    return messages


def describe(messages: list[dict[str, Any]], site_dir: Path) -> str:
    """One group per message, most frequent first, each error as file:line:col."""
    groups: dict[str, list[str]] = defaultdict(list)
    for message in messages:
        file = Path(unquote(urlparse(message.get("url", "")).path))
        where = file.relative_to(site_dir) if file.is_relative_to(site_dir) else file
        line = message.get("firstLine", message.get("lastLine", "?"))
        groups[f"[{message['type']}] {message['message']}"].append(f"{where}:{line}:{message.get('firstColumn', '?')}")
    lines = []
    for text, places in sorted(groups.items(), key=lambda group: -len(group[1])):
        lines.append(f"{len(places)} × {text}")
        lines += [f"    {place} {text}" for place in places]
    return "\n".join(lines)


def accessible_text(element: Tag) -> str:
    """An element's text as its accessible name from content: its text, and the names of the
    images inside it (role="img" aria-label)."""
    parts = [attr(image, "aria-label") for image in element.select('[role="img"][aria-label]')]
    return " ".join(" ".join([element.get_text(), *parts]).split())
