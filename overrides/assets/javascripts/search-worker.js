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
 *
 * A query with no exact match (a question, a pinyin slip) is loosened (looseSearch): its stop
 * words are dropped, it is cut into the longest parts some page holds, a character typed
 * through pinyin is replaced by one of the same sound that makes a longer part, and pages are
 * ranked by how much of the query they hold. The answer then carries `notice`, a sentence
 * saying what was searched, which overrides/assets/javascripts/search-notice.js shows. The
 * files this needs (src/fazhi/search/sounds.py) are fetched only then: the stop words and the
 * reading table (loose.json) as soon as the postings show a pair of the query that no page
 * holds, then the pairs by sound where a slip may be, then the pages it ranks. Each file
 * costs the reader about 1.5 ms whatever it holds (scripts/bench_search.py), so few are read.
 *
 * Pages that list other pages (meta.json `lists`: the home page, the article list, the
 * policy overview) rank below content pages.
 */
"use strict"

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3

const MAX_RESULTS = 20       /* pages in the result list */
const FIRST = 10             /* Material draws ten results before the reader scrolls */
const MAX_CHECKED = 60       /* give up checking candidates after this many pages */
const BEFORE = 30            /* at most this many characters of the matched sentence before the match */
const AFTER = 70             /* and after it */
const TITLE = 1, HEADING = 2 /* flags in the low bits of a posting's weight */
const MAX_SLIPS = 2          /* characters of one part that may be replaced by a sound-alike */
const SLIP_COST = 0.5        /* a replaced character counts half a typed one */
const PART_COST = 1          /* each further part must cover more than one more character: 法治政府建设, not 法治政府建 + 设有 */
const MAX_OPTIONS = 5        /* pairs tried for one typed pair: itself if on the site, then sound-alikes, most pages first */
const MAX_STEPS = 20000      /* bound on the walk through sound-alike pairs */
const LOOSE_CHECKED = 8      /* pages read to rank a loosened query (6 lost recall on scripts/search_questions.yml) */
const LOOSE_LENGTH = 40      /* characters of a loosened query searched (a question is 5–25) */
const NOTICE_QUERY = 30      /* characters of the query repeated in the notice */
const SENTENCE_END = /[。！？；!?;]/u
const ASCII_WORD = /[0-9a-z]/u

