// Material for MkDocs' client search, reproduced on lunr 2.3.9 in Node.
//
// Configured as Material 9 configures it (src/.../integrations/search/_/index.ts and
// query/transform): separator [\s\-]+, pipeline = stopWordFilter only (trimmer and
// stemmer removed), b(0), field boosts title 1e3 / text 1 / tags 1e6, every query term
// gets a trailing wildcard and terms are ORed, post-query boost score * (1 + boost^2)
// with boost = (is a page, not a section) + share of query terms matched, results
// grouped by page. A query lunr cannot parse returns nothing, as in the browser.
//
// With "plain": true in the input it runs lunr as its README shows instead (a sanity
// check of the harness): the default pipeline (trimmer, stop words, English stemmer),
// the default separator, a title boost of 10, the query's words as plain terms (no
// wildcard, no query syntax), and page entries only (no section entries).
//
// usage: node material_lunr.js input.json output.json
//   input: {"docs": [{location, title, text, tags?, parent?}], "queries": [str], "limit": 10,
//           "plain": false}
//   output: {"results": [[page location, ...] per query], "build_ms": n, "query_ms": n}
"use strict"
const fs = require("fs")
const lunr = require("lunr")

const SEPARATOR = /[\s\-]+/
const FIELDS = { title: { boost: 1e3 }, text: { boost: 1 }, tags: { boost: 1e6 } }

function buildIndex(docs) {
  lunr.tokenizer.separator = SEPARATOR
  return lunr(function () {
    this.b(0)
    for (const fn of [lunr.trimmer, lunr.stemmer]) {
      this.pipeline.remove(fn)
      this.searchPipeline.remove(fn)
    }
    this.ref("location")
    for (const [name, spec] of Object.entries(FIELDS)) this.field(name, spec)
    for (const doc of docs) this.add(doc, { boost: doc.boost })
  })
}

function split(value, separator, fn) {
  const re = new RegExp(separator, "g")
  let index = 0, match
  do {
    match = re.exec(value)
    const until = match ? match.index : value.length
    if (index < until) fn(index, until)
    if (match) index = match.index + match[0].length
  } while (match)
}

// query/transform/index.ts
function transform(query, fn) {
  return query.trim()
    .split(/"([^"]+)"/g)
    .map((parts, index) => index & 1 ? parts.replace(/^\b|^(?![^\x00-\x7F]|$)|\s+/g, " +") : parts)
    .join("")
    .replace(/"|(?:^|\s+)[*+\-:^~]+(?=\s+|$)/g, "")
    .split(/\s+/g)
    .reduce((prev, term) => {
      const next = fn(term)
      return [...prev, ...(Array.isArray(next) ? next : [next])]
    }, [])
    .map(term => /([~^]$)/.test(term) ? `${term}1` : term)
    .map(term => /(^[+-]|[~^]\d+$)/.test(term) ? term : `${term}*`)
    .join(" ")
}

// query/_/index.ts: transformSearchQuery
function transformSearchQuery(query) {
  return transform(query, part => {
    const terms = []
    const lexer = new lunr.QueryLexer(part)
    lexer.run()
    for (const { type, str: term, start, end } of lexer.lexemes)
      switch (type) {
        case "FIELD":
          if (!["title", "text", "tags"].includes(term))
            part = [part.slice(0, end), " ", part.slice(end + 1)].join("")
          break
        case "TERM":
          split(term, lunr.tokenizer.separator, (...range) => {
            terms.push([part.slice(0, start), term.slice(...range), part.slice(end)].join(""))
          })
      }
    return terms
  })
}

function parseSearchQuery(value) {
  const query = new lunr.Query(["title", "text", "tags"])
  new lunr.QueryParser(value, query).parse()
  for (const clause of query.clauses) {
    clause.usePipeline = true
    if (clause.term.startsWith("*")) clause.term = clause.term.slice(1)
    if (clause.term.endsWith("*")) clause.term = clause.term.slice(0, -1)
  }
  return query.clauses
}

function getSearchQueryTerms(query, terms) {
  const clauses = new Set(query)
  const result = {}
  for (let t = 0; t < terms.length; t++)
    for (const clause of clauses)
      if (terms[t].startsWith(clause.term)) {
        result[clause.term] = true
        clauses.delete(clause)
      }
  for (const clause of clauses)
    if (lunr.stopWordFilter(clause.term)) result[clause.term] = false
  return result
}

function search(index, map, raw, limit) {
  let query = transformSearchQuery(raw)
  if (!query) return []
  let found, clauses
  try {
    clauses = parseSearchQuery(query).filter(c => c.presence !== lunr.Query.presence.PROHIBITED)
    found = index.search(query)
  } catch (err) {
    return []  // Material logs "Invalid query" and shows no results
  }
  const items = found.map(({ ref, score, matchData }) => {
    const doc = map.get(ref)
    const terms = getSearchQueryTerms(clauses, Object.keys(matchData.metadata))
    const n = Object.keys(terms).length
    const boost = +!doc.parent + (n ? Object.values(terms).filter(t => t).length / n : NaN)
    return { location: ref, parent: doc.parent, score: score * (1 + boost ** 2) }
  }).sort((a, b) => b.score - a.score)
  const pages = []
  for (const item of items) {
    const page = item.parent || item.location
    if (!pages.includes(page)) pages.push(page)
    if (pages.length >= limit) break
  }
  return pages
}

function buildPlainIndex(docs) {
  return lunr(function () {
    this.ref("location")
    this.field("title", { boost: 10 })
    this.field("text")
    for (const doc of docs) this.add(doc)
  })
}

function searchPlain(index, raw, limit) {
  const words = lunr.tokenizer(raw).map(token => token.toString()).filter(Boolean)
  if (!words.length) return []
  return index.query(q => { for (const word of words) q.term(word) })
    .slice(0, limit).map(r => r.ref)
}

function main() {
  const [input, output] = process.argv.slice(2)
  const { docs, queries, limit = 10, plain = false } = JSON.parse(fs.readFileSync(input, "utf8"))
  let t = process.hrtime.bigint()
  const pages = plain ? docs.filter(d => !d.parent) : docs
  const index = plain ? buildPlainIndex(pages) : buildIndex(pages)
  const map = new Map(docs.map(d => [d.location, d]))
  const buildMs = Number(process.hrtime.bigint() - t) / 1e6
  t = process.hrtime.bigint()
  const results = queries.map(q => plain ? searchPlain(index, q, limit) : search(index, map, q, limit))
  const queryMs = Number(process.hrtime.bigint() - t) / 1e6
  fs.writeFileSync(output, JSON.stringify({ results, build_ms: buildMs, query_ms: queryMs }))
}

main()
