"""How site search is judged: the two query sets, which pages are right for each query, the
scoring and the targets. scripts/search_eval.py and tests/test_search_eval.py both use this
module, so the script's figures and CI's are the same figures.

Two sets:

- "new": scripts/search_questions.yml, questions a citizen would type (natural questions,
  pinyin slips, full-width and punctuation, short topics), each with the pages a citizen
  wants, written down by hand from the site's content (`want`, site paths, "" = home);
- "old": QUERIES, 50 terms taken from the 2024 report; a page is right when its rendered
  text (read from the built HTML, independently of any search index) contains every term
  of the query.

Scoring, per query, on the result pages best first:

- recall@3 = |first 3 results ∩ wanted| / min(3, |wanted|)  (1.0 when nothing is wanted);
- first result right = the first result is one of the wanted pages;
- zero-result = no result at all while some page is wanted."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import lxml.html
import yaml

from fazhi.search.harness import NOTICE, REPO, RESULT_META, SEARCH_BOX, notice_text, result_pages, wait_until_ready
from fazhi.search.tokens import normalize, runs

if TYPE_CHECKING:  # types only: Playwright itself is imported by whoever opened the page
    from playwright.sync_api import Locator, Page

QUESTION_FILE = REPO / "scripts" / "search_questions.yml"
SETS = ("old", "new")
SET_NAMES = {"old": "旧评测集（2024 年度报告中的词语）", "new": "新评测集（scripts/search_questions.yml）"}
# The kinds of the new set, with what each means (the question file's header says more).
KINDS = {"question": "自然问句", "slip": "同音错字", "normalise": "全角、空格、标点", "topic": "简短主题词"}
FIELDS = {"query": "查询", "kind": "类型", "want": "应找到的页面", "why": "理由"}

# The old set: (kind, query). Kinds: whole term, part of a word, several terms, number,
# title, body-only. Its figures were 1.000 / 1.000 / 0 before issue 16 and must stay there.
QUERIES: list[tuple[str, str]] = [
    ("whole", "行政复议"), ("whole", "法律援助"), ("whole", "信用修复"), ("whole", "首违不罚"),
    ("whole", "汽开区"), ("whole", "营商环境"), ("whole", "诉前调解"), ("whole", "法治"),
    ("whole", "权责清单"), ("whole", "行政执法"), ("whole", "人民调解"), ("whole", "法律顾问"),
    ("part", "复议"), ("part", "援助"), ("part", "修复"), ("part", "违不罚"), ("part", "开区"),
    ("part", "调解率"), ("part", "诉前"), ("part", "明白人"), ("part", "公信"),
    ("multi", "汽开区 法治"), ("multi", "行政 复议"), ("multi", "法律援助 服务圈"),
    ("multi", "信用修复 告知书"), ("multi", "物业 纠纷"), ("multi", "综治中心 纠纷"),
    ("multi", "营商环境 权责清单"),
    ("number", "2974"), ("number", "1203"), ("number", "141"), ("number", "7127"),
    ("number", "2024年"), ("number", "1203项"), ("number", "620余件"), ("number", "14.3%"),
    ("title", "本年度推进法治政府建设中存在的不足"), ("title", "网站声明"),
    ("title", "党政主要负责人履行推进法治建设第一责任人职责"), ("title", "下一年度推进法治政府建设的主要安排"),
    ("body", "百姓说事点"), ("body", "半小时服务圈"), ("body", "物业调解工作室"), ("body", "两书同达"),
    ("body", "集群注册"), ("body", "简易注销"), ("body", "府院联动"), ("body", "监护责任告知书"),
    ("body", "律师进小区"), ("body", "述法"),
]
OLD_WHY = "正文含有查询的全部词语"

# How long one query may take in the browser before it counts as unanswered (ms): answers
# come in about 0.1 s; ten seconds is a hung worker, not a slow one.
ANSWER_TIMEOUT_MS = 10_000
# A mean over 50 queries of fractions like 2/3 is not exact in binary: 1e-9 absorbs that.
EPSILON = 1e-9


class EvaluationError(Exception):
    """The evaluation cannot run; the message says where and why, in Chinese."""


class QuestionFileError(EvaluationError):
    """The question file cannot be used; the message names the file, line and entry."""


# ---- The sets ----


@dataclass(frozen=True)
class Question:
    query: str  # exactly what is typed into the search box
    kind: str  # new set: a key of KINDS; old set: whole, part, multi, number, title, body
    want: tuple[str, ...]  # the right pages, as site paths ("articles/x/", "" = home)
    why: str
    line: int = 0  # where the entry starts in its file (0: not from a file)
    source: str = ""  # that file, as shown in messages


def load_questions(path: Path = QUESTION_FILE) -> list[Question]:
    """The new set from its YAML file: `questions:`, a list of mappings with exactly the keys
    of FIELDS. Raises QuestionFileError naming the file, the line and the entry number on
    anything else (the file is read with the safe loader; it is small)."""
    display = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise QuestionFileError(f"{display}：无法读取评测问题文件（{error.strerror}）。") from None
    except UnicodeDecodeError:
        raise QuestionFileError(f"{display}：文件不是 UTF-8 编码，请用 UTF-8 保存。") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{display}:{mark.line + 1}" if mark is not None else display
        problem = getattr(error, "problem", None) or "无法解析"
        raise QuestionFileError(f"{where} YAML 格式错误（{problem}），请检查缩进、冒号和引号。") from None
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list) or root is None:
        raise QuestionFileError(f"{display}:1 文件应以“questions:”开头，下面是问题列表（每条以“- query:”开始）。")
    items = _child(root, "questions")
    questions = []
    for number, entry in enumerate(data["questions"], start=1):
        line = items.value[number - 1].start_mark.line + 1 if isinstance(items, yaml.SequenceNode) else 1
        questions.append(_question(entry, f"{display}:{line} 第 {number} 条", line, display))
    if not questions:
        raise QuestionFileError(f"{display}:1 问题列表是空的。")
    return questions


def old_questions(site_dir: Path) -> list[Question]:
    """The old set, each query wanting the pages of the built site whose text contains all
    of its terms."""
    texts = page_texts(site_dir)
    return [Question(query, kind, tuple(relevant_pages(query, texts)), OLD_WHY) for kind, query in QUERIES]


def missing_pages(questions: Sequence[Question], site_dir: Path) -> list[str]:
    """A message for each wanted page that the built site does not have (a typo in `want`
    would otherwise only show as a query that never scores)."""
    return [f"{question.source}:{question.line} “{question.query}”要找的页面“{path}”在生成的网站里不存在"
            f"（应为 {path}index.html）。"
            for question in questions for path in question.want if not (site_dir / path / "index.html").is_file()]


def page_texts(site: Path) -> dict[str, str]:
    """Each searchable page's article text, normalized, keyed by its site path. Pages that opt
    out of search (`search: exclude`, e.g. the generated article lists) are left out."""
    searchable = searchable_pages(site)
    texts = {}
    for html_file in site.rglob("index.html"):
        relative = html_file.parent.relative_to(site).as_posix()
        path = "" if relative == "." else relative + "/"
        if path not in searchable:
            continue
        tree = lxml.html.parse(str(html_file))
        article = tree.find(".//article")
        if article is None:
            continue
        for permalink in article.find_class("headerlink"):
            permalink.drop_tree()
        texts[path] = normalize(article.text_content())
    return texts


def searchable_pages(site: Path) -> set[str]:
    """The pages the site's search configuration indexes, whichever search built the site:
    Material's search_index.json lists them; ours leaves it empty and writes one small file
    per page, `{"u": path, …}`, under search/<config.index>/p/."""
    stock = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    if stock["docs"]:
        return {doc["location"].split("#")[0] for doc in stock["docs"]}
    folder = site / "search" / str(stock.get("config", {}).get("index", "")) / "p"
    pages = {json.loads(page.read_text(encoding="utf-8"))["u"] for page in folder.glob("*.json")}
    if not pages:
        raise EvaluationError(f"{folder} 下没有页面文件：本站索引的格式变了，请同时修改 fazhi.search.evaluation.searchable_pages。")
    return pages


def relevant_pages(query: str, texts: dict[str, str]) -> list[str]:
    """The old set's rule: the pages whose text contains every term of the query."""
    terms = runs(normalize(query))
    return [path for path, text in texts.items() if terms and all(term in text for term in terms)]


