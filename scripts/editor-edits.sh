#!/usr/bin/env bash
# An editor's ordinary day must not break a test. This copies the
# repository (its files as they are in the work tree, without what git
# ignores), gives every Dutch page one more paragraph and site.yaml a new
# title and phone number, as an editor would, and runs the tests on the
# copy: `go test -short ./...`, or the packages given as arguments.
#
#   scripts/editor-edits.sh             # every package
#   scripts/editor-edits.sh ./build/... # some
set -euo pipefail
root=$(git rev-parse --show-toplevel)
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
cd "$root"
git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
	tar --null -T - -cf - | tar -xf - -C "$copy"
# The npm packages are installed, not copied: the copy uses the same ones.
for d in node_modules worker/node_modules; do
	[ -d "$d" ] && ln -s "$root/$d" "$copy/$d"
done

cd "$copy"
n=0
while IFS= read -r -d '' page; do
	printf '\nDeze alinea voegde de redactie vandaag toe, om te zien of niets breekt.\n' >>"$page"
	n=$((n + 1))
done < <(find content/nl -name '*.md' -print0)
sed -i -e 's/^title: .*/title: Een nieuwe titel van de redactie/' \
	-e 's/^\(  phone: \).*/\1+32 (0)9 876 54 32/' site.yaml
if ! grep -q '^title: Een nieuwe titel' site.yaml || ! grep -q '^  phone: +32 (0)9 876 54 32' site.yaml; then
	echo "editor-edits: site.yaml has no top-level title or contact phone to change" >&2
	exit 2
fi
echo "editor-edits: $n Dutch pages with one more paragraph, site.yaml with a new title and phone number"

if [ $# -eq 0 ]; then set -- ./...; fi
go test -short -count=1 "$@"
