// The search page: the results of ?q=, and of what is typed, from the
// Pagefind index that `kmopsite build` writes at /pagefind/ (one index per
// language; Pagefind takes the page's <html lang>). Nothing leaves the
// browser but the fetches of the site's own index files. Pagefind's
// script, its WebAssembly and the index are fetched only for the first
// query, so the page costs little until then.

const form = document.querySelector(".search-form");
const input = form && form.querySelector("input[name=q]");
const status = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-results]");
const noneLink = document.querySelector("[data-search-none-link]");
const more = document.querySelector("[data-search-more]");
const STEP = 10; // results shown at a time; the count says how many there are

let pagefind = null; // the module, once asked for
let seq = 0; // the latest query; an older one's results are dropped
let timer = 0;
let rest = []; // the results not shown yet

function load() {
  if (!pagefind) {
    const url = "/pagefind/pagefind.js"; // not a literal: the bundler leaves it
    pagefind = import(url).then(async (pf) => {
      await pf.options({ excerptLength: 24 });
      return pf;
    });
    pagefind.catch(() => { pagefind = null; });
  }
  return pagefind;
}

function say(key, n, q) {
  return (status.dataset[key] || "").replaceAll("{n}", String(n)).replaceAll("{q}", q);
}

// The excerpt, as text and <mark> elements only: Pagefind's excerpt is
// escaped HTML with <mark> around the words found.
function excerpt(html) {
  const p = document.createElement("p");
  p.className = "search-excerpt";
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const node of doc.body.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      p.append(node.textContent);
    } else if (node.nodeName === "MARK") {
      const m = document.createElement("mark");
      m.textContent = node.textContent;
      p.append(m);
    } else {
      p.append(node.textContent);
    }
  }
  return p;
}

function item(r) {
  const li = document.createElement("li");
  const a = document.createElement("a");
  a.href = r.url;
  a.setAttribute("data-search-result", "");
  a.textContent = (r.meta && r.meta.title) || r.url;
  li.append(a);
  if (r.meta && r.meta.section) {
    const s = document.createElement("span");
    s.className = "search-section";
    s.textContent = r.meta.section;
    li.append(s);
  }
  li.append(excerpt(r.excerpt || ""));
  return li;
}

function clearNone() {
  const old = document.querySelector("[data-search-none]");
  if (old) old.remove();
}

function showNone() {
  if (!noneLink || !noneLink.content.firstElementChild) return;
  const el = noneLink.content.firstElementChild.cloneNode(true);
  el.setAttribute("data-search-none", "");
  list.after(el);
}

async function run(q) {
  const my = ++seq;
  q = q.trim();
  if (!q) {
    rest = [];
    if (more) more.hidden = true;
    list.replaceChildren();
    clearNone();
    status.textContent = "";
    list.setAttribute("aria-busy", "false");
    return;
  }
  list.setAttribute("aria-busy", "true");
  try {
    const pf = await load();
    const search = await pf.search(q);
    if (my !== seq) return;
    const data = await Promise.all(search.results.slice(0, STEP).map((r) => r.data()));
    if (my !== seq) return;
    list.replaceChildren(...data.map(item));
    rest = search.results.slice(STEP);
    if (more) more.hidden = rest.length === 0;
    clearNone();
    const n = search.results.length;
    status.textContent = say(n === 0 ? "none" : n === 1 ? "one" : "other", n, q);
    if (n === 0) showNone();
  } catch (e) {
    if (my !== seq) return;
    rest = [];
    if (more) more.hidden = true;
    list.replaceChildren();
    clearNone();
    status.textContent = say("unavailable", 0, q);
    showNone();
  }
  list.setAttribute("aria-busy", "false");
}

function remember(q) {
  const url = new URL(location.href);
  if (q.trim()) url.searchParams.set("q", q);
  else url.searchParams.delete("q");
  history.replaceState(null, "", url);
}

// The next results, the focus on the first of them.
async function showMore() {
  const my = seq;
  const next = rest.slice(0, STEP);
  const data = await Promise.all(next.map((r) => r.data()));
  if (my !== seq) return;
  rest = rest.slice(STEP);
  const items = data.map(item);
  list.append(...items);
  more.hidden = rest.length === 0;
  if (items.length) items[0].querySelector("a").focus();
}

if (form && input && status && list) {
  if (more) more.addEventListener("click", showMore);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    remember(input.value);
    run(input.value);
  });
  // Results as you type, once the typing pauses.
  input.addEventListener("input", () => {
    clearTimeout(timer);
    load().catch(() => {});
    timer = setTimeout(() => {
      remember(input.value);
      run(input.value);
    }, 200);
  });
  const q = new URLSearchParams(location.search).get("q") || "";
  if (q.trim()) {
    input.value = q;
    list.setAttribute("aria-busy", "true");
    run(q);
  }
}
