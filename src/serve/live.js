// prongsai serve: live reload and the error overlay.
// `prongsai serve` adds this script to the HTML pages it serves; `prongsai
// build` never does. It listens to /__prongsai/events (Server-Sent Events):
//   hello  on connect: reload if this page missed a build (server restarted,
//          tab was in the background); show the overlay if the build is broken
//   reload after a new build is served: reload only if this page or a file it
//          embeds changed; a changed stylesheet alone is swapped in place
//   broken the build failed: show the overlay (the page stays as it was)
(function () {
  'use strict';
  var me = document.currentScript;
  if (!me || !window.EventSource || !window.URL) return;
  var page = {
    instance: me.getAttribute('data-instance') || '',
    version: Number(me.getAttribute('data-version')),
    path: me.getAttribute('data-page') || '',
    missing: me.getAttribute('data-missing') === '1'
  };
  var OVERLAY = 'prongsai-overlay';
  var source = null;
  var retryTimer = null;
  var backoff = 1000;

  // The key of a URL in the site's file map ("strategies/1/index.html"), or
  // null for another origin.
  function siteKey(url) {
    var u, p;
    try { u = new URL(url, location.href); } catch (e) { return null; }
    if (u.origin !== location.origin) return null;
    try { p = decodeURIComponent(u.pathname); } catch (e) { return null; }
    p = p.replace(/^\/+/, '');
    if (p === '' || p.charAt(p.length - 1) === '/') p += 'index.html';
    return p;
  }

  // The files this page embeds (not the pages it merely links to), by key.
  function embedded() {
    var found = {};
    var nodes = document.querySelectorAll(
      'link[href],script[src],img[src],source[src],video[src],audio[src],track[src],iframe[src],embed[src],object[data]');
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      if (el.tagName === 'LINK' && !/\b(stylesheet|icon|preload|modulepreload|manifest)\b/i.test(el.rel)) continue;
      var attr = el.getAttribute('src') || el.getAttribute('href') || el.getAttribute('data');
      var key = attr && siteKey(attr);
      if (!key) continue;
      (found[key] = found[key] || []).push(el);
    }
    return found;
  }

  function isStylesheet(el) {
    return el.tagName === 'LINK' && /\bstylesheet\b/i.test(el.rel);
  }

  // What the changed paths mean here: 'reload', stylesheets to swap, or [].
  function effect(changed) {
    if (changed.indexOf(page.path) !== -1) return 'reload';
    if (page.missing && changed.indexOf('404.html') !== -1) return 'reload';
    var uses = embedded();
    var sheets = [];
    for (var i = 0; i < changed.length; i++) {
      var els = uses[changed[i]];
      if (!els) continue;
      for (var j = 0; j < els.length; j++) {
        if (!isStylesheet(els[j])) return 'reload';
        sheets.push(els[j]);
      }
    }
    return sheets;
  }

  // The new stylesheet loads beside the old one, which goes once the new
  // one applies: no flash of an unstyled page.
  function swap(sheets, version) {
    sheets.forEach(function (old) {
      var fresh = old.cloneNode(false);
      var u = new URL(old.href);
      u.searchParams.set('v', String(version));
      fresh.href = u.href;
      var done = function () { if (old.parentNode) old.parentNode.removeChild(old); };
      fresh.addEventListener('load', done);
      fresh.addEventListener('error', done);
      old.parentNode.insertBefore(fresh, old.nextSibling);
    });
  }

  function hideOverlay() {
    var el = document.getElementById(OVERLAY);
    if (el) el.parentNode.removeChild(el);
  }

  // The overlay arrives as HTML the server built with every string escaped.
  function showOverlay(html) {
    hideOverlay();
    var holder = document.createElement('template');
    holder.innerHTML = html;
    document.body.appendChild(holder.content);
  }

  document.addEventListener('click', function (e) {
    var t = e.target;
    if (t && t.closest && t.closest('[data-prongsai-close]')) hideOverlay();
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') hideOverlay();
  });

  function disconnect() {
    if (source) { source.close(); source = null; }
  }

  function connect() {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (source) return;
    source = new EventSource('/__prongsai/events');
    source.addEventListener('hello', function (e) {
      backoff = 1000;
      var d = JSON.parse(e.data);
      if (d.overlay) { showOverlay(d.overlay); return; }
      hideOverlay();
      if (d.instance !== page.instance || d.version !== page.version) location.reload();
    });
    source.addEventListener('reload', function (e) {
      var d = JSON.parse(e.data);
      hideOverlay();
      // A build this page did not hear of: it cannot know what changed.
      if (d.instance !== page.instance || d.previous !== page.version) { location.reload(); return; }
      page.version = d.version;
      var what = effect(d.changed);
      if (what === 'reload') location.reload();
      else if (what.length) swap(what, d.version);
    });
    source.addEventListener('broken', function (e) {
      showOverlay(JSON.parse(e.data).overlay);
    });
    source.onerror = function () {
      // While CONNECTING the browser retries by itself (the server restarts,
      // say). CLOSED means it gave up, e.g. on 503 when too many tabs
      // listen: try again later, more slowly each time.
      if (source && source.readyState === EventSource.CLOSED) {
        disconnect();
        retryTimer = setTimeout(connect, backoff);
        backoff = Math.min(backoff * 2, 30000);
      }
    };
  }

  // A browser opens at most six connections to one server: a background tab
  // gives its stream up, and on return `hello` tells it whether it missed
  // a build.
  document.addEventListener('visibilitychange', function () {
    if (document.hidden) disconnect(); else connect();
  });
  window.addEventListener('pagehide', disconnect);
  window.addEventListener('pageshow', function (e) { if (e.persisted && !document.hidden) connect(); });
  if (!document.hidden) connect();
})();
