"""检查网站内容：页面信息（front matter）、链接、内容安全、错别字和更新情况。

A thin wrapper: the tool is fazhi.cli.check (also installed as the console script
`fazhi-check`)."""

from fazhi.cli.check import run

if __name__ == "__main__":
    run()
