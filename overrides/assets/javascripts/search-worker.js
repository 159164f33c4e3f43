/*
 * The site's search worker. Material for MkDocs' search box and result list (its page
 * script) talk to it with the same messages as to Material's own worker:
 *   SETUP {config, docs, options} -> READY, QUERY "text" -> RESULT {items: SearchItem[][]}
 * where each inner list is one page: the page itself (location without "#") and its matching
 * sections, each {location, title, text, score, terms}; title and text are HTML with <mark>.
 *
 * The index (written by fazhi.search.build, see src/fazhi/search/index.py)
 * holds every single character and every overlapping character pair of the site's text, so
 * any Chinese substring is found exactly (复议 finds 行政复议). Nothing is downloaded before
 * the first query; then only meta.json, the shards holding the query's keys and the pages
 * shown in the result list. Text is cut into keys exactly as src/fazhi/search/tokens.py
 * does; change both together.
 */
"use strict"

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3

const MAX_RESULTS = 20       /* pages in the result list */
const FIRST = 10             /* Material draws ten results before the reader scrolls */
const MAX_CHECKED = 60       /* give up checking candidates after this many pages */
const BEFORE = 24            /* characters shown before a match in a teaser */
const AFTER = 56             /* characters shown after it */
const TITLE = 1, HEADING = 2 /* flags in the low bits of a posting's weight */