# ---- Scoring ----


@dataclass(frozen=True)
class Score:
    question: Question
    pages: tuple[str, ...]  # result pages, best first
    notice: str  # our notice line above the results, "" if none
    recall3: float  # 0.0–1.0
    first_right: bool
    zero: bool  # nothing found although some page is wanted

    @property
    def perfect(self) -> bool:
        return self.recall3 >= 1 - EPSILON and self.first_right and not self.zero


def recall_at_3(pages: Sequence[str], want: Sequence[str]) -> float:
    """|first 3 pages ∩ want| / min(3, |want|); 1.0 when nothing is wanted."""
    if not want:
        return 1.0
    return len(set(pages[:3]) & set(want)) / min(3, len(set(want)))


def score(question: Question, pages: Sequence[str], notice: str = "") -> Score:
    return Score(question, tuple(pages), notice, recall_at_3(pages, question.want),
                 bool(pages) and pages[0] in question.want, not pages and bool(question.want))


@dataclass(frozen=True)
class Figures:
    queries: int
    recall3: float  # mean over the queries, 0.0–1.0
    first_right: float  # share of queries, 0.0–1.0
    zero: int  # number of queries


def figures(scores: Sequence[Score]) -> Figures:
    n = len(scores)
    if not n:
        return Figures(0, 0.0, 0.0, 0)
    return Figures(n, sum(s.recall3 for s in scores) / n, sum(s.first_right for s in scores) / n,
                   sum(s.zero for s in scores))