const WORD_RUN = /[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+/gu

let indexUrl = null           /* URL of the current index folder */
let shardCount = 0            /* number of shard files, from search_index.json */
let soundCount = 0            /* number of files of pairs by sound, from search_index.json */
let meta = null               /* promise of meta.json */
const shards = new Map()      /* shard number -> promise of {key: postings} */
const soundShards = new Map() /* shard number -> promise of {"zhong xin": ["中心", …]} */
let looseFile = null          /* promise of loose.json's stop words: {words, longest} */
let readingTable = []         /* loose.json's readings, [[reading, characters], …], once it is here */
const words = new Set()       /* the site's pairs known to be words (jieba's dictionary), as sound shards arrive */
const soundsLoaded = new Map() /* shard number -> the fetched file of pairs by sound */
const soundPages = new Map()  /* pair -> its pages as a file of pairs by sound writes them, until asked */
const firstReading = new Map() /* character -> its first toneless reading ("" if none), once asked */
const postingsCache = new Map() /* key -> Map(page id -> weight) */
const pages = new Map()       /* page id -> promise of prepared page */
let latest = 0                /* number of the newest query; older answers are dropped */

addEventListener("message", async ev => {
  const message = ev.data
  if (message.type === SETUP) {
    indexUrl = new URL(`../../search/${message.data.config.index}/`, self.location)
    shardCount = message.data.config.shards
    soundCount = message.data.config.sounds
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
  /* A key no page holds means no exact match: the files a loosened query reads first are
     fetched then, while the other postings are still on their way, and the pairs of the
     same sound as that key (no typed part can cover it, so a slip may be there) */
  const missing = key => {
    if (postingsCache.get(key).size > 0)
      return
    loadLoose().then(stop => {
      if (Array.from(key).length === 2 && terms.some(term => withoutStopWords(term, stop).some(piece => piece.includes(key))))
        return loadSoundsOf([key])
    }).catch(() => {})  /* tried again by looseSearch */
  }
  const [index] = await Promise.all([
    loadMeta(),
    ...[...new Set(keys.flat())].map(key => loadPostings(key).then(() => missing(key)))
  ])
  const read = new Map()
  const exact = await exactSearch(terms, keys, index, publish, read)
  if (exact.length > 0)
    return { items: exact.map(result => renderPage(result, terms)) }
  const loose = await looseSearch(query, terms, index, read)
  if (!loose)
    return { items: [] }
  return { items: loose.results.map(result => renderPage(result, result.terms)), notice: loose.notice }
}

/* Pages holding every term exactly, best first; the pages it read go into `read` (id → page) */
async function exactSearch(terms, keys, index, publish, read) {
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
    candidates.push({ id: page, tier: index.lists.has(page) ? 1 : 0, score })
  }
  candidates.sort(byRank)

  /* Check the best pages against their text (pairs can match without the whole term), ten at
     a time. The pages the first ten hold are shown as soon as they are checked and keep their
     places; pages checked later are added below them (each ten more files cost the reader
     some 20 ms, so a term whose pairs many pages hold apart is not kept waiting). */
  let shown = []
  const pending = []
  for (let start = 0;
    start < candidates.length && start < MAX_CHECKED && shown.length + pending.length < MAX_RESULTS;
    start += FIRST
  ) {
    const slice = candidates.slice(start, start + FIRST)
    const loaded = await Promise.all(slice.map(({ id }) => loadPage(id)))
    loaded.forEach((page, i) => read.set(slice[i].id, page))
    loaded.forEach((page, i) => {
      const scored = scorePage(page, terms, idf, index, slice[i].id)
      if (scored)
        pending.push(scored)
    })
    if (shown.length === 0 && pending.length > 0 && start + FIRST < candidates.length) {
      pending.sort(byRank)
      shown = pending.splice(0, FIRST)
      publish({ items: shown.map(result => renderPage(result, terms)) })
    }
  }
  return [...shown, ...pending.sort(byRank)].slice(0, MAX_RESULTS)
}

/* Lists below content, then by how much of a loosened query a page holds, then by score */
function byRank(a, b) {
  return a.tier - b.tier || (b.covered || 0) - (a.covered || 0) || b.score - a.score
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
  const sections = measure(page, terms)
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
  return { page, sections, score, tier: index.lists.has(id) ? 1 : 0 }
}

/* Each section of a page with how often each term occurs in its text and whether its heading holds it */
function measure(page, terms) {
  return page.sections.map(section => ({
    ...section,
    counts: terms.map(term => occurrences(section.normText, term)),
    inHeading: terms.map(term => (section.anchor !== "" && section.normHeading.includes(term)) || section.normLeads.includes(term))
  }))
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
 * A query without an exact match: its parts that pages hold, sound-alike slips mended
 * ------------------------------------------------------------------------- */

/* {results, notice} for a query no page holds whole, or null if no part of it is on the
   site. `read`: the pages the exact search read, id → page (they tell which parts pages
   really hold). */
async function looseSearch(query, terms, index, read) {
  const stop = await loadLoose()
  /* The files of pairs by sound that search asked for start loading before the walk below */
  await new Promise(resolve => setTimeout(resolve))
  const pieces = [...new Set(terms.flatMap(term => withoutStopWords(term, stop)))].map(piece => Array.from(piece))
  /* The first LOOSE_LENGTH characters: a pasted paragraph is not walked through whole */
  const long = []
  let budget = LOOSE_LENGTH
  for (const chars of pieces.filter(chars => chars.length > 1)) {
    if (budget < 2)
      break
    long.push(chars.slice(0, budget))
    budget -= long[long.length - 1].length
  }
  /* Each piece's parts as typed. The pairs no typed part covers, other than those joining
     two parts, are where a slip must be: the pairs of the same sound are read for those */
  const held = long.map(chars => typedSegments(chars, read))
  const asTyped = long.map((chars, i) => bestCover(chars.length, held[i]))
  const doubtful = long.flatMap((chars, i) => uncovered(chars, asTyped[i]).map(at => chars[at] + chars[at + 1]))
  await loadSoundsOf([...new Set(doubtful)])
  const covers = long.map((chars, i) => coverOf(chars, held[i], asTyped[i]))
  /* Single characters are never searched alone: 工 of 工资 says nothing */
  const parts = covers.flat()
  if (parts.length === 0)
    return null
  /* What the reader meant: each piece with its sound-alike slips mended */
  const meant = long.map((chars, i) => mend(chars, covers[i]))
  const checked = candidatesOf(meant, index)
  const loaded = await Promise.all(checked.map(loadPage))
  const results = []
  loaded.forEach((page, i) => {
    const scored = scoreLoose(page, meant, index, checked[i])
    if (scored)
      results.push(scored)
  })
  results.sort(byRank)
  /* A mended part is what the reader meant: only the pages holding it are shown, as the
     notice says, if any page read holds it */
  const mended = parts.filter(part => part.slips > 0)
  const meaning = results.filter(result => mended.every(part => result.page.normAll.includes(part.text)))
  if (mended.length > 0 && meaning.length > 0)
    results.splice(0, results.length, ...meaning)
  if (results.length === 0)
    return null
  /* The notice names the parts if the results hold each (a mended part is checked only here);
     else the mended parts they hold and what the first result holds, in the query's order */
  const holds = part => results.some(result => result.page.normAll.includes(part.text))
  const typed = normalize(query)
  const named = parts.every(holds) ? parts : [
    ...parts.filter(part => part.slips > 0 && holds(part)),
    ...results[0].terms.map(text => ({ text, typed: text, slips: 0 }))
  ].sort((a, b) => typed.indexOf(a.typed) - typed.indexOf(b.typed))
  return { results: results.slice(0, MAX_RESULTS), notice: noticeOf(query, named) }
}

/* The LOOSE_CHECKED pages holding the most of the meant pairs, each weighted by its rarity:
   page ids. Parts are often longer than any page's words, so each page's text decides after
   (scoreLoose). */
function candidatesOf(meant, index) {
  const scores = new Float64Array(index.pages)
  const touched = []
  for (const pair of new Set(meant.flatMap(piece => keysOf(piece)))) {
    const list = pagesOf(pair)
    if (!list || list.size === 0)
      continue
    const weight = inverseFrequency(list.size, index.pages)
    for (const id of list.keys()) {
      if (scores[id] === 0)
        touched.push(id)
      scores[id] += weight
    }
  }
  /* The best LOOSE_CHECKED in byRank's order (as a stable sort would put them), without
     sorting thousands of pages */
  const best = []
  for (const id of touched) {
    const candidate = { id, tier: index.lists.has(id) ? 1 : 0, score: scores[id] }
    let at = best.length
    while (at > 0 && byRank(candidate, best[at - 1]) < 0)
      at--
    if (at < LOOSE_CHECKED)
      best.splice(at, 0, candidate)
    best.length = Math.min(best.length, LOOSE_CHECKED)
  }
  return best.map(candidate => candidate.id)
}

/* A piece's text with the characters its cover replaced */
function mend(chars, cover) {
  const mended = [...chars]
  for (const segment of cover)
    Array.from(segment.text).forEach((char, i) => { mended[segment.start + i] = char })
  return mended.join("")
}

/* The runs of a term left after its stop words are cut out (longest stop word first) */
function withoutStopWords(term, stop) {
  const chars = Array.from(term)
  const pieces = []
  let piece = ""
  for (let i = 0; i < chars.length;) {
    let cut = 0
    for (let length = Math.min(stop.longest, chars.length - i); length > 1 && !cut; length--)
      if (stop.words.has(chars.slice(i, i + length).join("")))
        cut = length
    if (cut) {
      pieces.push(piece)
      piece = ""
      i += cut
    } else {
      piece += chars[i++]
    }
  }
  pieces.push(piece)
  return pieces.filter(Boolean)
}

/* The parts of one piece: as typed (`held`, typedSegments, and their best cover `asTyped`),
   then with a pair of the same sound in place of each typed pair that no typed part covers
   (where a slip must be). The ranking checks mended parts against the pages it reads. */
function coverOf(chars, held, asTyped) {
  const doubtful = uncovered(chars, asTyped)
  if (doubtful.length === 0)
    return asTyped
  const options = typedOptions(chars)
  for (const i of doubtful)
    for (const pair of soundAlikes(chars[i], chars[i + 1]))
      if (options[i].length < MAX_OPTIONS && !options[i].includes(pair))
        options[i].push(pair)
  const mended = bestCover(chars.length, [...held, ...walk(chars, options).filter(segment => segment.slips > 0)])
  return mended.length > 0 ? mended : asTyped
}

/* A piece's parts as typed: the runs of pairs some page holds together; where the exact
   search read such a page, only if a page it read holds the run's text (首违不发: every pair
   on one page, the words not) */
function typedSegments(chars, read) {
  return walk(chars, typedOptions(chars)).filter(segment => {
    const seen = [...read.keys()].filter(id => segment.pages.has(id))
    return seen.length === 0 || seen.some(id => read.get(id).normAll.includes(segment.text))
  })
}

/* For each pair of neighbouring characters, [the pair] if a page holds it, else [] */
function typedOptions(chars) {
  return chars.slice(1).map((second, i) => postingsCache.get(chars[i] + second)?.size ? [chars[i] + second] : [])
}

/* The positions of the pairs of chars that no part of a cover holds and that join no two parts */
function uncovered(chars, cover) {
  const covered = new Set(cover.flatMap(part => Array.from({ length: part.end - part.start - 1 }, (_, k) => part.start + k)))
  /* A pair joining two parts (公众号|视频号) is where two words meet, not a slip: both its
     characters are in words the site holds as typed */
  const ends = new Set(cover.map(part => part.end - 1)), starts = new Set(cover.map(part => part.start))
  return chars.slice(1).map((_, i) => i).filter(i => !covered.has(i) && !(ends.has(i) && starts.has(i + 1)))
}

/* The site's pairs that sound like two typed characters, sharing a typed character first,
   from the files loadSoundsOf fetched. A typed character is taken by its first (most common)
   reading, the one an input method shows it under; the site's pairs are filed under every
   reading (fazhi.search.sounds), so 条 typed for the tiao of 调解 still matches. */
function soundAlikes(first, second) {
  const key = soundKey(first, second)
  const shard = key && soundsLoaded.get(soundHash(key) % soundCount)
  if (!shard)
    return []
  const alike = [...(shard.sounds[key] || [])]
  const shared = pair => pair.startsWith(first) || pair.endsWith(second) ? 0 : 1
  return alike.sort((p, q) => shared(p) - shared(q))  /* stable: most pages first within each group */
}

/* "zhong xin" for 中新 (first readings, from loose.json, which is here), or null if a
   character has none */
function soundKey(first, second) {
  const a = readingOf(first), b = readingOf(second)
  return a && b ? `${a} ${b}` : null
}

/* A character's first reading from loose.json's table, "" if it has none */
function readingOf(char) {
  if (!firstReading.has(char))
    firstReading.set(char, readingTable.find(([, chars]) => chars.includes(char))?.[0] || "")
  return firstReading.get(char)
}

/* Fetch the files of pairs of the same sound as typed pairs */
async function loadSoundsOf(pairs) {
  await loadLoose()
  const keys = pairs.map(pair => soundKey(...Array.from(pair))).filter(Boolean)
  await Promise.all([...new Set(keys)].map(soundsLike))
}

/* Every run of neighbouring pairs some page holds together, typed or sound-alike: {start, end,
   text, typed, slips, pages}. A pair keeps at least one typed character, and a run keeps two
   typed characters for each one it replaces (MAX_SLIPS at most): 综治中新 → 综治中心. Two
   characters typed alone are mended only into a word (不组 → 不足, never 一共 → 一公). */
function walk(chars, options) {
  const segments = []
  let steps = 0
  const extend = (start, at, text, last, slips, pages) => {
    for (const pair of options[at] || []) {
      if (++steps > MAX_STEPS)
        return
      const [a, b] = Array.from(pair)
      const firstChanged = a === chars[at] ? 0 : 1, secondChanged = b === chars[at + 1] ? 0 : 1
      if ((at > start && a !== last) || firstChanged + secondChanged > 1)
        continue
      const cost = slips + secondChanged + (at === start ? firstChanged : 0)
      if (cost > MAX_SLIPS)
        continue
      const next = intersect(pages, pagesOf(pair))
      if (next.size === 0)
        continue
      const grown = (at === start ? a : text) + b
      const size = at + 2 - start
      if (size - cost >= 2 * cost || (chars.length === 2 && words.has(grown)))
        segments.push({ start, end: at + 2, text: grown, typed: chars.slice(start, at + 2).join(""), slips: cost, pages: next })
      extend(start, at + 1, grown, b, cost, next)
    }
  }
  for (let start = 0; start + 1 < chars.length; start++)
    if (!insideWord(chars, start))
      extend(start, start, "", "", 0, null)
  return segments.filter(segment => !insideWord(chars, segment.end))
}

/* Whether position i (between chars[i - 1] and chars[i]) cuts a run of Latin letters or
   digits: “or” of onerror or 12 of 12348 is no part of what was typed */
function insideWord(chars, i) {
  return i > 0 && i < chars.length && ASCII_WORD.test(chars[i - 1]) && ASCII_WORD.test(chars[i])
}

/* The non-overlapping segments covering most of the typed characters (a replaced one counts
   SLIP_COST less, each part PART_COST less; at equal cover, longer parts) */
function bestCover(length, segments) {
  const worth = segment => {
    const size = segment.end - segment.start
    return size - SLIP_COST * segment.slips + 0.01 * size * size - PART_COST
  }
  const best = [{ value: 0, parts: [] }]
  for (let end = 1; end <= length; end++) {
    let choice = best[end - 1]
    for (const segment of segments) {
      if (segment.end !== end)
        continue
      const value = best[segment.start].value + worth(segment)
      if (value > choice.value + 1e-9)
        choice = { value, parts: [...best[segment.start].parts, segment] }
    }
    best.push(choice)
  }
  return best[length].parts
}

/* Score a page by how much of the meant query it holds: the most characters covered by
   substrings of two or more characters found in its text (each substring PART_COST less, so
   法治政府建设 + 存在, not 法治政 + 府建 + 设还 + 存在); null if it holds none. Its `terms` are those substrings, for marking. */
function scoreLoose(page, meant, index, id) {
  const found = []
  let covered = 0
  for (const piece of meant) {
    const chars = Array.from(piece)
    /* best[k]: the most of chars[0..k) covered, and by which substrings */
    const best = [{ size: 0, parts: [] }]
    for (let end = 1; end <= chars.length; end++) {
      let choice = best[end - 1]
      for (let start = end - 2; start >= 0; start--) {
        const text = chars.slice(start, end).join("")
        if (insideWord(chars, start) || insideWord(chars, end) || !page.normAll.includes(text))
          continue
        const size = best[start].size + end - start - PART_COST
        if (size > choice.size)
          choice = { size, parts: [...best[start].parts, text] }
      }
      best.push(choice)
    }
    /* Characters held less PART_COST a part: a page holding 汽开发布 whole ranks above one
       holding 汽开 and 发布 apart */
    covered += best[chars.length].size
    found.push(...best[chars.length].parts)
  }
  if (covered === 0)
    return null
  const terms = [...new Set(found)]
  const sections = measure(page, terms)
  /* Each part weighs its length times its rarity (the rarest of its pairs), so a common
     word (没有) adds less than a rare one (一汽) */
  let score = 0, weighed = 0
  terms.forEach((term, t) => {
    const weight = Array.from(term).length * rarity(term, index)
    const count = sections.reduce((sum, section) => sum + section.counts[t], 0)
    weighed += weight
    score += weight * (1 + (page.normTitle.includes(term) ? 3 : 0) + (sections.some(section => section.inHeading[t]) ? 1 : 0) +
      saturate(count, index.len[id], index.average))
  })
  /* Parts close together: in one section */
  if (sections.some(section => section.counts.filter(Boolean).length > 1))
    score += weighed * 0.5
  return { page, sections, score, covered, terms, tier: index.lists.has(id) ? 1 : 0 }
}

/* How rare a part is, 0–1: the inverse frequency of its rarest key over that of a key on one page */
function rarity(term, index) {
  const pagesWithKey = Math.min(...keysOf(term).map(key => pagesOf(key)?.size || 1))
  return inverseFrequency(pagesWithKey, index.pages) / inverseFrequency(1, index.pages)
}

/* What was searched, for the reader: 未找到“…”，以下是包含“…”的结果 / 您是不是要找：… */
function noticeOf(query, parts) {
  const typed = Array.from(query.trim())
  const shown = typed.length > NOTICE_QUERY ? `${typed.slice(0, NOTICE_QUERY).join("")}…` : typed.join("")
  const found = [...new Set(parts.map(part => part.text))].map(text => `“${text}”`).join("")
  const mended = parts.filter(part => part.slips > 0)
  if (mended.length === 0)
    return found ? `未找到“${shown}”，以下是包含${found}的结果` : `未找到“${shown}”，以下是相关的结果`
  let meant = normalize(shown)
  for (const part of mended)
    meant = meant.replace(part.typed, part.text)
  return `您是不是要找：${meant}（未找到“${shown}”，以下是包含${found}的结果）`
}

/* The pages holding a key (Map of weights from the postings, or Set from a file of pairs by
   sound, decoded when first asked: a file holds a thousand pairs, a query needs a few), or
   undefined if not fetched */
function pagesOf(key) {
  const list = postingsCache.get(key)
  if (list)
    return list
  const encoded = soundPages.get(key)
  if (encoded === undefined || encoded instanceof Set)
    return encoded
  const decoded = decodePages(encoded)
  soundPages.set(key, decoded)
  return decoded
}

/* The pages in both (Sets, or postings Maps keyed by page id); null `pages` stands for all */
function intersect(pages, postings) {
  if (pages === null)
    return postings
  const [smaller, larger] = pages.size <= postings.size ? [pages, postings] : [postings, pages]
  const both = new Set()
  for (const page of smaller.keys())
    if (larger.has(page))
      both.add(page)
  return both
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

/* The sentences holding the first two matches, marked, cut to BEFORE/AFTER characters around
   the match if long; the start of the text if nothing matched */
function teaser(text, terms) {
  const ranges = matchRanges(text, terms)
  if (ranges.length === 0)
    return text.length > BEFORE + AFTER ? `${escapeHTML(text.slice(0, BEFORE + AFTER))}…` : escapeHTML(text)
  const windows = []
  for (const [start, end] of ranges) {
    const last = windows[windows.length - 1]
    if (last && start < last.to)
      continue
    if (windows.length === 2)
      break
    const sentence = [sentenceStart(text, start), sentenceEnd(text, end)]
    windows.push({
      from: Math.max(sentence[0], start - BEFORE),
      to: Math.min(sentence[1], end + AFTER),
      sentence
    })
  }
  return windows.map(({ from, to, sentence }) =>
    (from > sentence[0] ? "…" : "") + markRanges(text, ranges, from, to) + (to < sentence[1] ? "…" : "")
  ).join(" ")
}

/* Where the sentence holding text[at] begins (after the last 。！？; or block edge before it) */
function sentenceStart(text, at) {
  let start = at
  while (start > 0 && !endsSentence(text, start - 1))
    start--
  while (start < at && /\s/u.test(text[start]))
    start++
  return start
}

/* Where the sentence holding text[at - 1] ends (after its 。！？;) */
function sentenceEnd(text, at) {
  let end = Math.max(at, 1)
  while (end < text.length && !endsSentence(text, end - 1))
    end++
  return end
}

/* 。！？; end a sentence; so does a space after Chinese text: the index puts one between blocks */
function endsSentence(text, at) {
  return SENTENCE_END.test(text[at]) || (/\s/u.test(text[at]) && at > 0 && !/[\s0-9a-z]/iu.test(text[at - 1]))
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
      data.lists = new Set(data.lists)
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
  postingsCache.set(key, decodePostings(shard[key] || []))
}

/* A pair's pages from a file of pairs by sound (fazhi.search.sounds.page_pages): gaps, or a
   base64 bitmap → Set of page ids */
function decodePages(encoded) {
  const pages = new Set()
  if (typeof encoded === "string") {
    const bits = atob(encoded)
    for (let i = 0; i < bits.length; i++)
      for (let bit = 0; bit < 8; bit++)
        if (bits.charCodeAt(i) & (1 << bit))
          pages.add(i * 8 + bit)
  } else {
    let page = 0
    for (const gap of encoded)
      pages.add(page += gap)
  }
  return pages
}

/* [page gap, weight, …] (fazhi.search.index) → Map(page id → weight) */
function decodePostings(encoded) {
  const list = new Map()
  for (let i = 0, page = 0; i < encoded.length; i += 2) {
    page += encoded[i]
    list.set(page, encoded[i + 1])
  }
  return list
}

/* The stop words, and the reading table into readingTable (fazhi.search.sounds.loose_file):
   the first file a loosened query reads */
function loadLoose() {
  if (!looseFile) {
    looseFile = fetchJSON("loose.json").then(({ stop, readings }) => {
      readingTable = Object.entries(readings)
      return { words: new Set(stop), longest: Math.max(1, ...stop.map(word => Array.from(word).length)) }
    }).catch(err => {
      looseFile = null
      throw err
    })
  }
  return looseFile
}

/* Fetch the file of pairs sounding like a sound key ("zhong xin"); it carries the pages
   holding those pairs too (decoded by pagesOf when asked), so a mended part needs no further
   round trip. Its words join `words`. */
async function soundsLike(key) {
  const number = soundHash(key) % soundCount
  const shard = await cached(soundShards, number, () => fetchJSON(`s/${number}.json`))
  if (!soundsLoaded.has(number)) {
    for (const word of shard.words)
      words.add(word)
    for (const [pair, encoded] of Object.entries(shard.pages))
      if (!soundPages.has(pair))
        soundPages.set(pair, encoded)
    soundsLoaded.set(number, shard)
  }
}

/* The same hash as fazhi.search.sounds.sound_hash */
function soundHash(key) {
  let value = 0
  for (let i = 0; i < key.length; i++)
    value = (Math.imul(value, 31) + key.charCodeAt(i)) >>> 0
  return value
}

function shardOf(key, count) {
  const chars = Array.from(key)
  const second = chars.length > 1 ? chars[1].codePointAt(0) : 0
  return (chars[0].codePointAt(0) * 131 + second) % count
}

function loadPage(id) {
  return cached(pages, id, async () => {
    const { u, t, s } = await fetchJSON(`p/${id}.json`)
    const prepared = {
      url: u,
      title: t,
      normTitle: normalize(t),
      titleLength: Math.max(1, (normalize(t).match(WORD_RUN) || []).join("").length),
      sections: s.map(([anchor, heading, text, leads]) => ({
        anchor,
        heading,
        text,
        normHeading: normalize(heading),
        normLeads: normalize(leads),
        normText: normalize(text),
        length: (text.match(WORD_RUN) || []).join("").length
      }))
    }
    prepared.normAll = [prepared.normTitle, ...prepared.sections.flatMap(section => [section.normHeading, section.normText])].join("\n")
    return prepared
  })
}
