// pactline default theme: full-text search of the sessions. Without this script the form
// stays hidden and the timeline is shown whole. With it, a query fetches only the index
// files it needs from the language's search/ folder (see SEARCH-FORMAT.md): one
// vocabulary file and one postings bucket per word, then the result entries shown.
// Words are found exactly as the index builder finds them (UAX #29 words, lowercased,
// stop words dropped); the builder stems, and this script maps a word to its stem with
// the vocabulary file. Query and sector are kept in the URL.
(function () {
  "use strict";
  var MAX_CHARS = 200, MAX_WORDS = 10, SHOWN = 20, KEY_CHARS = 3, DELAY = 150;

  function fnv(text) {
    var bytes = new TextEncoder().encode(text), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    return h >>> 0;
  }
  function chars(text) { return Array.from(text); }
  function normalize(word) { return word.toLowerCase().replace(/\u2019/g, "'"); }
  var fallbackWord = null, alnum = null;
  try {
    fallbackWord = new RegExp("[\\p{L}\\p{M}\\p{N}_]+(?:['\u2019.:][\\p{L}\\p{M}\\p{N}_]+)*", "gu");
    // The index keeps words with a letter or digit ("__" is word-like to Intl, not a word).
    alnum = new RegExp("[\\p{Alphabetic}\\p{N}]", "u");
  } catch (e) { /* an old engine: words are split more roughly */ }
  // The words of a query: cut to length, normalized, stop words left out.
  function tokens(query, lang, stop) {
    var text = chars(String(query)).slice(0, MAX_CHARS).join(""), raw = [];
    if (window.Intl && Intl.Segmenter) {
      var segments = new Intl.Segmenter(lang || undefined, { granularity: "word" }).segment(text);
      for (var s of segments) if (s.isWordLike) raw.push(s.segment);
    } else if (fallbackWord) {
      raw = text.match(fallbackWord) || [];
    } else {
      raw = text.split(/\s+/);
    }
    var out = [];
    raw.forEach(function (w) {
      w = normalize(w);
      if (w && (!alnum || alnum.test(w)) && !(stop && stop.has(w))) out.push(w);
    });
    return out.slice(0, MAX_WORDS);
  }
  function hex(text) {
    return Array.prototype.map.call(new TextEncoder().encode(text), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }
  function own(obj, key) { return obj && Object.prototype.hasOwnProperty.call(obj, key); }
  function undelta(list) {
    var at = 0;
    return (list || []).map(function (d) { return (at += d); });
  }
  window.pactlineSearch = { tokens: tokens, fnv: fnv };

  var form = document.getElementById("finder");
  if (!form || !form.hasAttribute("data-search") || !window.fetch || !window.URLSearchParams || !window.TextEncoder) return;
  var query = form.querySelector("input[name=q]");
  if (!query) return;
  var lang = document.documentElement.lang || "";
  var base = new URL(form.getAttribute("data-search"), document.baseURI);
  var root = new URL(base.href.replace(/search\/$/, ""), base);
  var selects = ["sector", "year", "status"].map(function (n) { return form.querySelector("select[name=" + n + "]"); })
    .filter(Boolean);
  var status = form.querySelector("[role=status]");
  var results = document.getElementById("finder-results");
  if (!results) {
    results = document.createElement("ol");
    results.id = "finder-results";
    form.parentNode.insertBefore(results, form.nextSibling);
  }
  var list = results;
  if (results.tagName !== "OL" && results.tagName !== "UL") {
    list = document.createElement("ol");
    results.appendChild(list);
  }

  var files = {};
  function get(path) {
    if (!files[path]) {
      files[path] = fetch(new URL(path, base)).then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; });
    }
    return files[path];
  }
  var metaLoad = null;
  function meta() {
    if (!metaLoad) {
      metaLoad = get("meta.json").then(function (m) {
        if (m) m.stopSet = new Set(m.stop || []);
        return m;
      });
    }
    return metaLoad;
  }
  // A word's stem: listed as a form of it, or else the longest stem that begins it.
  function stemOf(word) {
    return get("vocab/" + hex(chars(word).slice(0, KEY_CHARS).join("")) + ".json").then(function (v) {
      if (!v) return null;
      if (own(v.x, word)) return v.x[word];
      var best = null;
      (v.s || []).forEach(function (s) {
        if (word.lastIndexOf(s, 0) === 0 && (!best || s.length > best.length)) best = s;
      });
      return best;
    });
  }
  // Document -> {tf, pos}, and the number of documents with the stem.
  function postings(m, stem) {
    return get("postings/" + (fnv(stem) % m.buckets) + ".json").then(function (bucket) {
      var entry = own(bucket, stem) ? bucket[stem] : [0], docs = new Map(), doc = 0;
      for (var i = 1; i < entry.length; i++) {
        doc += entry[i][0];
        docs.set(doc, { tf: entry[i][1], pos: undelta(entry[i][2]) });
      }
      return { df: entry[0] || docs.size, docs: docs };
    });
  }
  function isPhrase(lists, doc) {
    return lists.length > 1 && lists[0].docs.get(doc).pos.some(function (start) {
      return lists.every(function (l, i) { return l.docs.get(doc).pos.indexOf(start + i) >= 0; });
    });
  }
  // Every query word must match: phrases first, then by tf-idf, then newest first.
  function rank(m, lists) {
    var hits = [];
    lists[0].docs.forEach(function (_, doc) {
      var score = 0;
      for (var i = 0; i < lists.length; i++) {
        var p = lists[i].docs.get(doc);
        if (!p) return;
        score += (1 + Math.log(p.tf)) * Math.log(1 + m.docs / lists[i].df);
      }
      hits.push({ doc: doc, phrase: isPhrase(lists, doc), score: score });
    });
    hits.sort(function (a, b) {
      return (b.phrase - a.phrase) || (b.score - a.score) || (b.doc - a.doc);
    });
    return hits.map(function (h) { return h.doc; });
  }
  function filtered(docs, chosen) {
    return Promise.all(chosen.map(function (c) { return get("filter/" + c[0] + "/" + encodeURIComponent(c[1]) + ".json"); }))
      .then(function (sets) {
        sets = sets.map(function (s) { return new Set(undelta(s)); });
        return docs.filter(function (d) { return sets.every(function (s) { return s.has(d); }); });
      });
  }
  function search(q, chosen) {
    return meta().then(function (m) {
      if (!m) return null;
      var words = tokens(q, lang, m.stopSet);
      if (!words.length) {
        if (String(q).trim() || !chosen.length) return { m: m, docs: [], idle: !String(q).trim() };
        var all = [];
        for (var d = m.docs - 1; d >= 0; d--) all.push(d);
        return filtered(all, chosen).then(function (docs) { return { m: m, docs: docs }; });
      }
      return Promise.all(words.map(stemOf)).then(function (stems) {
        if (stems.indexOf(null) >= 0) return { m: m, docs: [] };
        return Promise.all(stems.map(function (s) { return postings(m, s); })).then(function (lists) {
          return filtered(rank(m, lists), chosen).then(function (docs) { return { m: m, docs: docs }; });
        });
      });
    });
  }
  function entries(m, docs) {
    return Promise.all(docs.map(function (d) {
      return get("docs/" + Math.floor(d / m.chunk) + ".json").then(function (c) { return c && c[d % m.chunk]; });
    }));
  }
  function dateText(iso) {
    try {
      return new Date(iso + "T00:00:00Z").toLocaleDateString(lang || undefined,
        { timeZone: "UTC", year: "numeric", month: "long", day: "numeric" });
    } catch (e) { return iso; }
  }
  function render(found, shown) {
    list.textContent = "";
    shown.forEach(function (e) {
      if (!e) return;
      var li = document.createElement("li"), a = document.createElement("a"), p = document.createElement("p");
      a.href = new URL(e.u, root).href;
      a.textContent = e.t;
      li.appendChild(a);
      if (e.d) {
        var time = document.createElement("time");
        time.dateTime = e.d;
        time.textContent = dateText(e.d);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(time);
      }
      p.textContent = e.e || "";
      li.appendChild(document.createTextNode(" "));
      li.appendChild(p);
      list.appendChild(li);
    });
    results.hidden = !found || found.idle;
    if (!status) return;
    if (!found || found.idle) { status.textContent = ""; return; }
    var none = form.getAttribute("data-none");
    var template = !found.docs.length && none ? none : form.getAttribute("data-shown") || "{shown} / {total}";
    status.textContent = template.replace("{shown}", String(shown.length)).replace("{total}", String(found.docs.length));
  }
  function chosenFilters() {
    return selects.filter(function (s) { return s.value; }).map(function (s) { return [s.name, s.value]; });
  }
  function remember() {
    var params = new URLSearchParams(location.search);
    [query].concat(selects).forEach(function (el) {
      // Only what is searched for: a pasted book does not go into the address.
      var v = el === query ? chars(el.value).slice(0, MAX_CHARS).join("") : el.value;
      if (v) params.set(el.name, v); else params.delete(el.name);
    });
    var search = params.toString();
    history.replaceState(history.state, "", (search ? "?" + search : location.pathname) + location.hash);
  }
  var runs = 0, timer = null;
  function go() {
    clearTimeout(timer);
    remember();
    var run = ++runs;
    search(query.value, chosenFilters()).then(function (found) {
      if (run !== runs) return null;
      var top = found ? found.docs.slice(0, SHOWN) : [];
      return entries(found ? found.m : null, top).then(function (shown) {
        if (run === runs) render(found, shown);
      });
    }).catch(function () { /* a broken index leaves the page as it was */ });
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(go, DELAY);
  }

  var params = new URLSearchParams(location.search);
  if (params.has("q")) query.value = params.get("q");
  selects.forEach(function (s) {
    var v = params.get(s.name);
    if (v && Array.prototype.some.call(s.options, function (o) { return o.value === v; })) s.value = v;
  });
  form.hidden = false;
  results.hidden = true;
  query.addEventListener("input", later);
  query.addEventListener("focus", meta);
  selects.forEach(function (s) { s.addEventListener("change", go); });
  form.addEventListener("submit", function (e) { e.preventDefault(); go(); });
  form.addEventListener("reset", function () { setTimeout(go, 0); });
  if (query.value || chosenFilters().length) go();
})();
