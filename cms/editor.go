package cms

import (
	"bytes"
	"crypto/sha512"
	_ "embed"
	"encoding/base64"
	"net/http"
	"time"
)

// editorJS is loaded by /admin/ under serve and on the live site: it
// replaces Decap's image component by one whose description (alt text)
// is required, and refuses a save whose text has an image without one. A
// file, not inline, for /admin/'s CSP.
//
//go:embed editor.js
var editorJS []byte

var editorSRI = scriptSRI(editorJS)

// scriptSRI is the Subresource Integrity of one of /admin/'s scripts.
func scriptSRI(script []byte) string {
	sum := sha512.Sum384(script)
	return "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
}

// serveScript answers GET of one of /admin/'s embedded scripts.
func serveScript(w http.ResponseWriter, r *http.Request, script []byte) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(script))
}