@dataclass(frozen=True)
class Targets:
    recall3: float  # at least
    first_right: float  # at least
    zero: int  # at most

    def misses(self, got: Figures) -> list[str]:
        """What got falls short of, in Chinese ([] when every target is met)."""
        missed = []
        if got.recall3 < self.recall3 - EPSILON:
            missed.append(f"recall@3 {got.recall3:.3f} < {self.recall3:.2f}")
        if got.first_right < self.first_right - EPSILON:
            missed.append(f"首条正确 {got.first_right:.3f} < {self.first_right:.2f}")
        if got.zero > self.zero:
            missed.append(f"0 条结果 {got.zero} 个 > {self.zero}")
        return missed


# The new set's targets are issue 16's; the old set must keep the figures it had.
TARGETS = {"new": Targets(recall3=0.95, first_right=0.85, zero=0), "old": Targets(recall3=1.0, first_right=1.0, zero=0)}


def describe(result: Score, shown: int = 5) -> str:
    """One line for a query that is not perfect: its results and what was wanted."""
    q = result.question
    found = "、".join(_page(p) for p in result.pages[:shown]) + ("…" if len(result.pages) > shown else "") or "（无结果）"
    want = "、".join(_page(p) for p in q.want[:shown]) + (f"…共 {len(q.want)} 个" if len(q.want) > shown else "")
    notice = f"；提示：{result.notice}" if result.notice else ""
    return (f"“{q.query}”（{q.kind}）recall@3 {result.recall3:.2f}，首条{'正确' if result.first_right else '不对'}；"
            f"结果：{found}；应找到：{want}{notice}")


def failure_report(name: str, scores: Sequence[Score]) -> str:
    """The set's figures, the targets it misses and every query that is not perfect."""
    got = figures(scores)
    lines = [f"{SET_NAMES.get(name, name)}：{got.queries} 个查询，recall@3 {got.recall3:.3f}，"
             f"首条正确 {got.first_right:.3f}，0 条结果 {got.zero} 个；未达目标：{'；'.join(TARGETS[name].misses(got)) or '无'}"]
    lines += [f"  {describe(s)}" for s in scores if not s.perfect]
    return "\n".join(lines)


# ---- Asking in the browser ----


@dataclass(frozen=True)
class Answer:
    query: str
    pages: tuple[str, ...]  # result pages, best first, site paths
    count_text: str  # Material's line: "找到 N 个符合条件的结果", "没有找到…"
    notice: str  # our notice line, "" if none


# Set by Material once our worker (or its own) has answered: "找到 …", "没有找到 …".
ANSWERED = "符合条件的结果"


