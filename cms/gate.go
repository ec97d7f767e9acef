package cms

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"kmopsite/build"
)

// The gate: what kmopsite check reports as an error in the files a save
// writes, judged as the site would be with them, never reaches the site.
// A save in simple mode and a publish in the editorial workflow are
// refused with the errors; a draft is saved with them and says so. Errors
// in other files do not stop an unrelated save. On the live site the pull
// request's check (the workflow's `kmopsite check`) does the same.

// A Checker returns the diagnostics of the site as it would be with files
// written (new or changed contents, by path) and removed taken away.
type Checker func(ctx context.Context, files map[string][]byte, removed []string) (build.Diagnostics, error)

// FullCheck builds the site over the folder with the save's files laid
// over it, as kmopsite check does (without the wasm): right for any file,
// the cost of a build.
func (b *Backend) FullCheck(ctx context.Context, files map[string][]byte, removed []string) (build.Diagnostics, error) {
	o := overlay{base: b.root.FS(), files: files, removed: map[string]bool{}}
	for _, r := range removed {
		o.removed[r] = true
	}
	r := build.Run(ctx, build.Options{FS: o, Source: b.dir, NoWasm: true})
	return r.Diagnostics, ctx.Err()
}

// PreviewCheck is a Checker for serve: a save of pages alone is judged by
// render (the Builder's Preview, which parses each page over the last
// build: milliseconds), any other save by full.
func PreviewCheck(render Renderer, full Checker) Checker {
	return func(ctx context.Context, files map[string][]byte, removed []string) (build.Diagnostics, error) {
		for name := range files {
			if !isPage(name) {
				return full(ctx, files, removed)
			}
		}
		if len(removed) > 0 {
			return full(ctx, files, removed)
		}
		var out build.Diagnostics
		for name, data := range files {
			pv, err := render(ctx, name, data, nil)
			if err != nil {
				return nil, err
			}
			out = append(out, pv.Diagnostics...)
		}
		return out, nil
	}
}

// gate returns the errors of the files a save writes; nil when it may go
// on the site.
func (b *Backend) gate(files map[string][]byte, removed []string) (build.Diagnostics, error) {
	check := b.Check
	if check == nil {
		check = b.FullCheck
	}
	diags, err := check(context.Background(), files, removed)
	if err != nil {
		return nil, err
	}
	var out build.Diagnostics
	for _, d := range diags {
		if _, ok := files[d.File]; ok && d.Severity == build.Error {
			out = append(out, d)
		}
	}
	out.Sort()
	return out, nil
}

// gateRefusal is the refusal of a save or a publication (publish) with
// errors, in the editor's words.
func (b *Backend) gateRefusal(publish bool, files map[string][]byte, errs build.Diagnostics) error {
	w, err := editorWords(b.root.FS())
	if err != nil {
		return err
	}
	head := w.Gate.NotSaved
	if publish {
		head = w.Gate.NotPublished
	}
	return &refusal{status: http.StatusUnprocessableEntity, msg: head + " " + describeErrors(w, files, errs) + " " + w.Gate.Mend + " " + w.Gate.Live}
}

// describeErrors says how many errors there are and what, each at its
// place as the editor knows it (the field, the text's paragraph), and in
// which language's file when the entry has several.
func describeErrors(w *EditorWords, files map[string][]byte, errs build.Diagnostics) string {
	var b strings.Builder
	b.WriteString(fill(w.Gate.Errors, "n", strconv.Itoa(len(errs))))
	langs := map[string]bool{}
	for _, d := range errs {
		langs[d.File] = true
	}
	for i, d := range errs {
		if i == 5 {
			b.WriteString(" " + fill(w.Gate.More, "n", strconv.Itoa(len(errs)-5)))
			break
		}
		place := where(w, d.File, files[d.File], d.Line)
		if len(langs) > 1 {
			if lang, _, ok := pagePath(d.File); ok {
				place = strings.TrimSpace(strings.ToUpper(lang) + " " + place)
			}
		}
		b.WriteString(" ")
		if place != "" {
			b.WriteString(place + ": ")
		}
		b.WriteString(d.Msg)
		if d.Hint != "" {
			b.WriteString(" (" + d.Hint + ")")
		}
		b.WriteString(".")
	}
	return b.String()
}
