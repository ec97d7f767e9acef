// Package endpoints is the one file of a built site that its endpoints
// read: build writes it (Path, in the site's root), and `kmopsite serve`,
// `kmopsite host` and the Worker read it, so that none of them builds the
// site or keeps a copy of what the build decided. It holds what the quote
// endpoint needs of the site: the words of the self-check and of the
// quote mails in every language, the audit body's addresses, the privacy
// page of each language, the limits and caps, and the headers of every
// answer. It holds no secret and nothing of the machine it runs on: the
// mail server, the proxies and the host names are deployment settings,
// read from site.yaml where the endpoint runs.
//
// It imports only the words' types and encoding/json: the Worker reads it.
package endpoints

import (
	"bytes"
	"encoding/json"
	"fmt"

	"kmopsite/words"
)

// Path is where build writes the file in the built site. A static host
// does not serve it: kmopsite serve and host leave it out of the site as
// they do _headers and _redirects.
const Path = "_endpoints.json"

// File is the endpoints' file.
type File struct {
	// Headers are the headers of every answer: those that _headers gives
	// every path ("/*"). First in the file, so that Headers reads them
	// without reading the words.
	Headers map[string]string `json:"headers"`

	SiteName    string   `json:"site_name"`    // signs the confirmation and names the sender: contact.organisation, else title
	SiteURL     string   `json:"site_url"`     // base_url, with its slash
	DefaultLang string   `json:"default_lang"` // the audit body's language
	Langs       []string `json:"langs"`        // the site's languages, the default first

	Quote Quote `json:"quote"`
	// Estimate is site.yaml's estimate: section; nil without one, and
	// then no amount is named anywhere.
	Estimate *Estimate `json:"estimate,omitempty"`
	// PrivacyURL is the privacy page of each language, absolute.
	PrivacyURL map[string]string `json:"privacy_url"`
	// Words are the self-check's and the quote form's words by language,
	// as the build read and checked them.
	Words map[string]Words `json:"words"`
}

// Quote is the quote endpoint's part of site.yaml's quote: section.
type Quote struct {
	Endpoint string `json:"endpoint"` // the path the form posts to, /api/quote
	To       string `json:"to"`       // the audit body's inbox, a bare address
	From     string `json:"from"`     // the sender of both mails, a bare address
	// RateLimit is the requests per minute per address; 0: no limit.
	RateLimit int `json:"rate_limit"`
	// The confirmations at most per address a day and per hour for the
	// site.
	ConfirmationsPerAddress int `json:"confirmations_per_address"`
	ConfirmationsPerHour    int `json:"confirmations_per_hour"`
	// RetentionDays: requests older than this are deleted.
	RetentionDays int `json:"retention_days"`
}

// Estimate holds the settings of the indicative cost of an audit
// (docs/endpoints.md, "The estimate"): the hours per audit, the hours
// each service and each site in Belgium beyond the first adds, each as
// [low, high], at an hourly rate in whole euro excluding VAT.
type Estimate struct {
	HourlyRate   int               `json:"hourly_rate"`
	VATPercent   int               `json:"vat_percent"`
	Hours        map[string][2]int `json:"hours"` // by plan audit: starter, follow_up, standard, renewal
	ExtraService [2]int            `json:"extra_service"`
	ExtraSite    [2]int            `json:"extra_site"`
}

// Range is the estimate of an audit in whole euro excluding VAT: low =
// (hours[audit][0] + extra_service[0] × (services − 1) + extra_site[0] ×
// (sites_belgium − 1)) × hourly_rate, high likewise with the second
// numbers. services and sitesBelgium below 1 count as 1 (a plan question
// not answered yet). ok is false for an audit without hours (the audit
// not known yet) or a nil Estimate.
func (e *Estimate) Range(audit string, services, sitesBelgium int) (low, high int, ok bool) {
	if e == nil {
		return 0, 0, false
	}
	h, ok := e.Hours[audit]
	if !ok {
		return 0, 0, false
	}
	services, sitesBelgium = max(services, 1), max(sitesBelgium, 1)
	at := func(i int) int {
		return (h[i] + e.ExtraService[i]*(services-1) + e.ExtraSite[i]*(sitesBelgium-1)) * e.HourlyRate
	}
	return at(0), at(1), true
}

// WithVAT is an amount excluding VAT with VAT added, rounded to the
// nearest euro.
func (e *Estimate) WithVAT(amount int) int { return (amount*(100+e.VATPercent) + 50) / 100 }

// Words are one language's words: the self-check's and the quote
// form's, and, on a site with the live editor, the texts of its sign-in
// (which the Worker answers).
type Words struct {
	Selfcheck *words.Selfcheck `json:"selfcheck"`
	Quote     *words.Quote     `json:"quote"`
	SignIn    words.SignIn     `json:"signin,omitempty"`
}

// Marshal writes the file: deterministic (encoding/json sorts the keys
// of maps), one line.
func (f *File) Marshal() []byte {
	b, err := json.Marshal(f)
	if err != nil {
		panic(err) // plain data: cannot fail
	}
	return append(b, '\n')
}

// Headers reads the headers of the file alone: a Worker's answer that
// needs no words (a 404, the sign-in's pages) does not decode them.
func Headers(data []byte) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("%s is not a JSON object", Path)
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", Path, err)
		}
		if key == "headers" {
			var h map[string]string
			if err := dec.Decode(&h); err != nil {
				return nil, fmt.Errorf("%s: headers: %w", Path, err)
			}
			return h, nil
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, fmt.Errorf("%s: %w", Path, err)
		}
	}
	return nil, fmt.Errorf("%s has no headers", Path)
}

// Parse reads the file. It fails when the file is not one build wrote.
func Parse(data []byte) (*File, error) {
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", Path, err)
	}
	if len(f.Langs) == 0 || f.DefaultLang == "" || f.Quote.Endpoint == "" {
		return nil, fmt.Errorf("%s has no languages or no endpoint: is it a file written by kmopsite build?", Path)
	}
	return &f, nil
}