def ask_all(page: Page, root_url: str, queries: Sequence[str], timeout_ms: float = ANSWER_TIMEOUT_MS) -> list[Answer]:
    """Type each query into the header search box of `page` (already showing a page of the
    site at root_url), one after another, and read each answer. A query not answered within
    timeout_ms is an Answer with no pages and count_text saying so.

    Before each query the result line (and our notice) is blanked, so the wait sees this
    query's answer and not the last one; Material only asks again when the box's value
    changes, so a repeated query is preceded by an empty box."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = page.locator(SEARCH_BOX)
    box.click()
    wait_until_ready(page)
    answers = []
    for query in queries:
        if box.input_value() == query:
            _clear(page, box)
        page.evaluate("selectors => selectors.forEach(s => { const el = document.querySelector(s); if (el) el.textContent = '' })",
                      [RESULT_META, NOTICE])
        box.fill(query)
        box.press("End")  # an input method commits with a key release, which Material listens to
        try:
            page.wait_for_function("([selector, text]) => document.querySelector(selector).textContent.includes(text)",
                                   arg=[RESULT_META, ANSWERED], timeout=timeout_ms)
        except PlaywrightTimeout:
            answers.append(Answer(query, (), f"（{timeout_ms / 1000:.0f} 秒内没有回答）", ""))
            continue
        count_text = page.locator(RESULT_META).inner_text()
        answers.append(Answer(query, tuple(result_pages(page, root_url)), count_text, notice_text(page)))
    return answers


def score_answers(questions: Sequence[Question], answers: Sequence[Answer]) -> list[Score]:
    return [score(question, answer.pages, answer.notice) for question, answer in zip(questions, answers, strict=True)]


# ---- Helper functions ----


def _question(entry: object, where: str, line: int, source: str) -> Question:
    """One entry of the question file, checked field by field."""
    if not isinstance(entry, dict):
        raise QuestionFileError(f"{where}应是一组“字段: 值”（query、kind、want、why），现在是 {type(entry).__name__}。")
    for key in entry:
        if key not in FIELDS:
            raise QuestionFileError(f"{where}有未知字段“{key}”；只能有 {'、'.join(FIELDS)}。")
    for key, label in FIELDS.items():
        if key not in entry:
            raise QuestionFileError(f"{where}缺少字段“{key}”（{label}）。")
    query, kind, want, why = entry["query"], entry["kind"], entry["want"], entry["why"]
    if not isinstance(query, str) or not query.strip():
        raise QuestionFileError(f"{where}的 query（查询）应是非空文字，现在是 {query!r}。")
    if not isinstance(kind, str) or kind not in KINDS:
        choices = "、".join(f"{key}（{label}）" for key, label in KINDS.items())
        raise QuestionFileError(f"{where}的 kind（类型）“{kind}”不认识；应是 {choices} 之一。")
    if not isinstance(want, list) or not want:
        raise QuestionFileError(f"{where}的 want（应找到的页面）应是至少一个页面路径的列表，如 [articles/xxx/, reports/2024/part-1/]。")
    for path in want:
        if not isinstance(path, str):
            raise QuestionFileError(f"{where}的 want 中“{path}”不是页面路径；路径要写成文字，如 articles/xxx/（首页写 \"\"）。")
        if path.startswith("/") or (path and not path.endswith("/")) or "index.html" in path:
            raise QuestionFileError(f"{where}的 want 中“{path}”写法不对：相对站点根目录、以“/”结尾，如 articles/xxx/（首页写 \"\"）。")
    if not isinstance(why, str) or not why.strip():
        raise QuestionFileError(f"{where}的 why（理由）应是非空文字。")
    return Question(query, kind, tuple(want), why, line, source)


def _child(mapping: yaml.Node, key: str) -> yaml.Node | None:
    """The value node of `key` in a mapping node (None if absent)."""
    if isinstance(mapping, yaml.MappingNode):
        for key_node, value_node in mapping.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key and isinstance(value_node, yaml.Node):
                return value_node
    return None


def _clear(page: Page, box: Locator) -> None:
    """Empty the box and wait for Material to take it (it shows its "type to search" line)."""
    page.evaluate("selector => { document.querySelector(selector).textContent = '' }", RESULT_META)
    box.fill("")
    box.press("End")
    page.wait_for_function("selector => document.querySelector(selector).textContent !== ''", arg=RESULT_META)


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO).as_posix()
    except ValueError:
        return str(path)


def _page(path: str) -> str:
    return path or "（首页）"
