//go:build !(js && wasm)

package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestParseRequest reads a head as js/glue.mjs writes it (requestHead).
func TestParseRequest(t *testing.T) {
	head := "POST\nhttps://www.audit.example/api/quote?x=1\ncontent-type: application/json\nidempotency-key: a, b\ncookie: a=1; b=2\ncf-connecting-ip: 198.51.100.7\n"
	r, err := parseRequest(head, []byte(`{"lang":"nl"}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r.Body)
	if r.Method != http.MethodPost || r.URL.Path != "/api/quote" || r.URL.RawQuery != "x=1" || r.Host != "www.audit.example" ||
		r.Header.Get("Idempotency-Key") != "a, b" || r.Header.Get("Content-Type") != "application/json" ||
		r.RemoteAddr != "198.51.100.7" || string(b) != `{"lang":"nl"}` || r.ContentLength != 13 {
		t.Errorf("%+v body %q", r, b)
	}
	if c, err := r.Cookie("b"); err != nil || c.Value != "2" {
		t.Errorf("cookie b: %v %v", c, err)
	}
	get, err := parseRequest("GET\nhttps://www.audit.example/api/auth\n", nil)
	if err != nil || get.Body != http.NoBody || get.ContentLength != 0 {
		t.Errorf("a GET: %+v %v", get, err)
	}
	for _, bad := range []string{"", "GET", "GET\nhttps://x/\nno colon\n", "GET\n%zz\n"} {
		if _, err := parseRequest(bad, nil); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestRecorder writes the answer as toResponse in js/glue.mjs reads it.
func TestRecorder(t *testing.T) {
	w := newRecorder()
	if w.Status() != http.StatusOK {
		t.Errorf("status of an empty answer: %d", w.Status())
	}
	w.Header().Add("Set-Cookie", "a=1")
	w.Header().Add("Set-Cookie", "b=2")
	w.Header().Set("X-Bad", "one\r\ntwo")
	w.WriteHeader(http.StatusFound)
	w.WriteHeader(http.StatusTeapot) // too late: the first status stays
	w.Write([]byte("body"))
	if w.Status() != http.StatusFound || w.body.String() != "body" {
		t.Errorf("%d %q", w.Status(), w.body.String())
	}
	head := w.head()
	for _, line := range []string{"Set-Cookie: a=1\n", "Set-Cookie: b=2\n", "X-Bad: one  two\n"} {
		if !strings.Contains(head, line) {
			t.Errorf("head %q lacks %q", head, line)
		}
	}
	if describe("POST\nhttps://x.example/api/quote?email=a@b\n") != `POST "/api/quote"` {
		t.Error(describe("POST\nhttps://x.example/api/quote?email=a@b\n"))
	}
}
