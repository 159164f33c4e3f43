"""新建一篇普法文章：写好页面信息（front matter）和正文骨架，日期是今天（北京时间）。

A thin wrapper: the tool is fazhi.cli.new_article (also installed as the console script
`fazhi-new-article`)."""

from fazhi.cli.new_article import run

if __name__ == "__main__":
    run()
