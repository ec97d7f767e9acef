package main

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"kmopsite/quote"
)

func TestMailgunRequest(t *testing.T) {
	var gotURL string
	var gotHeader http.Header
	var gotBody []byte
	g := mailgun{base: "https://api.eu.mailgun.net/", domain: "mg.example.be", key: "k3y",
		post: func(_ context.Context, url string, h http.Header, b []byte) (int, []byte, error) {
			gotURL, gotHeader, gotBody = url, h, b
			return 200, []byte(`{"id":"x"}`), nil
		}}
	msg := quote.Message{Name: quote.AuditMessage, To: []string{"be.info@kiwa.com"}, Data: []byte("Subject: x\r\n\r\nbody\r\n")}
	if err := g.send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	if gotURL != "https://api.eu.mailgun.net/v3/mg.example.be/messages.mime" {
		t.Errorf("url %s", gotURL)
	}
	if gotHeader.Get("Authorization") != "Basic "+base64.StdEncoding.EncodeToString([]byte("api:k3y")) {
		t.Errorf("auth %q", gotHeader.Get("Authorization"))
	}
	_, params, _ := mime.ParseMediaType(gotHeader.Get("Content-Type"))
	mr := multipart.NewReader(strings.NewReader(string(gotBody)), params["boundary"])
	form, err := mr.ReadForm(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	if to := form.Value["to"]; len(to) != 1 || to[0] != "be.info@kiwa.com" {
		t.Errorf("to %v", to)
	}
	f, _ := form.File["message"][0].Open()
	if b, _ := io.ReadAll(f); string(b) != string(msg.Data) {
		t.Errorf("message %q", b)
	}
}

func TestMailgunResult(t *testing.T) {
	for status, want := range map[int]string{200: "sent", 202: "sent", 429: "retry", 500: "retry", 503: "retry",
		401: "retry", 403: "retry", 404: "retry", 400: "permanent", 413: "permanent"} {
		err := mailgunResult(status, []byte(`{"message":"x"}`))
		got := "retry"
		switch {
		case err == nil:
			got = "sent"
		case isPermanent(err):
			got = "permanent"
		}
		if got != want {
			t.Errorf("%d: %s, want %s", status, got, want)
		}
	}
	g := mailgun{post: func(context.Context, string, http.Header, []byte) (int, []byte, error) {
		return 0, nil, errors.New("connection reset")
	}}
	if err := g.send(context.Background(), quote.Message{To: []string{"a@b.be"}}); err == nil || isPermanent(err) {
		t.Errorf("a network error is %v; it must be retried", err)
	}
}
