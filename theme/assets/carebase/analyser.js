/* carebase text analyser for the browser: the client index's copy of carebase.text (fold,
 * words, stop words, stems, typo edits). The rules (language, stop words, letter folds, typo
 * steps, which stemmer, how words are cut) come from the build (meta.json "analyser",
 * written by carebase.text.Analyser.client_rules). Stemmers: "porter-whoosh" (English:
 * Whoosh's Porter, rule for rule, including its two anchored rules), "snowball-german"
 * (Snowball's German algorithm, version 3), "none". Segments: "words", or "cjk-bigrams"
 * (Chinese, Japanese, Korean: runs of those scripts as overlapping character pairs).
 * Word forms ("forms": {form: base form}, the ones of carebase.text.forms that touch the
 * index's terms): a form is stemmed as its base form ("frozen" as "freeze").
 * tests/text checks it against the Python analyser word by word (German: every word of a
 * 340,000-word dictionary).
 * Exposes window.carebaseAnalyser = { create(rules) -> analyser, porter, german }. */
(function () {
  "use strict";
  var step2 = { ational: "ate", tional: "tion", enci: "ence", anci: "ance", izer: "ize", bli: "ble", alli: "al",
    entli: "ent", eli: "e", ousli: "ous", ization: "ize", ation: "ate", ator: "ate", alism: "al", iveness: "ive",
    fulness: "ful", ousness: "ous", aliti: "al", iviti: "ive", biliti: "ble", logi: "log" };
  var step3 = { icate: "ic", ative: "", alize: "al", iciti: "ic", ical: "ic", ful: "", ness: "" };
  var C = "[^aeiouy]+", V = "[aeiou]+";
  var mgr0 = new RegExp("^(" + C + ")?" + V + C);
  var meq1 = new RegExp("^(" + C + ")?" + V + C + "(" + V + ")?$");
  var mgr1 = new RegExp("^(" + C + ")?" + V + C + V + C);
  var sV = new RegExp("^(" + C + ")?[aeiouy]");
  var cV = new RegExp("^" + C + "[aeiouy][^aeiouwxy]$");
  var edIng = /^(.*)(ed|ing)$/, atBlIz = /^(at|bl|iz)$/, doubled = /^([^aeiouylsz])\1$/;
  var re2 = /^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/;
  var re3 = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/;
  var re41 = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;
  var re42 = /^(.+?)(s|t)(ion)$/, re5 = /^(.+?)e$/;

  function porter(w) {
    if (w.length < 3) return w;
    var firstY = w[0] === "y", m, s;
    if (firstY) w = "Y" + w.slice(1);
    if (/s$/.test(w)) {
      if (/sses$/.test(w)) w = w.slice(0, -2);
      else if (/ies$/.test(w)) w = w.slice(0, -2);
      else if (w[w.length - 2] !== "s") w = w.slice(0, -1);
    }
    if (/eed$/.test(w)) {
      if (mgr0.test(w.slice(0, -3))) w = w.slice(0, -1);
    } else if ((m = edIng.exec(w))) {
      s = m[1];
      if (sV.test(s)) {
        w = s;
        if (atBlIz.test(w)) w += "e";
        else if (doubled.test(w)) w = w.slice(0, -1);
        else if (cV.test(w)) w += "e";
      }
    }
    if (/y$/.test(w)) {
      s = w.slice(0, -1);
      if (sV.test(s)) w = s + "i";
    }
    if ((m = re2.exec(w)) && mgr0.test(m[1])) w = m[1] + step2[m[2]];
    if ((m = re3.exec(w)) && mgr0.test(m[1])) w = m[1] + step3[m[2]];
    if ((m = re41.exec(w))) {
      if (mgr1.test(m[1])) w = m[1];
    } else if ((m = re42.exec(w))) {
      s = m[1] + m[2];
      if (mgr1.test(s)) w = s;
    }
    if ((m = re5.exec(w))) {
      s = m[1];
      if (mgr1.test(s) || (meq1.test(s) && !cV.test(s))) w = s;
    }
    if (/ll$/.test(w) && mgr1.test(w)) w = w.slice(0, -1);
    if (firstY) w = "y" + w.slice(1);
    return w;
  }

  /* Snowball's German stemmer (snowballstem.org, German, version 3), written from the
   * algorithm's description: umlauts and ß in the prelude ("ae", "oe", "ue" count as ä, ö,
   * ü, except "ue" after "q"; "u" and "y" between vowels are consonants), the regions R1
   * and R2, three suffix steps and an apostrophe step, then the umlauts dropped. */
  var gV = "aeiouyäöü", gEt = "Udfgklmnrstzä", gS = "bdfghklmnrt", gSt = "bdfghklmnt";
  function isIn(set, ch) { return ch !== undefined && ch !== "" && set.indexOf(ch) >= 0; }
  function endsWith(w, suf, end) { return end >= suf.length && w.slice(end - suf.length, end) === suf; }
  function longest(w, list) {
    for (var i = 0; i < list.length; i++) if (w.length >= list[i].length && w.slice(-list[i].length) === list[i]) return list[i];
    return null;
  }
  var S1 = ["erinnen", "erin", "lns", "ern", "em", "en", "er", "es", "ln", "e", "s"];
  var S2 = ["est", "en", "er", "et", "st"];
  var S3 = ["heit", "isch", "keit", "lich", "end", "ung", "ig", "ik"];
  var NOT_ET = ["geordn", "intern", "tick", "plan", "tr"];
  function german(word) {
    var w = word.split(""), i;
    for (i = 0; i + 2 < w.length; i++) {
      if (isIn(gV, w[i]) && (w[i + 1] === "u" || w[i + 1] === "y") && isIn(gV, w[i + 2])) w[i + 1] = w[i + 1].toUpperCase();
    }
    var out = "", c;
    for (i = 0; i < w.length; i++) {
      c = w[i];
      if (c === "ß") { out += "ss"; continue; }
      if (c === "q" && w[i + 1] === "u") { out += "qu"; i++; continue; }
      if ((c === "a" || c === "o" || c === "u") && w[i + 1] === "e") { out += c === "a" ? "ä" : c === "o" ? "ö" : "ü"; i++; continue; }
      out += c;
    }
    var s = out, n = s.length, p1 = n, p2 = n;
    if (n >= 3) {
      var k = 0;
      while (k < n && !isIn(gV, s[k])) k++;
      if (k < n) {
        k++;
        while (k < n && isIn(gV, s[k])) k++;
        if (k < n) {
          k++;
          p1 = Math.max(k, 3);
          while (k < n && !isIn(gV, s[k])) k++;
          if (k < n) {
            k++;
            while (k < n && isIn(gV, s[k])) k++;
            if (k < n) p2 = k + 1;
          }
        }
      }
    }
    var suf = longest(s, S1), at;
    if (suf && s.length - suf.length >= p1) {
      at = s.length - suf.length;
      if (suf === "em") { if (!endsWith(s, "syst", at)) s = s.slice(0, at); }
      else if (suf === "erinnen" || suf === "erin" || suf === "ern" || suf === "er") s = s.slice(0, at);
      else if (suf === "e" || suf === "en" || suf === "es") {
        s = s.slice(0, at);
        if (endsWith(s, "niss", s.length)) s = s.slice(0, -1);
      } else if (suf === "s") { if (isIn(gS, s[at - 1])) s = s.slice(0, at); }
      else s = s.slice(0, at) + "l";
    }
    suf = longest(s, S2);
    if (suf && s.length - suf.length >= p1) {
      at = s.length - suf.length;
      if (suf === "en" || suf === "er" || suf === "est") s = s.slice(0, at);
      else if (suf === "st") { if (isIn(gSt, s[at - 1]) && at - 1 >= 3) s = s.slice(0, at); }
      else if (isIn(gEt, s[at - 1]) && !NOT_ET.some(function (x) { return endsWith(s, x, at); })) s = s.slice(0, at);
    }
    suf = longest(s, S3);
    if (suf && s.length - suf.length >= p2) {
      at = s.length - suf.length;
      if (suf === "end" || suf === "ung") {
        s = s.slice(0, at);
        if (endsWith(s, "ig", s.length) && s[s.length - 3] !== "e" && s.length - 2 >= p2) s = s.slice(0, -2);
      } else if (suf === "ig" || suf === "isch" || suf === "ik") { if (s[at - 1] !== "e") s = s.slice(0, at); }
      else if (suf === "lich" || suf === "heit") {
        s = s.slice(0, at);
        if ((endsWith(s, "er", s.length) || endsWith(s, "en", s.length)) && s.length - 2 >= p1) s = s.slice(0, -2);
      } else {
        s = s.slice(0, at);
        var more = endsWith(s, "lich", s.length) ? 4 : endsWith(s, "ig", s.length) ? 2 : 0;
        if (more && s.length - more >= p2) s = s.slice(0, -more);
      }
    }
    suf = longest(s, ["'sch", "'s", "'"]);
    if (suf && s.length - suf.length >= 2) s = s.slice(0, s.length - suf.length);
    return s.replace(/[YUäöü]/g, function (ch) { return { Y: "y", U: "u", "ä": "a", "ö": "o", "ü": "u" }[ch]; });
  }

  var STEMMERS = { "porter-whoosh": porter, "snowball-german": german, none: function (w) { return w; } };
  var WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*(?:\/[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*)*/gu;
  /* words joined by slashes: one word when its parts have at most 2 letters and one has 1
   * ("o/b", "a/c", "24/7"), else its parts (carebase.text.analyser._slashed) */
  function slashed(found) {
    var out = [];
    found.forEach(function (w) {
      if (w.indexOf("/") < 0) { out.push(w); return; }
      var parts = w.split("/"), lens = parts.map(function (p) { return p.length; });
      if (Math.max.apply(null, lens) <= 2 && Math.min.apply(null, lens) === 1) out.push(w);
      else out.push.apply(out, parts);
    });
    return out;
  }
  var CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af";
  var CJK_RUN = new RegExp("[" + CJK + "]+|[^" + CJK + "]+", "g"), HAS_CJK = new RegExp("[" + CJK + "]");
  /* a word of CJK text → its terms: runs of those scripts as overlapping pairs */
  function bigrams(word) {
    if (!HAS_CJK.test(word)) return [word];
    var out = [];
    (word.match(CJK_RUN) || []).forEach(function (run) {
      if (!HAS_CJK.test(run[0])) {
        run = run.replace(/^'+|'+$/g, "");
        if (run) out.push(run);
      } else if (run.length === 1) out.push(run);
      else for (var i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
    });
    return out;
  }

  function create(rules) {
    var stop = {}, folds = rules.folds || {}, edits = rules.typo_edits || [], cache = {};
    var forms = rules.forms || {}, own = Object.prototype.hasOwnProperty;
    var stemmer = STEMMERS[rules.stemmer || "porter-whoosh"] || STEMMERS.none;
    var split = rules.segment === "cjk-bigrams" ? bigrams : null, nfkc = rules.fold === "nfkc";
    (rules.stop || []).forEach(function (w) { stop[w] = true; });
    var foldKeys = Object.keys(folds);
    function fold(text) {
      var t = String(text).toLowerCase();
      if (/[^\x00-\x7f]/.test(t)) {
        t = nfkc ? t.normalize("NFKC").toLowerCase() : t.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
        foldKeys.forEach(function (k) { if (t.indexOf(k) >= 0) t = t.split(k).join(folds[k]); });
      }
      return t;
    }
    function words(text, keepStop) {
      var folded = fold(text), found = folded.match(WORD) || [];
      if (folded.indexOf("/") >= 0) found = slashed(found);
      if (split) {
        found = [].concat.apply([], found.map(split));
        return keepStop ? found : found.filter(function (w) { return !stop[w]; });
      }
      return keepStop ? found : found.filter(function (w) { return w.length > 1 && !stop[w]; });
    }
    function stem(word) {
      var s = cache[word];
      if (s === undefined) s = cache[word] = stemmer(own.call(forms, word) ? forms[word] : word);
      return s;
    }
    function terms(text) { return words(text).map(stem); }
    function maxEdits(word) {
      var allowed = 0;
      edits.forEach(function (step) { if (word.length >= step[0]) allowed = step[1]; });
      return allowed;
    }
    /* optimal string alignment distance, giving up above max */
    function distance(a, b, max) {
      if (a === b) return 0;
      if (Math.abs(a.length - b.length) > max) return max + 1;
      var older = null, prev = [], cur, i, j;
      for (j = 0; j <= b.length; j++) prev[j] = j;
      for (i = 1; i <= a.length; i++) {
        cur = [i];
        var best = i;
        for (j = 1; j <= b.length; j++) {
          cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
          if (older && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], older[j - 2] + 1);
          if (cur[j] < best) best = cur[j];
        }
        if (best > max) return max + 1;
        older = prev;
        prev = cur;
      }
      return prev[b.length];
    }
    /* German separated verbs (carebase.text.separable, its words from meta.json's "separable"):
     * [[verb, prefix], ...] folded as typed ("wie setze ich das thermostat zurück" → [["setze",
     * "zuruck"]]); [] without the rules (any other language) */
    var sep = rules.separable, clauseEnd = null, sepWords = {};
    if (sep) {
      clauseEnd = new RegExp("[" + sep.punctuation.replace(/[\\\]\[^-]/g, "\\$&") + "]+|\\s(?:" + sep.conjunctions.join("|") + ")\\s", "u");
      ["prefixes", "question", "pronouns", "determiners"].forEach(function (k) {
        sepWords[k] = {};
        sep[k].forEach(function (w) { sepWords[k][w] = true; });
      });
    }
    var SEP_WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;
    /* where a clause's finite verb stands when its last word is a separable prefix (verb_at) */
    function verbAt(ws) {
      if (ws.length < 2 || !sepWords.prefixes[ws[ws.length - 1]]) return -1;
      var first = ws[0], at;
      if (sepWords.question[first] || sepWords.pronouns[first]) at = 1;
      else if (sepWords.determiners[first]) at = 2;
      else if (ws.length === 2 || sepWords.pronouns[ws[1]] || sepWords.determiners[ws[1]]) at = 0;
      else return -1;
      if (at >= ws.length - 1) return -1;
      var verb = ws[at];
      if (stop[verb] || sepWords.prefixes[verb] || !/^\p{L}+$/u.test(verb)) return -1;
      return at;
    }
    function separated(text) {
      if (!sep) return [];
      var out = [];
      fold(text).split(clauseEnd).forEach(function (clause) {
        var ws = clause.match(SEP_WORD) || [], at = verbAt(ws);
        if (at >= 0) out.push([ws[at], ws[ws.length - 1]]);
      });
      return out;
    }
    return { language: rules.language, fold: fold, words: words, stem: stem, terms: terms, separated: separated,
             maxEdits: maxEdits, distance: distance, isStop: function (w) { return (w.length < 2 && !split) || !!stop[w]; } };
  }

  window.carebaseAnalyser = { create: create, porter: porter, german: german };
})();
