package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"

	"kmopsite/quote"
)

// mailer sends one composed mail. It is the swappable part: another HTTP
// mail API is another implementation, chosen in newMailer.
type mailer interface {
	send(ctx context.Context, m quote.Message) error
}

// mailgun sends the composed message as it is, through Mailgun's API for
// MIME messages (POST /v3/<domain>/messages.mime, basic auth "api" and
// the key), so that the Worker's mail is the same as the server's, byte
// for byte. post does the HTTP request; on the Worker it is a fetch.
type mailgun struct {
	base   string // https://api.eu.mailgun.net, or a stand-in in tests
	domain string
	key    string
	post   func(ctx context.Context, url string, header http.Header, body []byte) (status int, resp []byte, err error)
}

func (g mailgun) send(ctx context.Context, m quote.Message) error {
	url, header, body, err := g.request(m)
	if err != nil {
		return permanent(err)
	}
	status, resp, err := g.post(ctx, url, header, body)
	if err != nil {
		return fmt.Errorf("mail API: %w", err) // the network: try again
	}
	return mailgunResult(status, resp)
}

// request builds the API call for m: the recipients and the message as a
// file in a multipart form.
func (g mailgun) request(m quote.Message) (string, http.Header, []byte, error) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, to := range m.To {
		if err := mw.WriteField("to", to); err != nil {
			return "", nil, nil, err
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="message"; filename="`+m.Name+`"`)
	h.Set("Content-Type", "message/rfc822")
	fw, err := mw.CreatePart(h)
	if err != nil {
		return "", nil, nil, err
	}
	fw.Write(m.Data)
	if err := mw.Close(); err != nil {
		return "", nil, nil, err
	}
	header := http.Header{}
	header.Set("Content-Type", mw.FormDataContentType())
	header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("api:"+g.key)))
	url := strings.TrimRight(g.base, "/") + "/v3/" + g.domain + "/messages.mime"
	return url, header, b.Bytes(), nil
}

// mailgunResult reads the API's answer: 2xx is sent; 429, 5xx and the
// answers that a fixed setting mends (401, 403, 404: key or domain) are
// worth trying again; other 4xx are refusals of this message for good.
func mailgunResult(status int, body []byte) error {
	switch {
	case status >= 200 && status < 300:
		return nil
	case status == http.StatusTooManyRequests || status >= 500 ||
		status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusNotFound:
		return fmt.Errorf("mail API answered %d: %s", status, excerpt(body))
	default:
		return permanent(fmt.Errorf("mail API refused the message with %d: %s", status, excerpt(body)))
	}
}

func excerpt(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// permanentError is a failure that trying again will not mend.
type permanentError struct{ error }

func (e permanentError) Unwrap() error { return e.error }

func permanent(err error) error { return permanentError{err} }

func isPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}
