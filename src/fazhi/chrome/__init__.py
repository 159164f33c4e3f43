"""Page chrome: what the site adds around the content of every page — government <meta>
tags and the 发布日期/来源 line (`page_meta`), names for the section navigation
(`nav_names`) and a sitemap with only right addresses (`sitemap`)."""
