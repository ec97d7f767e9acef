//go:build !(js && wasm)

package quote

import (
	"bytes"
	"encoding/json"
	"html/template"
	"mime"
	"net/http"
	"net/mail"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// mailboxLimit caps the index: the newest requests first.
const mailboxLimit = 500

// Mailbox serves the outbox as a mailbox at /_mail/ (mount it there, without
// stripping the prefix): an index of the requests, newest first, each
// message readable with its headers decoded and its text shown, the HTML
// part and attachments one click away, and the raw .eml for a mail client.
// It is for `serve` without SMTP, where the outbox is where mail stays.
func (h *Handler) Mailbox() http.Handler {
	return http.HandlerFunc(h.serveMailbox)
}

func (h *Handler) serveMailbox(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "only GET here", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	rest := strings.TrimPrefix(r.URL.Path, "/_mail")
	rest = strings.Trim(rest, "/")
	if rest == "" {
		h.mailIndex(w)
		return
	}
	id, name, _ := strings.Cut(rest, "/")
	if !validID(id) {
		http.NotFound(w, r)
		return
	}
	dir, ok := h.box.find(id)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if name == "" || strings.ContainsAny(name, `/\`) || !hasFile(dir, name) {
		http.NotFound(w, r)
		return
	}
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	switch {
	case !strings.HasSuffix(name, ".eml"):
		ct := "text/plain; charset=utf-8"
		if strings.HasSuffix(name, ".json") {
			ct = "application/json; charset=utf-8"
		}
		w.Header().Set("Content-Type", ct)
		w.Write(data)
	case q.Has("raw"):
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(data)
	case q.Has("part"):
		m, err := readMail(data)
		if err != nil {
			http.Error(w, "cannot read this message: "+err.Error(), http.StatusInternalServerError)
			return
		}
		for _, p := range m.parts {
			if p.name() == q.Get("part") {
				// The HTML part is shown as the mail client would,
				// but boxed in: no scripts, no requests, no forms.
				w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
				w.Header().Set("Content-Type", p.ctype+"; charset=utf-8")
				if p.filename != "" {
					w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": p.filename}))
				}
				w.Write(p.data)
				return
			}
		}
		http.NotFound(w, r)
	default:
		m, err := readMail(data)
		if err != nil {
			http.Error(w, "cannot read this message: "+err.Error(), http.StatusInternalServerError)
			return
		}
		m.ID, m.File, m.State = id, name, stateOf(dir, name)
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		mailPage.Execute(w, m)
	}
}

func hasFile(dir, name string) bool {
	es, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range es {
		if e.Name() == name && e.Type().IsRegular() {
			return true
		}
	}
	return false
}

func stateOf(dir, name string) string {
	switch {
	case strings.HasSuffix(name, sentExt):
		return "sent"
	case strings.HasSuffix(name, failedExt):
		return "failed"
	case filepath.Base(filepath.Dir(dir)) == sentDir:
		return "sent"
	}
	return "waiting"
}

// indexEntry is one request in the mailbox index.
type indexEntry struct {
	ID, Received, Company, Lang, State string
	Messages                           []indexMessage
}

type indexMessage struct{ File, Subject, To, State string }

func (h *Handler) mailIndex(w http.ResponseWriter) {
	var entries []indexEntry
	for _, d := range []struct{ sub, state string }{{"", "waiting"}, {sentDir, "sent"}, {failedDir, "failed"}} {
		base := filepath.Join(h.box.dir, d.sub)
		es, _ := os.ReadDir(base)
		for _, e := range es {
			if !e.IsDir() || !validID(e.Name()) {
				continue
			}
			dir := filepath.Join(base, e.Name())
			ent := indexEntry{ID: e.Name(), State: d.state}
			if data, err := os.ReadFile(filepath.Join(dir, recordName)); err == nil {
				var rec struct {
					Received string  `json:"received"`
					Lang     string  `json:"lang"`
					Contact  Contact `json:"contact"`
				}
				json.Unmarshal(data, &rec)
				ent.Received, ent.Company, ent.Lang = rec.Received, rec.Contact.Company, rec.Lang
			}
			files, _ := os.ReadDir(dir)
			for _, f := range files {
				if !strings.HasSuffix(f.Name(), ".eml") {
					continue
				}
				im := indexMessage{File: f.Name(), State: stateOf(dir, f.Name())}
				if data, err := os.ReadFile(filepath.Join(dir, f.Name())); err == nil {
					if m, err := mail.ReadMessage(bytes.NewReader(data)); err == nil {
						im.Subject = decodeHeader(m.Header.Get("Subject"))
						im.To = decodeHeader(m.Header.Get("To"))
					}
				}
				ent.Messages = append(ent.Messages, im)
			}
			entries = append(entries, ent)
		}
	}
	sort.Slice(entries, func(i, j int) bool {
		return entries[i].Received > entries[j].Received || entries[i].Received == entries[j].Received && entries[i].ID < entries[j].ID
	})
	more := 0
	if len(entries) > mailboxLimit {
		more = len(entries) - mailboxLimit
		entries = entries[:mailboxLimit]
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	indexPage.Execute(w, map[string]any{"Entries": entries, "More": more, "Outbox": h.box.dir})
}

// parsedMail is a stored message read back for showing.
var mailStyle = `body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#1a1a1a}
table{border-collapse:collapse}th,td{text-align:left;padding:.25em .75em .25em 0;vertical-align:top}
pre{white-space:pre-wrap;background:#f6f6f6;padding:1em;border-radius:4px}
.waiting{color:#8a5a00}.sent{color:#1e6b2e}.failed{color:#a61b1b;font-weight:bold}`

var indexPage = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Mailbox</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>` + mailStyle + `</style></head><body>
<h1>Mailbox</h1>
<p>The quote requests in <code>{{.Outbox}}</code>, newest first. With no SMTP server configured, mail stays here.</p>
{{if not .Entries}}<p>No quote requests yet.</p>{{else}}
<table><thead><tr><th>Received (UTC)</th><th>Reference</th><th>Company</th><th>Language</th><th>Messages</th></tr></thead><tbody>
{{range .Entries}}<tr><td>{{.Received}}</td><td><a href="/_mail/{{.ID}}/request.json">{{.ID}}</a></td><td>{{.Company}}</td><td>{{.Lang}}</td><td>
{{$id := .ID}}{{range .Messages}}<a href="/_mail/{{$id}}/{{.File}}">{{.Subject}}</a> to {{.To}} <span class="{{.State}}">({{.State}})</span><br>
{{end}}</td></tr>
{{end}}</tbody></table>{{if .More}}<p>And {{.More}} older requests, not shown.</p>{{end}}{{end}}
</body></html>
`))

var mailPage = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.ID}}: {{.File}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>` + mailStyle + `</style></head><body>
<p><a href="/_mail/">← Mailbox</a></p>
<h1>{{.ID}}: {{.File}} <span class="{{.State}}">({{.State}})</span></h1>
<table>{{range .Headers}}<tr><th scope="row">{{index . 0}}</th><td>{{index . 1}}</td></tr>
{{end}}</table>
<p><a href="?raw">Raw message (.eml)</a>{{range .Parts}} · <a href="?part={{.Name}}">{{.Name}}</a> ({{.Size}} bytes){{end}}</p>
<pre>{{.Text}}</pre>
</body></html>
`))
