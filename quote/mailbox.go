package quote

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
)

// The parsing of the outbox's messages, for the mailbox (mailbox_other.go;
// a Worker has no mailbox) and the tests.
type parsedMail struct {
	ID, File, State string
	Headers         [][2]string
	Text            string
	parts           []mailPart
	Parts           []mailPart
}

type mailPart struct {
	ctype, filename string
	data            []byte
}

func (p mailPart) name() string {
	if p.filename != "" {
		return p.filename
	}
	return p.ctype
}

// Name, Type and Size are for the page.
func (p mailPart) Name() string { return p.name() }
func (p mailPart) Type() string { return p.ctype }
func (p mailPart) Size() int    { return len(p.data) }

func readMail(data []byte) (*parsedMail, error) {
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	pm := &parsedMail{}
	for _, k := range []string{"Date", "From", "To", "Reply-To", "Subject", "Message-ID", "Content-Language", "Auto-Submitted"} {
		if v := m.Header.Get(k); v != "" {
			pm.Headers = append(pm.Headers, [2]string{k, decodeHeader(v)})
		}
	}
	if err := walkParts(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), "", m.Body, &pm.parts); err != nil {
		return nil, err
	}
	for _, p := range pm.parts {
		if p.ctype == "text/plain" && p.filename == "" && pm.Text == "" {
			pm.Text = string(p.data)
			continue
		}
		pm.Parts = append(pm.Parts, p)
	}
	return pm, nil
}

// walkParts collects the leaves of a MIME tree, decoded.
func walkParts(ctype, cte, disposition string, body io.Reader, out *[]mailPart) error {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		mt, params = "text/plain", nil
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := walkParts(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p.Header.Get("Content-Disposition"), p, out); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(cte) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, &crlfStripper{r: body})
	}
	data, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	part := mailPart{ctype: mt, data: data}
	if _, dp, err := mime.ParseMediaType(disposition); err == nil {
		part.filename = dp["filename"]
	}
	*out = append(*out, part)
	return nil
}

// crlfStripper drops line ends, which base64 decoding does not skip.
type crlfStripper struct{ r io.Reader }

func (c *crlfStripper) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	j := 0
	for _, b := range p[:n] {
		if b != '\r' && b != '\n' {
			p[j] = b
			j++
		}
	}
	return j, err
}

func decodeHeader(v string) string {
	d := new(mime.WordDecoder)
	if s, err := d.DecodeHeader(v); err == nil {
		return s
	}
	return v
}
