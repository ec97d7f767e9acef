#!/usr/bin/env bash
# content-check.sh: the content as its readers will see it.
#
#   bash scripts/content-check.sh [SITE_DIR]
#
# 1. `kmopsite check` must pass: no error, no missing or stale translation,
#    no broken link (it prints every problem with its fix).
# 2. The site is built to a temporary folder, and every page in it must have
#    - a meta description of 110 to 160 characters (search engines cut
#      longer ones; shorter ones say too little),
#    - exactly one h1 (the title; the Markdown body starts at ##),
#    - alternative text on every image in the page's content, and not the
#      same text as on another language's page (a sign it was not translated).
#    The 404 pages and the language chooser at / are not indexed by search
#    engines; they are checked for their h1 only.
#
# Exit status 0 when all is well, 1 otherwise. Needs Go and python3.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
site=$(cd "${1:-$repo}" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

status=0
echo "== kmopsite check"
if ! (cd "$repo" && go run . check --source "$site"); then
  status=1
fi

echo "== build"
if ! (cd "$repo" && go run . build --source "$site" --dest "$out/public" >/dev/null); then
  echo "the site does not build: fix the errors above first"
  exit 1
fi

echo "== pages: description, h1, images"
python3 - "$out/public" <<'PY' || status=1
import html.parser, os, sys

root = sys.argv[1]

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.description = None
        self.noindex = False
        self.h1 = 0
        self.in_main = 0
        self.images = []  # (src, alt or None)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = (a.get("lang") or "")[:2]
        elif tag == "meta" and a.get("name") == "description":
            self.description = a.get("content") or ""
        elif tag == "meta" and a.get("name") == "robots" and "noindex" in (a.get("content") or ""):
            self.noindex = True
        elif tag == "h1":
            self.h1 += 1
        elif tag == "main":
            self.in_main += 1
        elif tag == "img" and self.in_main:
            self.images.append((a.get("src", ""), a.get("alt")))

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main -= 1

problems = []
alts = {}  # (src, alt) -> set of languages
pages = 0
for dirpath, dirs, files in os.walk(root):
    if dirpath == root and "admin" in dirs:
        dirs.remove("admin")  # the editor (Decap CMS), not a page of the site
    for f in sorted(files):
        if not f.endswith(".html"):
            continue
        path = os.path.join(dirpath, f)
        rel = os.path.relpath(path, root)
        p = Page()
        with open(path, encoding="utf-8") as fh:
            p.feed(fh.read())
        pages += 1
        if p.h1 != 1:
            problems.append(f"{rel}: {p.h1} h1 headings, want 1 (start headings in the text at ##)")
        if p.noindex or f == "404.html":
            continue
        d = p.description
        if d is None:
            problems.append(f"{rel}: no meta description")
        elif not 110 <= len(d) <= 160:
            problems.append(f"{rel}: description has {len(d)} characters, want 110 to 160: {d!r}")
        for src, alt in p.images:
            if alt is None or not alt.strip():
                problems.append(f"{rel}: image {src} has no alternative text")
            else:
                alts.setdefault((src, alt.strip()), set()).add(p.lang)

for (src, alt), langs in sorted(alts.items()):
    if len(langs) > 1:
        problems.append(f"image {src}: the same alternative text in {', '.join(sorted(langs))}: {alt!r} (translate it)")

for line in problems:
    print(line)
print(f"{pages} pages, {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
PY

exit $status
