/* carebase text analyser for the browser: the client index's copy of carebase.text (fold,
 * words, stop words, Porter stems, typo edits). The rules (stop words, letter folds, typo
 * steps) come from the build (meta.json "analyser", written by carebase.text.Analyser.
 * client_rules); the stemmer is Whoosh's Porter, rule for rule (including its two anchored
 * rules). tests/sitesearch checks it against the Python analyser word by word.
 * Exposes window.carebaseAnalyser = { create(rules) -> analyser, porter }. */
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

  var WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;

  function create(rules) {
    var stop = {}, folds = rules.folds || {}, edits = rules.typo_edits || [], cache = {};
    (rules.stop || []).forEach(function (w) { stop[w] = true; });
    var foldKeys = Object.keys(folds);
    function fold(text) {
      var t = String(text).toLowerCase();
      if (/[^\x00-\x7f]/.test(t)) {
        t = t.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
        foldKeys.forEach(function (k) { if (t.indexOf(k) >= 0) t = t.split(k).join(folds[k]); });
      }
      return t;
    }
    function words(text, keepStop) {
      var found = fold(text).match(WORD) || [];
      return keepStop ? found : found.filter(function (w) { return w.length > 1 && !stop[w]; });
    }
    function stem(word) {
      var s = cache[word];
      if (s === undefined) s = cache[word] = porter(word);
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
    return { language: rules.language, fold: fold, words: words, stem: stem, terms: terms,
             maxEdits: maxEdits, distance: distance, isStop: function (w) { return w.length < 2 || !!stop[w]; } };
  }

  window.carebaseAnalyser = { create: create, porter: porter };
})();
