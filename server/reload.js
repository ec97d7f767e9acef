// Live reload while editing: `kmopsite serve` serves this script at
// /_reload.js, and only the pages it renders (PageData.Dev) load it; the
// built site holds neither the script nor its EventSource. The events are
// described in reload.go.
liveReload();

function liveReload() {
  let build = null; // the build this page has seen, to notice missed events
  const events = new EventSource("/_reload");
  const read = (e) => JSON.parse(e.data);

  events.addEventListener("hello", (e) => {
    const d = read(e);
    if (build !== null && d.build !== build) {
      location.reload(); // reconnected after builds this page did not hear of
      return;
    }
    build = d.build;
  });
  events.addEventListener("reload", (e) => {
    const d = read(e);
    build = d.build;
    if (d.cssOnly) {
      swapStylesheets(d.css);
    } else if (d.all || (d.urls || []).some(shown)) {
      location.reload();
    }
  });
  // "error" is also the name of the event of a lost connection, which
  // has no data; the EventSource reconnects by itself.
  events.addEventListener("error", (e) => {
    if (!e.data) return;
    const d = read(e);
    build = d.build;
    showErrors(d.html);
  });
  events.addEventListener("clear", (e) => {
    build = read(e).build;
    const box = document.getElementById("kmopsite-errors");
    if (box) box.remove();
  });
}

// shown reports whether an address that changed is this page, or a file
// this page uses.
function shown(url) {
  let here = location.pathname;
  if (here.endsWith("/index.html")) here = here.slice(0, -"index.html".length);
  if (url === here) return true;
  for (const el of document.querySelectorAll("[src], link[href]")) {
    if (el.getAttribute("src") === url || el.getAttribute("href") === url) return true;
  }
  return false;
}

// swapStylesheets replaces each changed stylesheet by its new version,
// with its new integrity, removing the old one once the new one applies.
function swapStylesheets(swaps) {
  for (const s of swaps) {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      if (link.getAttribute("href") !== s.from) continue;
      const next = link.cloneNode();
      next.setAttribute("integrity", s.integrity);
      next.setAttribute("href", s.to);
      next.addEventListener("load", () => link.remove(), { once: true });
      next.addEventListener("error", () => location.reload(), { once: true });
      link.after(next);
    }
  }
}

// showErrors puts the server's overlay (HTML it rendered from the
// diagnostics) over the page, with its stylesheet.
function showErrors(html) {
  const href = "/_kmopsite/overlay.css";
  if (!document.querySelector(`link[href="${href}"]`)) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.append(link);
  }
  const parsed = new DOMParser().parseFromString(html, "text/html");
  const next = parsed.getElementById("kmopsite-errors");
  if (!next) return;
  const box = document.getElementById("kmopsite-errors");
  if (box) {
    box.replaceWith(document.adoptNode(next));
  } else {
    document.body.prepend(document.adoptNode(next));
  }
}
