// The site's one script, for what cannot work without one: search
// (Pagefind: the header's box and the search page) and the absolute address
// in a chart's embed code. Every page reads fully without it.
// A plain script, not a module: a module would not run at all from file://,
// and there the box must say in Thai why search does not work. The index
// and Pagefind's script are loaded from the site itself (pagefind/), found
// relative to the page, so search works under any subpath.
(function () {
  "use strict";
  var fromFile = location.protocol === "file:";

  // Embed code written without the site's address (no base_url): made
  // absolute from where the page is served, since it is pasted elsewhere.
  document.querySelectorAll("textarea[data-embed]").forEach(function (t) {
    if (fromFile || /src="https?:/.test(t.value)) return;
    var abs = new URL(t.getAttribute("data-embed"), location.href).href;
    t.value = t.value.replace(/src="[^"]*"/, 'src="' + abs + '"');
  });

  var box = document.querySelector("form.site-search");
  if (box && fromFile) {
    var note = document.createElement("p");
    note.className = "search-note";
    note.id = "site-search-note";
    note.textContent = box.getAttribute("data-file");
    note.hidden = true;
    box.appendChild(note);
    var boxInput = box.querySelector("input");
    boxInput.setAttribute("aria-describedby", note.id);
    boxInput.addEventListener("focus", function () { note.hidden = false; });
    box.addEventListener("submit", function (e) { e.preventDefault(); note.hidden = false; });
  }

  var form = document.getElementById("search-form");
  if (!form) return;
  var d = form.dataset;
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (fromFile) {
    status.textContent = d.file;
    status.classList.add("search-error");
    return;
  }

  // The site writes numbers in Thai digits (or Arabic, as configured); a
  // reader may type either, so both forms of the query are searched.
  var THAI = "๐๑๒๓๔๕๖๗๘๙";
  function toThai(s) { return s.replace(/[0-9]/g, function (c) { return THAI.charAt(+c); }); }
  function toArabic(s) { return s.replace(/[๐-๙]/g, function (c) { return String(THAI.indexOf(c)); }); }

  // A large plan's index is in parts, each language's in its own folder
  // (data-index): the first part has Pagefind's script and parts.json lists
  // the others, merged into it before the first search.
  var pagefind = null;
  function load() {
    if (!pagefind) {
      var base = new URL(d.index || d.root + "pagefind/", location.href).href;
      pagefind = import(base + "pagefind.js").then(function (pf) {
        return Promise.resolve(pf.init && pf.init()).then(function () {
          if (!d.index) return pf;
          return fetch(base + "parts.json")
            .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
            .then(function (parts) {
              return Promise.all(parts.map(function (p) { return pf.mergeIndex(new URL(p, base).href); }));
            })
            .then(function () { return pf; });
        });
      });
    }
    return pagefind;
  }

  // Only <mark> is kept of an excerpt's markup (Pagefind escapes the text).
  function excerpt(html) { return html.replace(/<(?!\/?mark>)[^>]*>/g, ""); }

  var current = 0;
  async function run(q) {
    var mine = ++current;
    q = q.trim();
    list.textContent = "";
    if (!q) { status.textContent = ""; return; }
    status.textContent = d.loading;
    var pf;
    try { pf = await load(); } catch (e) {
      status.textContent = d.failed;
      status.classList.add("search-error");
      return;
    }
    var variants = [q, toThai(q), toArabic(q)].filter(function (v, i, a) { return a.indexOf(v) === i; });
    var best = new Map();
    for (var v of variants) {
      var r = await pf.search(v);
      if (!r) continue;
      for (var x of r.results) {
        var prev = best.get(x.id);
        if (!prev || prev.score < x.score) best.set(x.id, x);
      }
    }
    var results = Array.from(best.values()).sort(function (a, b) {
      return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    var data = await Promise.all(results.slice(0, 20).map(function (x) { return x.data(); }));
    if (mine !== current) return;
    status.classList.remove("search-error");
    status.textContent = results.length
      ? d.found + " " + results.length + " " + d.foundUnit
      : d.none;
    for (var page of data) {
      var li = document.createElement("li");
      li.className = "search-result";
      var a = document.createElement("a");
      a.href = page.url;
      a.textContent = (page.meta && page.meta.title) || page.url;
      var title = document.createElement("p");
      title.className = "search-result-title";
      title.appendChild(a);
      li.appendChild(title);
      var facts = [page.meta && page.meta.code, page.meta && page.meta.unit].filter(Boolean);
      if (facts.length) {
        var meta = document.createElement("p");
        meta.className = "search-result-meta";
        meta.textContent = facts.join(" · ");
        li.appendChild(meta);
      }
      var p = document.createElement("p");
      p.className = "search-result-excerpt";
      p.innerHTML = excerpt(page.excerpt || "");
      li.appendChild(p);
      list.appendChild(li);
    }
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, 250);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var url = new URL(location.href);
    url.searchParams.set("q", input.value);
    history.replaceState(null, "", url);
    run(input.value);
  });
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; run(q); }
})();
