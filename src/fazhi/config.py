"""The plugin's settings, as written under `plugins: - fazhi:` in mkdocs.yml.

Every value has a default that is the site's own choice; mkdocs.yml only names what differs.
MkDocs validates the types when it loads the configuration."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ConfigErrors, ConfigWarnings, ValidationError

# The options say what is wrong in Chinese: the checker reports the same messages with the
# line of mkdocs.yml (fazhi.checks.configuration), and MkDocs prints them when the build stops.


class PositiveInt(c.Type[int]):
    """A whole number of at least 1 (a page size of 0 would divide by zero)."""

    def __init__(self, default: int) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValidationError(f"应为大于 0 的整数，现在是“{value}”")
        return value


class Flag(c.Type[bool]):
    """true or false."""

    def __init__(self, default: bool) -> None:
        super().__init__(bool, default=default)

    def run_validation(self, value: object) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(f"应为 true 或 false（不加引号），现在是“{value}”")
        return value


class Text(c.Type[str]):
    """A line of text."""

    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> str:
        if not isinstance(value, str):
            raise ValidationError(f"应为文字，现在是“{value}”；含数字或符号的值请用英文引号括起来")
        return value


class GovernmentConfig(Config):  # type: ignore[no-untyped-call]  # MkDocs' Config.__init_subclass__ has no annotations
    """Government-site identifiers (国办发〔2017〕47号《政府网站发展指引》), shown in the footer
    and the page <meta>. Leave a value empty until the real one is known: nothing is shown
    for an empty value, and nothing is made up."""

    organizer = c.Optional(Text())  # 主办单位
    contact = c.Optional(Text())  # 联系方式 (telephone or address)
    site_id_code = c.Optional(Text())  # 网站标识码 (from the government website registry)
    icp = c.Optional(Text())  # ICP备案号 (linked to beian.miit.gov.cn)
    police_record = c.Optional(Text())  # 公安备案号 (linked to beian.gov.cn)
    badge_image = c.Optional(Text())  # 党政机关网站标识 image, a path under docs/
    badge_link = c.Optional(Text())  # the address the 党政机关网站标识 links to


class GovernmentOption(c.SubConfig[GovernmentConfig]):
    """`government:` with a Chinese error for a mistyped key: MkDocs would only warn about
    it in English, and the identifier would silently stay empty."""

    def __init__(self) -> None:
        super().__init__(GovernmentConfig)

    def run_validation(self, value: object) -> GovernmentConfig:
        if isinstance(value, dict):
            known = [key for key, _ in GovernmentConfig._schema]
            unknown = sorted(str(key) for key in value if key not in known)
            if unknown:
                raise ValidationError(f"government 中有未知的键 {'、'.join(unknown)}；可用的键：{'、'.join(known)}")
        elif value is not None:
            raise ValidationError("government 应为键值表（每行“键: 值”），请对照 mkdocs.yml 中的注释修改")
        return super().run_validation(value or {})


class FazhiConfig(Config):  # type: ignore[no-untyped-call]  # MkDocs' Config.__init_subclass__ has no annotations
    # Every list page costs a full theme render (~10 ms): fewer, longer pages keep the build
    # fast at thousands of articles. Category and tag lists show titles and dates only.
    pagination_per_page = PositiveInt(default=20)
    pagination_group_per_page = PositiveInt(default=50)
    # The newest articles on the home page (<!-- fazhi:latest-articles -->).
    home_latest = PositiveInt(default=5)
    # Atom feed (feed.xml): how many of the newest articles it carries.
    feed_entries = PositiveInt(default=20)
    # Reading time. Chinese readers of plain official prose: 300 characters a minute, the
    # lower end of the usual 300-400 字/分钟, because many of our readers are elderly and
    # read on phones; Latin words and numbers at 200 a minute.
    readtime_characters_per_minute = PositiveInt(default=300)
    readtime_words_per_minute = PositiveInt(default=200)
    government = GovernmentOption()
    # Render the navigation, tabs and search box once per build (fazhi.fragments). false
    # renders them for every page: the output is the same, byte for byte, only slower
    # (tests/test_fragments.py builds both ways and compares).
    cache_fragments = Flag(default=True)
    # The site's own Chinese search index (fazhi.search). false keeps Material's stock index:
    # only the search benchmark and evaluation build that way, to compare the two.
    search = Flag(default=True)
    # A gzip copy beside each text file (fazhi.hosting.precompress) for nginx's gzip_static.
    # Not in the preview, which no nginx serves.
    precompress = Flag(default=True)

    def _validate(self) -> tuple[ConfigErrors, ConfigWarnings]:
        failed, warnings = super()._validate()
        known = [name for name, _ in self._schema]
        return failed, [
            (key, f"未知的设置“{key}”，网站不会使用它；可用的设置：{'、'.join(known)}") if key not in known else (key, message)
            for key, message in warnings
        ]


def settings_problems(options: dict[str, object]) -> list[tuple[str, str]]:
    """(option, Chinese message) for every setting MkDocs would refuse or warn about: the
    strict build stops on both."""
    settings = FazhiConfig()
    settings.load_dict(dict(options))
    failed, warnings = settings.validate()
    return [(key, str(error)) for key, error in failed] + list(warnings)


def settings_from(options: dict[str, object]) -> FazhiConfig:
    """The plugin's settings from the options written in mkdocs.yml (for the checker, which
    reads mkdocs.yml without running MkDocs); the defaults where an option is invalid
    (MkDocs reports that itself when it loads the configuration)."""
    settings = FazhiConfig()
    settings.load_dict(dict(options))
    failed, _warnings = settings.validate()
    if failed:
        settings = FazhiConfig()
        settings.load_dict({})
        settings.validate()
    return settings