const WORD_RUN = /[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+/gu

let indexUrl = null           /* URL of the current index folder */
let shardCount = 0            /* number of shard files, from search_index.json */
let meta = null               /* promise of meta.json */
const shards = new Map()      /* shard number -> promise of {key: postings} */
const postingsCache = new Map() /* key -> Map(page id -> weight) */
const pages = new Map()       /* page id -> promise of prepared page */
let latest = 0                /* number of the newest query; older answers are dropped */

addEventListener("message", async ev => {
  const message = ev.data
  if (message.type === SETUP) {
    indexUrl = new URL(`../../search/${message.data.config.index}/`, self.location)
    shardCount = message.data.config.shards
    postMessage({ type: READY })
  } else if (message.type === QUERY) {
    const number = ++latest
    const publish = data => {
      if (number === latest)
        postMessage({ type: RESULT, data })
    }
    let result
    try {
      result = await search(message.data, publish)
    } catch (err) {
      console.warn("搜索失败：", err)
      result = { items: [] }
    }
    publish(result)
  }
})

/* ----------------------------------------------------------------------------
 * Search
 * ------------------------------------------------------------------------- */

/* Answer a query; publish() may show the first ten results early, then the full list is returned */
async function search(query, publish) {
  const terms = parseQuery(query)
  if (terms.length === 0)
    return { items: [] }
  const keys = terms.map(keysOf)
  const [index] = await Promise.all([
    loadMeta(),
    ...[...new Set(keys.flat())].map(loadPostings)
  ])

  /* Pages holding every key of every term, with a first score from the postings */
  const idf = keys.map(termKeys => Math.max(...termKeys.map(key =>
    inverseFrequency(postingsCache.get(key).size, index.pages))))
  const candidates = []
  for (const page of matchAll(keys)) {
    let score = 0
    keys.forEach((termKeys, t) => {
      let count = Infinity, flags = TITLE | HEADING
      for (const key of termKeys) {
        const weight = postingsCache.get(key).get(page)
        count = Math.min(count, weight >> 2)
        flags &= weight
      }
      score += idf[t] * (saturate(count, index.len[page], index.average) +
        (flags & TITLE ? 2 : 0) + (flags & HEADING ? 0.5 : 0))
    })
    candidates.push([page, score])
  }
  candidates.sort((a, b) => b[1] - a[1])

  /* Check the best pages against their text (pairs can match without the whole term), ten at
     a time. The first ten are shown as soon as they are known and keep their places; pages
     checked later are added below them. */
  const byScore = (a, b) => b.score - a.score
  let shown = []
  const pending = []
  for (let start = 0;
    start < candidates.length && start < MAX_CHECKED && shown.length + pending.length < MAX_RESULTS;
    start += FIRST
  ) {
    const slice = candidates.slice(start, start + FIRST)
    const loaded = await Promise.all(slice.map(([page]) => loadPage(page)))
    loaded.forEach((page, i) => {
      const scored = scorePage(page, terms, idf, index, slice[i][0])
      if (scored)
        pending.push(scored)
    })
    if (shown.length === 0 && pending.length >= FIRST && start + FIRST < candidates.length) {
      pending.sort(byScore)
      shown = pending.splice(0, FIRST)
      publish({ items: shown.map(result => renderPage(result, terms)) })
    }
  }
  const results = [...shown, ...pending.sort(byScore)].slice(0, MAX_RESULTS)
  return { items: results.map(result => renderPage(result, terms)) }
}

/* The query's terms: its word runs, normalized like the index, without repeats */
function parseQuery(query) {
  const terms = []
  for (const run of normalize(query).match(WORD_RUN) || [])
    if (!terms.includes(run))
      terms.push(run)
  return terms
}

/* A term's index keys: its character pairs, or the character itself */
function keysOf(term) {
  const chars = Array.from(term)
  if (chars.length === 1)
    return chars
  const keys = new Set()
  for (let i = 0; i + 1 < chars.length; i++)
    keys.add(chars[i] + chars[i + 1])
  return [...keys]
}

/* Pages that hold all keys, walking the rarest key's pages */
function* matchAll(keys) {
  const lists = keys.flat().map(key => postingsCache.get(key))
  lists.sort((a, b) => a.size - b.size)
  const [rarest, ...others] = lists
  for (const page of rarest.keys())
    if (others.every(list => list.has(page)))
      yield page
}

/* Score a page by its real text; null if a term is not in it after all */
function scorePage(page, terms, idf, index, id) {
  const sections = page.sections.map(section => ({
    ...section,
    counts: terms.map(term => occurrences(section.normText, term)),
    inHeading: terms.map(term => section.anchor !== "" && section.normHeading.includes(term))
  }))
  let score = 0, titleCovered = 0
  for (let t = 0; t < terms.length; t++) {
    const inTitle = page.normTitle.includes(terms[t])
    const inHeading = sections.some(section => section.inHeading[t])
    const count = sections.reduce((sum, section) => sum + section.counts[t], 0)
    if (!inTitle && !inHeading && count === 0)
      return null
    if (inTitle)
      titleCovered += Array.from(terms[t]).length
    score += idf[t] * ((inTitle ? 3 : 0) + (inHeading ? 1 : 0) +
      saturate(count, index.len[id], index.average))
  }

  /* A title that is mostly the query names the page about it */
  const idfSum = idf.reduce((a, b) => a + b, 0)
  score += idfSum * 2 * titleCovered / Math.max(1, page.titleLength)

  /* Several terms side by side, as typed */
  if (terms.length > 1 && sections.some(section => section.normText.includes(terms.join(""))))
    score += idfSum * 0.5
  return { page, sections, score }
}

/* Material's result format for one page: the page and its matching sections */
function renderPage({ page, sections }, terms) {
  const all = Object.fromEntries(terms.map(term => [term, true]))
  const items = []
  sections.forEach(section => {
    const found = terms.map((_, t) => section.counts[t] > 0 || section.inHeading[t])
    const isPage = section.anchor === ""
    if (!isPage && !found.some(Boolean))
      return
    let sectionScore = 0
    terms.forEach((term, t) => {
      const inTitle = isPage ? page.normTitle.includes(term) : section.inHeading[t]
      sectionScore += (inTitle ? 3 : 0) + saturate(section.counts[t], section.length, 200)
    })
    items.push({
      location: isPage ? page.url : `${page.url}#${section.anchor}`,
      title: highlight(isPage ? page.title : section.heading, terms),
      text: teaser(section.text, terms),
      score: sectionScore,
      terms: isPage ? all : Object.fromEntries(terms.map((term, t) => [term, found[t]]))
    })
  })
  /* Best first; the sort is stable, so the page's own entry stays ahead of equal sections */
  items.sort((a, b) => b.score - a.score)
  return items
}

/* ----------------------------------------------------------------------------
 * Ranking helpers
 * ------------------------------------------------------------------------- */

function inverseFrequency(pagesWithKey, pageCount) {
  return Math.log(1 + (pageCount - pagesWithKey + 0.5) / (pagesWithKey + 0.5))
}

/* BM25's term-frequency saturation: more occurrences help less and less, long pages less */
function saturate(count, length, average) {
  if (count <= 0)
    return 0
  const k1 = 1.2, b = 0.75
  return count * (k1 + 1) / (count + k1 * (1 - b + b * length / Math.max(1, average)))
}

function occurrences(text, term) {
  let count = 0
  for (let at = text.indexOf(term); at !== -1; at = text.indexOf(term, at + term.length))
    count++
  return count
}

/* ----------------------------------------------------------------------------
 * Highlighting: <mark> exactly around each matched substring of the original text
 * ------------------------------------------------------------------------- */

function highlight(text, terms) {
  return markRanges(text, matchRanges(text, terms), 0, text.length)
}

/* Up to two passages around matches, or the start of the text if nothing matched */
function teaser(text, terms) {
  const ranges = matchRanges(text, terms)
  if (ranges.length === 0)
    return text.length > BEFORE + AFTER ? `${escapeHTML(text.slice(0, BEFORE + AFTER))}…` : escapeHTML(text)
  const windows = []
  for (const [start, end] of ranges) {
    const from = Math.max(0, start - BEFORE), to = Math.min(text.length, end + AFTER)
    const last = windows[windows.length - 1]
    if (last && from <= last[1])
      last[1] = Math.max(last[1], to)
    else if (windows.length < 2)
      windows.push([from, to])
  }
  return windows.map(([from, to]) =>
    (from > 0 ? "…" : "") + markRanges(text, ranges, from, to) + (to < text.length ? "…" : "")
  ).join(" ")
}

/* Sorted, merged [start, end) ranges of the original text where a term matches */
function matchRanges(text, terms) {
  const [norm, origin] = normalizeWithOrigin(text)
  const ranges = []
  for (const term of terms)
    for (let at = norm.indexOf(term); at !== -1; at = norm.indexOf(term, at + 1))
      ranges.push([origin[at], origin[at + term.length]])
  ranges.sort((a, b) => a[0] - b[0])
  const merged = []
  for (const range of ranges) {
    const last = merged[merged.length - 1]
    if (last && range[0] <= last[1])
      last[1] = Math.max(last[1], range[1])
    else
      merged.push([...range])
  }
  return merged
}

function markRanges(text, ranges, from, to) {
  let html = "", at = from
  for (const [start, end] of ranges) {
    if (end <= from || start >= to)
      continue
    const s = Math.max(start, from), e = Math.min(end, to)
    html += escapeHTML(text.slice(at, s)) + "<mark>" + escapeHTML(text.slice(s, e)) + "</mark>"
    at = e
  }
  return html + escapeHTML(text.slice(at, to))
}

/* The normalized text and, for each of its UTF-16 units, where it came from in the original */
function normalizeWithOrigin(text) {
  let norm = ""
  const origin = []
  for (let i = 0; i < text.length;) {
    const code = text.codePointAt(i)
    const char = String.fromCodePoint(code)
    /* ASCII only needs lower case; common Han characters are unchanged by NFKC */
    const mapped = code < 0x80 ? char.toLowerCase()
      : code >= 0x4e00 && code <= 0x9fff ? char
      : normalize(char)
    for (let j = 0; j < mapped.length; j++)
      origin.push(i)
    norm += mapped
    i += char.length
  }
  origin.push(text.length)
  return [norm, origin]
}

function normalize(text) {
  return text.normalize("NFKC").toLowerCase()
}

function escapeHTML(text) {
  return text.replace(/[&<>"']/g, char => `&#${char.charCodeAt(0)};`)
}

/* ----------------------------------------------------------------------------
 * Loading (each file once; a failed download is tried again on the next query)
 * ------------------------------------------------------------------------- */

function cached(map, id, load) {
  let promise = map.get(id)
  if (!promise) {
    promise = load().catch(err => {
      map.delete(id)
      throw err
    })
    map.set(id, promise)
  }
  return promise
}

async function fetchJSON(name) {
  const response = await fetch(new URL(name, indexUrl))
  if (!response.ok)
    throw new Error(`${name}: ${response.status}`)
  return response.json()
}

function loadMeta() {
  if (!meta) {
    meta = fetchJSON("meta.json").then(data => {
      data.average = data.len.reduce((a, b) => a + b, 0) / Math.max(1, data.pages)
      return data
    }).catch(err => {
      meta = null
      throw err
    })
  }
  return meta
}

async function loadPostings(key) {
  if (postingsCache.has(key))
    return
  const number = shardOf(key, shardCount)
  const shard = await cached(shards, number, () => fetchJSON(`k/${number}.json`))
  const list = new Map()
  const encoded = shard[key] || []
  for (let i = 0, page = 0; i < encoded.length; i += 2) {
    page += encoded[i]
    list.set(page, encoded[i + 1])
  }
  postingsCache.set(key, list)
}

function shardOf(key, count) {
  const chars = Array.from(key)
  const second = chars.length > 1 ? chars[1].codePointAt(0) : 0
  return (chars[0].codePointAt(0) * 131 + second) % count
}

function loadPage(id) {
  return cached(pages, id, async () => {
    const { u, t, s } = await fetchJSON(`p/${id}.json`)
    return {
      url: u,
      title: t,
      normTitle: normalize(t),
      titleLength: Math.max(1, (normalize(t).match(WORD_RUN) || []).join("").length),
      sections: s.map(([anchor, heading, text]) => ({
        anchor,
        heading,
        text,
        normHeading: normalize(heading),
        normText: normalize(text),
        length: (text.match(WORD_RUN) || []).join("").length
      }))
    }
  })
}
