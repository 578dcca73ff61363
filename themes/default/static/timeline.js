// pactline default theme: progressive enhancement of the timeline. Without this script the
// whole timeline is shown and every link works; with it, a form filters the sessions by
// sector and searches their notes (search-index.json), keeping the state in the URL query.
(function () {
  "use strict";
  var form = document.getElementById("finder");
  var list = document.querySelector("ol.timeline");
  if (!form || !list || !window.URLSearchParams) return;
  var items = Array.prototype.slice.call(list.querySelectorAll("li.entry"));
  var sector = form.querySelector("select");
  var query = form.querySelector("input");
  var status = form.querySelector("[role=status]");
  // The index sits beside this script, wherever links were rewritten to.
  var me = document.currentScript;
  var indexUrl = me && me.src
    ? me.src.replace(/timeline\.js(\?.*)?$/, "search-index.json")
    : form.getAttribute("data-index");
  var texts = null;
  var loading = null;

  function own(li) {
    return li.textContent.toLowerCase();
  }
  function load() {
    if (!loading) {
      loading = fetch(indexUrl)
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (rows) {
          texts = {};
          rows.forEach(function (e) {
            texts[e.ordinal] = [e.title, e.date, e.city, e.summary, e.text]
              .concat(e.sectors || []).join(" ").toLowerCase();
          });
        })
        .catch(function () { texts = {}; });
    }
    return loading;
  }
  function years() {
    var seen = null;
    list.querySelectorAll(".year-marker.added").forEach(function (p) { p.remove(); });
    items.forEach(function (li) {
      if (li.hidden || !li.dataset.year) return;
      var y = li.dataset.year;
      if (y !== seen && !li.querySelector(".year-marker")) {
        var p = document.createElement("p");
        p.className = "year-marker added";
        p.setAttribute("aria-hidden", "true");
        p.textContent = y;
        li.insertBefore(p, li.firstChild);
      }
      seen = y;
    });
  }
  function apply(keepUrl) {
    var s = sector.value;
    var words = query.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (li) {
      var ok = !s || (" " + li.dataset.sectors + " ").indexOf(" " + s + " ") >= 0;
      if (ok && words.length) {
        var text = own(li) + " " + ((texts && texts[li.dataset.ordinal]) || "");
        ok = words.every(function (w) { return text.indexOf(w) >= 0; });
      }
      li.hidden = !ok;
      if (ok) shown++;
    });
    years();
    var filtered = s || words.length;
    status.textContent = filtered
      ? form.dataset.shown.replace("{shown}", shown).replace("{total}", items.length)
      : "";
    if (!keepUrl) {
      var p = new URLSearchParams(location.search);
      if (s) p.set("sector", s); else p.delete("sector");
      if (query.value.trim()) p.set("q", query.value.trim()); else p.delete("q");
      var qs = p.toString();
      history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
    }
  }
  function searchThenApply() {
    apply();
    if (!texts && query.value.trim()) load().then(function () { apply(true); });
  }

  form.hidden = false;
  var params = new URLSearchParams(location.search);
  var wanted = params.get("sector") || "";
  if (wanted && sector.querySelector('option[value="' + wanted.replace(/["\\]/g, "") + '"]')) {
    sector.value = wanted;
  }
  query.value = params.get("q") || "";
  sector.addEventListener("change", searchThenApply);
  query.addEventListener("input", searchThenApply);
  query.addEventListener("focus", load);
  form.addEventListener("submit", function (e) { e.preventDefault(); searchThenApply(); });
  form.addEventListener("reset", function () {
    setTimeout(function () { apply(); query.focus(); }, 0);
  });
  if (sector.value || query.value) {
    apply(true);
    if (query.value) load().then(function () { apply(true); });
  }
})();
