"""The site's own Chinese search: the build side (page text → sharded character-pair index)
read by fazhi.search.build, and the sample articles the search benchmark uses.
The browser side is overrides/assets/javascripts/search-worker.js; both sides must cut text
into terms the same way (see tokens.py)."""
