/* carebase client search index: answers queries from the sharded index the build writes to
 * search/carebase/ (carebase.pages.search_shards) when the service's search API does not
 * answer. Only meta.json (a few KB) is fetched up front; each query word fetches the one
 * shard named by its first letters (t-<key>.json, cached) and the results' item chunks
 * (d-<n>.json); a box's suggestions (search(q, {titles: true})) read their rows from the shard
 * when it holds them (its "r": each word's first rows, carebase.pages.search_rows), so one
 * word typed needs no chunk. Words are analysed by analyser.js with the rules the build wrote
 * into meta.json (carebase.text, the same analyser as the index's).
 * Exposes window.carebaseSearchIndex = { open(rootUrl) -> Promise<index>, words, stem, site() }. */
(function () {
  "use strict";
  /* the analyser: carebase.text's rules from meta.json (analyser.js); until an index is
   * open, folding and stemming without stop words (site() says whether the site's are in use) */
  var analyser = window.carebaseAnalyser.create({}), siteRules = false;
  function words(text) { return analyser.words(text); }
  function stem(word) { return analyser.stem(word); }

  /* Strong matches, as the service decides them (carebase.search.cutoff, whose numbers the
   * build writes into meta.json's "strong": carebase.pages.search_shards): each query word
   * weighs by its rarity (BM25's idf over the items it matched); an item matching a word only
   * through a synonym or a typo fix credits it that match's weight ("synonym", "fuzzy": the
   * share of the word's score it gets), the word itself 1; a strong match covers at least 3/4
   * of the query's weight (relative to the best item) while scoring at least a quarter of the
   * best ("floor_score": with two or more words that count), or scores at least half the best
   * while covering a quarter. One word: every match is strong. */
  var RULE = { min_coverage: 0.75, score_share: 0.5, floor_coverage: 0.25, floor_score: 0.25, synonym: 0.7, fuzzy: 0.85 };
  function strongMatches(parts, scores, total, rule) {
    var docs = Object.keys(scores), out = {};
    if (parts.length < 2) { docs.forEach(function (d) { out[d] = true; }); return out; }
    var weights = parts.map(function (p) {
      /* the items the word matched; a word in more items than its shard lists says how many
       * ("n": search_shards.held_counts) */
      var df = Math.max(Object.keys(p.found).length, p.held || 0);
      return df ? Math.log(1 + (total - df + 0.5) / (df + 0.5)) : 0;
    });
    var sum = weights.reduce(function (a, b) { return a + b; }, 0), coverage = {}, bestCov = 0, bestScore = 0;
    docs.forEach(function (d) {
      var c = 0;
      parts.forEach(function (p, i) { if (p.found[d] !== undefined) c += weights[i] * p.credit[d]; });
      coverage[d] = sum > 0 ? c / sum : 1;
      bestCov = Math.max(bestCov, coverage[d]);
      bestScore = Math.max(bestScore, scores[d]);
    });
    var eps = 1e-12, counted = weights.filter(function (w) { return w > 0; }).length;
    /* an index written before session 36 has no "floor_score": most of the weight is enough */
    var floorScore = counted >= 2 && rule.floor_score !== undefined ? rule.floor_score : 0;
    docs.forEach(function (d) {
      out[d] = (coverage[d] >= rule.min_coverage * bestCov - eps && scores[d] >= floorScore * bestScore - eps) ||
        (scores[d] >= rule.score_share * bestScore - eps && coverage[d] >= rule.floor_coverage * bestCov - eps);
    });
    return out;
  }

  /* "Did you mean": the query as typed with each corrected word replaced (analysis.suggestion:
   * its other words, stop words and punctuation kept); null when nothing changed */
  function suggestionOf(q, parts) {
    var fixes = {}, any = false;
    parts.forEach(function (p) { if (p.correction) { fixes[p.word] = p.correction; any = true; } });
    if (!any) return null;
    var fixed = q.trim().split(/\s+/).map(function (token) {
      var w = words(token);
      return w.length === 1 && fixes.hasOwnProperty(w[0]) ? fixes[w[0]] : token;
    }).join(" ");
    return fixed.toLowerCase() !== q.trim().toLowerCase() ? fixed : null;
  }

  function Index(root, meta) {
    this.root = root;
    this.meta = meta;
    this.rule = meta.strong || RULE; /* an index written before session 34 has no "strong" */
    /* a video chapter's row -> its video's first row (meta.json's "same": search_shards.same_items),
     * so the counts count a video with its chapters once, as the page lists it (an index written
     * before session 43 has none: its records are counted) */
    this.same = meta.same || {};
    this.shardNames = {};
    this.split = {};
    var self = this;
    meta.shards.forEach(function (k) { self.shardNames[k] = true; });
    meta.split.forEach(function (k) { self.split[k] = true; });
    this.shards = {};
    this.chunks = {};
    this.warmed = {};
    this.rows = {}; /* the rows of every shard loaded (when current): doc -> [id, kind, title, url, category] */
    this.waiting = {}; /* warming requests not sent yet: name -> start(inLane) */
    this.queue = [];
    this.lanes = 0;
    /* each kind's docs: articles, FAQ questions, videos in a full build; after carebase serve
     * updated the index in place, meta.ranges (new docs after the last) */
    this.ranges = meta.ranges || [];
    var start = 0;
    if (!meta.ranges) ["article", "faq", "video"].forEach(function (kind) {
      var n = meta.kinds[kind] || 0;
      self.ranges.push([kind, start, start + n]);
      start += n;
    });
  }
  function get(url) {
    return fetch(url, { credentials: "omit" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  }
  /* One file, fetched once. A warming request (low) waits its turn in a queue, newest first,
   * with at most WARM_LANES of them in flight: a browser opens about six connections to a
   * host, and a keystroke's own shard and item chunks queued behind a letter's 16 warming
   * requests took up to 140 ms (benchmarks/suggest_stages.py). A keystroke that needs a file
   * still waiting in the queue sends it at once. */
  var WARM_LANES = 2;
  /* the most words after a query word that a synonym phrase starting at it is looked up with */
  var PHRASE_WORDS = 4;
  Index.prototype.json = function (cache, name, low) {
    var self = this, url = new URL(name, this.root).href;
    if (cache[name]) {
      var start = !low && this.waiting[name];
      if (start) { delete this.waiting[name]; start(false); }
      return cache[name];
    }
    if (!low) cache[name] = get(url);
    else {
      cache[name] = new Promise(function (resolve) {
        self.waiting[name] = resolve;
        self.queue.push(name);
        self.pump();
      }).then(function (inLane) {
        var done = function () { if (inLane) { self.lanes--; self.pump(); } };
        return get(url).then(function (json) { done(); return json; }, function (err) { done(); throw err; });
      });
    }
    cache[name].catch(function () { delete cache[name]; });
    return cache[name];
  };
  Index.prototype.pump = function () {
    while (this.lanes < WARM_LANES && this.queue.length) {
      var name = this.queue.pop(), start = this.waiting[name];
      if (!start) continue; /* sent already, by a keystroke that needed it */
      delete this.waiting[name];
      this.lanes++;
      start(true);
    }
  };
  Index.prototype.keyFor = function (term) {
    var two = term.slice(0, 2);
    /* other scripts: "x" and the first character's code point modulo 256 (search_shards.base_key) */
    if (/[^\x00-\x7f]/.test(two)) return "x" + ("0" + (term.codePointAt(0) % 256).toString(16)).slice(-2);
    /* a word joined by slashes ("o/b") is filed under "_" for its slashes */
    two = two.replace(/\//g, "_");
    return this.split[two] && term.length > 2 ? term.slice(0, 3).replace(/\//g, "_") : two;
  };
  /* a shard's rows join the index's as it loads: a query of several words often finds the
   * rows of its first items in shards loaded for other words or fetched ahead */
  Index.prototype.shard = function (key, low) {
    if (!this.shardNames[key]) return Promise.resolve({ t: {}, w: {} });
    var self = this, name = "t-" + key + ".json", loading = !this.shards[name];
    var shard = this.json(this.shards, name, low);
    if (loading && this.meta.rows) shard.then(function (s) { for (var doc in s.r || {}) self.rows[doc] = s.r[doc]; }, function () {});
    return shard;
  };
  /* Warming: a keystroke whose word reached a shard not loaded yet waited for it (3 of 90
   * keystrokes over 100 ms at 10,000 items, each the one reaching a new key: "mo", "th",
   * "ref"). So as a word starts, the shards its next letters can reach — every shard whose key
   * starts with the word's first letter, or, when that letter has more than WARM_MAX shards,
   * with its first two — are queued at once, after the keystroke's own shard (each once; a
   * keystroke that needs one shares its request, or sends it if it is still queued). They
   * were requested when the browser was
   * idle (requestIdleCallback, 150 ms timeout) until session 27: the second key, 120 ms after
   * the first, often came before that and fetched its shard itself ('wi', 'mo', 'th': 4 of 89
   * later keystrokes over 100 ms with the service up). At 10,000 items a letter has up to 25
   * shards of ~4 KB compressed each. */
  var WARM_MAX = 16;
  Index.prototype.warm = function (term) {
    var self = this;
    [term.slice(0, 1), term.slice(0, 2)].forEach(function (p) {
      if (!p || self.warmed[p] || /[^\x00-\x7f]/.test(p)) return;
      self.warmed[p] = true;
      var keys = self.meta.shards.filter(function (k) { return k.indexOf(p) === 0; });
      if (!keys.length || keys.length > WARM_MAX) return;
      keys.forEach(function (k) { self.shard(k, true).catch(function () {}); });
    });
  };
  /* the item a row belongs to: its own number, or its video's first row for a chapter */
  Index.prototype.itemOf = function (doc) {
    var first = this.same[doc];
    return typeof first === "number" ? first : +doc;
  };
  Index.prototype.kindOf = function (doc) {
    for (var i = 0; i < this.ranges.length; i++) if (doc >= this.ranges[i][1] && doc < this.ranges[i][2]) return this.ranges[i][0];
    return "article";
  };
  /* matches of one query word in its shard: {doc: weight}, each match's credit, and a correction
   * when fuzzy; next: the stems of the query's words after it (a synonym group's phrase typed,
   * "not connecting", matches in its first word's part with its group, as the service's) */
  Index.prototype.match = function (word, prefix, next) {
    var s = stem(word), key = this.keyFor(s), self = this;
    return this.shard(key).then(function (shard) {
      var acc = self.part(word), correction = null, t = shard.t;
      function add(term, factor) { self.add(acc, shard, term, factor); }
      if (t[s]) add(s, 1);
      /* a phrase's entry is its stems spaced (search_shards.phrase_key) */
      (next || []).forEach(function (w, i) {
        var phrase = [s].concat(next.slice(0, i + 1)).join(" ");
        if (t[phrase]) add(phrase, 1);
      });
      if (!acc.any && s.indexOf("'") < 0) {
        /* a contraction of the help centre typed without its apostrophe ("wont" = "won't"):
         * understood as typed, not corrected (the service does the same) */
        Object.keys(t).forEach(function (term) {
          if (term.indexOf("'") > 0 && term.replace(/'/g, "") === s) add(term, 1);
        });
      }
      if (prefix && !(self.split[s.slice(0, 2)] && s.length < 3)) {
        Object.keys(t).forEach(function (term) {
          if (term !== s && term.indexOf(s) === 0 && term.indexOf(" ") < 0) add(term, 0.6 + 0.3 * s.length / term.length);
        });
      }
      /* words shorter than the service's min_corrected are never corrected ("trv"), nor an
       * everyday word of the language the help centre does not have ("wife" is not "wire"): the
       * shard's "k" lists those it would otherwise correct (search_shards.everyday_words) */
      var max = s.length >= (self.meta.min_corrected || 4) && !(shard.k && shard.k.indexOf(word) >= 0) ? analyser.maxEdits(s) : 0;
      if (!acc.any && max) {
        var best = null, bestD = max + 1;
        Object.keys(t).forEach(function (term) {
          if (term[0] !== s[0] || term.indexOf(" ") >= 0) return;
          var d = analyser.distance(s, term, max);
          if (d < bestD || (d === bestD && best && t[term].length > t[best].length)) { best = term; bestD = d; }
        });
        if (best) { add(best, self.rule.fuzzy); correction = (shard.w && shard.w[best]) || best; }
      }
      acc.correction = correction;
      return acc;
    });
  };
  /* a query word's part: {doc: weight} (found), each match's credit and its score as the service's
   * (cut: null when a term it matched has none — an index written before them: the strong rule
   * then reads the browser's scores; a word that matches nothing, in no shard, has none to need) */
  Index.prototype.part = function (word) {
    return { found: {}, credit: {}, cut: {}, correction: null, word: word, held: 0, any: false };
  };
  /* a term of a shard matched for a part: a term's weight in an item is BM25F's term-frequency part
   * (search_shards.weights_of), below 0 for a synonym's; its idf, as the service's, from how many
   * items hold the word itself (a term in more items than its postings list: the shard's "n"
   * counts them). credit: what the item's match counts of the word in the strong rule (the largest
   * factor it matched through: a synonym's and a typo fix's below 1) */
  Index.prototype.add = function (acc, shard, term, factor) {
    var p = shard.t[term], own = 0, i;
    for (i = 1; i < p.length; i += 2) if (p[i] > 0) own++;
    if (shard.n && shard.n[term]) { own = shard.n[term][0]; acc.held = Math.max(acc.held, shard.n[term][1]); }
    var idf = Math.log(this.meta.items / (own + 1)) + 1, scored = shard.c && shard.c[term];
    for (i = 0; i < p.length; i += 2) {
      var w = Math.abs(p[i + 1]) * factor * idf, c = p[i + 1] < 0 ? factor * this.rule.synonym : factor;
      if (!(acc.found[p[i]] >= w)) acc.found[p[i]] = w;
      if (!(acc.credit[p[i]] >= c)) acc.credit[p[i]] = c;
      /* the service's score of this match (each field's part by the word's idf in that field:
       * the shard's "c", in the postings' order), for the strong rule */
      if (acc.cut && scored && !(acc.cut[p[i]] >= scored[i / 2] * factor)) acc.cut[p[i]] = scored[i / 2] * factor;
    }
    if (!scored) acc.cut = null; /* a term without the service's scores (an index written before them) */
    acc.any = true;
  };
  /* A German question's separated verb read joined, as search reads it (carebase.search.analysis
   * _join_separated; "wie setze ich das thermostat zurück" is *zurücksetzen*): the verb's part
   * also matches the joined verb's stems (as typed, *zurucksetz*, and its base form's, from the
   * verb's shard's "j": simplemma's forms that stem otherwise, search_shards / separable
   * client_forms: "bucht … ab" → *abbuchen*); where the index holds a joined stem, the prefix's own
   * part goes (alone, *zurück* matches "Geld zurück") and an item that holds the verb and the
   * prefix apart matches them summed. Gives the verb's new part and whether the prefix's goes. */
  Index.prototype.joined = function (verb, prefix, verbPart, prefixPart) {
    var self = this, has = Object.prototype.hasOwnProperty;
    return this.shard(this.keyFor(stem(verb))).then(function (shard) {
      var j = shard.j || {}, typed = prefix + verb;
      var base = has.call(j, typed) ? j[typed] : has.call(j, verb) ? prefix + j[verb] : typed;
      var stems = [stem(typed)];
      if (stem(base) !== stems[0]) stems.push(stem(base));
      return Promise.all(stems.map(function (s) {
        return self.shard(self.keyFor(s)).then(function (sh) { return [s, sh]; });
      }));
    }).then(function (found) {
      var part = self.part(verbPart.word), inIndex = false, d;
      part.correction = verbPart.correction;
      part.held = verbPart.held;
      part.any = verbPart.any;
      for (d in verbPart.found) {
        part.found[d] = verbPart.found[d];
        part.credit[d] = verbPart.credit[d];
      }
      part.cut = verbPart.cut ? Object.assign({}, verbPart.cut) : null;
      part.joined = (verbPart.joined || []).slice();
      found.forEach(function (f) {
        if (f[1].t[f[0]]) { inIndex = true; self.add(part, f[1], f[0], 1); part.joined.push(f[0]); }
      });
      if (inIndex && prefixPart) {
        /* the verb and its prefix apart in one item: both words' weights summed (Whoosh's And) */
        for (d in verbPart.found) {
          if (prefixPart.found[d] === undefined) continue;
          var w = verbPart.found[d] + prefixPart.found[d], c = verbPart.credit[d] * prefixPart.credit[d];
          if (!(part.found[d] >= w)) part.found[d] = w;
          if (!(part.credit[d] >= c)) part.credit[d] = c;
          if (part.cut && verbPart.cut && prefixPart.cut) {
            var k = verbPart.cut[d] + prefixPart.cut[d];
            if (!(part.cut[d] >= k)) part.cut[d] = k;
          }
        }
      }
      return { part: part, drop: inIndex && !!prefixPart };
    });
  };
  /* search(q, {kind, limit, offset, titles, complete}) -> Promise<{query, total, counts, suggestion, hits}>
   * (the API's shape: the list's rows offset + 1 to offset + limit; titles: hits without their
   * text, rows read from the shards where they are; complete: false, the last word is not
   * completed as a prefix, as the search API does not) */
  Index.prototype.search = function (q, options) {
    var self = this, kind = options.kind || "", limit = options.limit || 10, titles = !!options.titles;
    var offset = Math.max(0, options.offset || 0);
    var list = words(q);
    /* the last word as a prefix ("therm" finds "thermostat") while it is still being typed: not
     * for complete: false (the search page's list, as the search API, which never completes) */
    var open = options.complete !== false && !/\s$/.test(q);
    /* the keystroke's own shards are requested first, then the warming (its requests queue
     * behind them on the host's connections) */
    var stems = list.map(stem);
    var matches = list.map(function (w, i) {
      return self.match(w, open && i === list.length - 1, stems.slice(i + 1, i + 1 + PHRASE_WORDS));
    });
    if (open && list.length) this.warm(stem(list[list.length - 1]));
    /* the last word as typed too, when it is completed: the count the search page says for this
     * query (it does not complete), which the suggestions' "See all N results" says (page_strong) */
    var plain = open && list.length ? this.match(list[list.length - 1], false, []) : null;
    return Promise.all(plain ? matches.concat([plain]) : matches).then(function (parts) {
      return self.join(q, list, parts, !!plain);
    }).then(function (joined) {
      var parts = joined.parts, last = joined.plain;
      var asTyped = last ? parts.slice(0, -2).concat(parts.slice(-1)) : null;
      if (last) parts = parts.slice(0, -1);
      var sums = summed(parts), scores = sums.scores;
      var counts = { article: 0, faq: 0, video: 0 }, strongCounts = { article: 0, faq: 0, video: 0 }, docs = [];
      var itemCounts = { article: 0, faq: 0, video: 0 }, itemSeen = {}, weakItems = 0, weakSeen = {};
      /* the words' scores summed, as the service's (BM25F); they were multiplied by the square
       * of the share of the words matched until session 33, which put an item matching two
       * common words above one matching a rarer word well */
      var final = scores;
      /* which are strong: the rule on the service's scores (BM25F, each field by the word's idf in
       * that field: the shards' "c"), so the count is the service's; the order stays the
       * browser's own (each word's idf over whole items ranked better on the relevance harness).
       * An index written before session 37 has no "c": the rule reads the browser's scores. */
      var strong = strongMatches(parts, sums.cut || final, self.meta.items, self.rule);
      var pageStrong = asTyped ? strongCount(asTyped, self, kind) : null;
      var pageItems = asTyped ? strongCount(asTyped, self, kind, true) : null;
      Object.keys(final).forEach(function (doc) {
        var n = +doc, k = self.kindOf(n);
        counts[k]++;
        var item = self.itemOf(n);
        if (strong[doc]) {
          strongCounts[k]++;
          if (!itemSeen[item]) { itemSeen[item] = true; itemCounts[k]++; }
        } else if ((!kind || k === kind) && !weakSeen[item]) {
          weakSeen[item] = true;
          weakItems++;
        }
        if (!kind || k === kind) docs.push([n, final[doc], strong[doc] ? 1 : 0]);
      });
      /* strong matches first (the service's rule: cutoff.py), then by score */
      docs.sort(function (a, b) { return b[2] - a[2] || b[1] - a[1] || a[0] - b[0]; });
      var suggestion = suggestionOf(q, parts);
      var top = docs.slice(offset, offset + limit);
      var chunk = self.meta.chunk;
      var needed = {}, rows = {};
      top.forEach(function (d) {
        /* the shards' rows are current unless carebase serve updated the index in place */
        var row = titles && self.rows[d[0]];
        if (row) rows[d[0]] = [row[0], row[1], row[2], row[3], "", row[4], row[5]];
        else needed[Math.floor(d[0] / chunk)] = true;
      });
      return Promise.all(Object.keys(needed).map(function (n) {
        return self.json(self.chunks, "d-" + n + ".json").then(function (part) {
          top.forEach(function (d) {
            var row = Math.floor(d[0] / chunk) === +n && !rows[d[0]] && part[d[0] % chunk];
            if (row) rows[d[0]] = titles ? [row[0], row[1], row[2], row[3], "", row[5], row[6]] : row; /* titles: no text */
          });
        });
      })).then(function () {
        var strongTotal = kind ? strongCounts[kind] : strongCounts.article + strongCounts.faq + strongCounts.video;
        var itemTotal = kind ? itemCounts[kind] : itemCounts.article + itemCounts.faq + itemCounts.video;
        return {
          query: q.trim(), type: kind || null, offset: offset, total: docs.length, counts: counts, suggestion: suggestion,
          strong: strongTotal, strong_counts: strongCounts, page_strong: pageStrong === null ? strongTotal : pageStrong,
          items: itemTotal, item_counts: itemCounts, page_items: pageItems === null ? itemTotal : pageItems,
          /* the weaker matches the list reaches: its first MAX_DEPTH records, strong ones first (as the service) */
          weak_items: Math.min(weakItems, Math.max(0, Math.min(docs.length, MAX_DEPTH) - strongTotal)),
          /* a joined verb's stems too (zurucksetz for "setze … zurück": the title's *zurücksetzen* is
           * marked, as the words of the query mark it when the service answers) */
          terms: parts.reduce(function (all, p) {
            return all.concat([stem(p.correction ? words(p.correction)[0] || p.word : p.word)], p.joined || []);
          }, []),
          /* a doc deleted since this page's shards were fetched (carebase serve) is null */
          hits: top.map(function (d) {
            var r = rows[d[0]];
            return r && placed({ id: r[0], kind: r[1], title: r[2], url: r[3], text: r[4], category: r[5], score: d[1], strong: d[2] === 1 }, r[6]);
          }).filter(Boolean)
        };
      });
    });
  };

  /* the query's parts with each separated verb read joined (``joined``), one verb after the other
   * as the service reads them: the verb's first part and the prefix's first other one. ``plain``:
   * the parts end with the last word's match as typed (a duplicate of its part, for the page's
   * count); it goes with the prefix's part when that is the last word's. Gives {parts, plain: whether
   * they still end with it}. */
  Index.prototype.join = function (q, list, parts, plain) {
    var pairs = analyser.separated ? analyser.separated(q) : [];
    if (!pairs.length) return { parts: parts, plain: plain };
    var self = this, words = list.slice(), extra = plain ? parts[parts.length - 1] : null;
    var own = plain ? parts.slice(0, -1) : parts.slice();
    return pairs.reduce(function (done, pair) {
      return done.then(function () {
        var at = words.indexOf(pair[0]);
        if (at < 0) return;
        var gone = -1;
        for (var i = 0; i < words.length; i++) if (words[i] === pair[1] && i !== at) { gone = i; break; }
        return self.joined(pair[0], pair[1], own[at], gone >= 0 ? own[gone] : null).then(function (r) {
          own[at] = r.part;
          if (!r.drop) return;
          if (extra && gone === words.length - 1) extra = null;
          own.splice(gone, 1);
          words.splice(gone, 1);
        });
      });
    }, Promise.resolve()).then(function () { return { parts: extra ? own.concat([extra]) : own, plain: !!extra }; });
  };

  /* each matched item's score (the words' scores summed, as the service's BM25F) and its score as
   * the service's (the parts' "c" summed; null when a part has none: an index written before them) */
  function summed(parts) {
    var scores = {}, cut = parts.every(function (p) { return p.cut; }) ? {} : null;
    parts.forEach(function (part) {
      Object.keys(part.found).forEach(function (doc) { scores[doc] = (scores[doc] || 0) + part.found[doc]; });
      if (cut) Object.keys(part.cut).forEach(function (doc) { cut[doc] = (cut[doc] || 0) + part.cut[doc]; });
    });
    return { scores: scores, cut: cut };
  }

  /* how many of the matches of these words' parts are strong (of one kind, when given): the
   * rule of search() on the service's scores, where every part has them; ``items``: counted as
   * items (a video with its chapters once) */
  function strongCount(parts, index, kind, items) {
    var sums = summed(parts), seen = {};
    var strong = strongMatches(parts, sums.cut || sums.scores, index.meta.items, index.rule);
    return Object.keys(sums.scores).filter(function (doc) {
      if (!strong[doc] || (kind && index.kindOf(+doc) !== kind)) return false;
      if (!items) return true;
      var item = index.itemOf(doc);
      return seen[item] ? false : (seen[item] = true);
    }).length;
  }

  /* a hit's path and chapter, as the search API adds them (routes_search.placed): path, its
   * category's title then what it sits in (a row's "parent": an FAQ question's FAQ page, a
   * chapter's video; search_shards._parent); chapter, for a video chapter (its address ends
   * "#t=<seconds>"), its own title, its start and its video, so search.js lists it under the video */
  function placed(hit, parent) {
    /* an FAQ page named as its category is not said twice ("Billing › Billing"): routes_search.placed */
    hit.path = [hit.category, hit.kind === "faq" && parent === hit.category ? "" : parent].filter(Boolean);
    var at = /#t=(\d+)$/.exec(hit.url);
    hit.chapter = null;
    if (hit.kind === "video" && at) {
      var title = parent && hit.title.indexOf(parent + ": ") === 0 ? hit.title.slice(parent.length + 2) : hit.title;
      hit.chapter = { title: title, start: +at[1], video: { id: hit.id, title: parent || "", url: hit.url.split("#")[0] } };
    }
    return hit;
  }

  /* the one format of the shards this script reads (carebase.pages.search_shards.VERSION): a
   * site half deployed or a page cached from another build does not misread them */
  var FORMAT = 4;
  /* the rows a results list pages through (query.MAX_DEPTH, search.js's MAX_DEPTH) */
  var MAX_DEPTH = 1000;

  function open(root) {
    var url = new URL("meta.json", root).href;
    return fetch(url, { credentials: "omit" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    }).then(function (meta) {
      if (meta.version !== FORMAT) {
        throw new Error(url + ": site search index is format " + meta.version + ", this page reads format " + FORMAT +
          ": rebuild the site (carebase build)");
      }
      if (meta.analyser) { analyser = window.carebaseAnalyser.create(meta.analyser); siteRules = true; }
      return new Index(root, meta);
    });
  }

  window.carebaseSearchIndex = { open: open, words: words, stem: stem, site: function () { return siteRules; } };
})();
