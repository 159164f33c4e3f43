"""The article collection (普法文章) without Material's blog plugin, whose cost grew faster
than the number of posts (131 s, 645 MB at 5,000 posts): `collection` reads the published
articles into typed records, `pages` writes their list pages and the article page additions.
The Atom feed is fazhi.feed."""
