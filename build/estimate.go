package build

import (
	"encoding/json"
	"strconv"
	"strings"

	"kmopsite/assess"
	"kmopsite/endpoints"
	"kmopsite/settings"
)

// EstimateView is the indicative cost of a standard audit (one service,
// one site) as the home and audit pages show it, from site.yaml's
// estimate: section: whole euro, excluding VAT, and written in the page's
// language.
type EstimateView struct {
	Low, High         int
	LowText, HighText string // "€ 2.100"
}

// standardEstimate is the template function "estimate": the range of a
// standard audit, or nil without an estimate: section (no amount is shown
// then).
func standardEstimate(site *settings.Site, lang *settings.Language) *EstimateView {
	if site == nil || lang == nil {
		return nil
	}
	low, high, ok := EstimateOf(site).Range(assess.AuditStandard, 1, 1)
	if !ok {
		return nil
	}
	return &EstimateView{Low: low, High: high, LowText: euro(lang.Code, low), HighText: euro(lang.Code, high)}
}

// euro writes a whole amount of euro as the language writes it: "€ 2.100"
// in Dutch, "2 100 €" in French, "€2,100" in English (as the browser's
// Intl.NumberFormat writes them for the self-check's plan).
func euro(lang string, n int) string {
	digits := strconv.Itoa(n)
	sep := map[string]string{"nl": ".", "fr": "\u202f", "en": ","}[lang]
	if sep == "" {
		sep = "."
	}
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	switch lang {
	case "fr":
		return b.String() + "\u00a0€"
	case "en":
		return "€" + b.String()
	}
	return "€\u00a0" + b.String()
}

// estimateJSON is the template function "estimateJSON": the estimate as
// the endpoints read it (endpoints.Estimate), as JSON, for the
// self-check's plan, which computes the range of the applicant's audit in
// the page; "" without one.
func estimateJSON(site *settings.Site) string {
	e := EstimateOf(site)
	if e == nil {
		return ""
	}
	b, _ := json.Marshal(e)
	return string(b)
}

// EstimateOf is site.yaml's estimate: section as the endpoints and the
// pages use it (endpoints.Estimate: one formula, Range); nil without the
// section or while it has mistakes (checkEstimate reports them), so that
// no amount is shown then.
func EstimateOf(site *settings.Site) *endpoints.Estimate {
	if site == nil || site.Estimate == nil || len(checkEstimate(site)) > 0 {
		return nil
	}
	s := site.Estimate
	e := &endpoints.Estimate{HourlyRate: s.HourlyRate, VATPercent: s.VATPercent, Hours: map[string][2]int{},
		ExtraService: [2]int(s.ExtraService), ExtraSite: [2]int(s.ExtraSite)}
	for audit, h := range s.Hours {
		e.Hours[audit] = [2]int(h)
	}
	return e
}
