package endpoints

import (
	"reflect"
	"testing"

	"kmopsite/words"
)

// TestRoundTrip: what Marshal writes, Parse reads back whole; a file
// that is not one build wrote is refused.
func TestRoundTrip(t *testing.T) {
	f := &File{SiteName: "Audit", SiteURL: "https://a.example/", DefaultLang: "nl", Langs: []string{"nl", "fr"},
		Quote:      Quote{Endpoint: "/api/quote", To: "in@a.example", ConfirmationsPerHour: 60},
		Estimate:   &Estimate{HourlyRate: 150, VATPercent: 21, Hours: map[string][2]int{"starter": {12, 16}}, ExtraService: [2]int{2, 4}, ExtraSite: [2]int{4, 8}},
		PrivacyURL: map[string]string{"nl": "https://a.example/nl/privacy/"},
		Headers:    map[string]string{"X-Frame-Options": "DENY"},
		Words:      map[string]Words{"nl": {Selfcheck: &words.Selfcheck{UI: map[string]string{"start": "Start"}}, Quote: &words.Quote{}}}}
	got, err := Parse(f.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, f) {
		t.Errorf("got  %+v\nwant %+v", got, f)
	}
	if h, err := Headers(f.Marshal()); err != nil || !reflect.DeepEqual(h, f.Headers) {
		t.Errorf("Headers: %v %v", h, err)
	}
	for _, bad := range []string{`{}`, `{"langs":["nl"],"default_lang":"nl"}`, `not json`} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// TestEstimateRange: the formula of docs/endpoints.md with the shipped
// settings, at its edges.
func TestEstimateRange(t *testing.T) {
	e := &Estimate{HourlyRate: 150, VATPercent: 21,
		Hours:        map[string][2]int{"starter": {12, 16}, "follow_up": {14, 18}, "standard": {14, 20}, "renewal": {14, 20}},
		ExtraService: [2]int{2, 4}, ExtraSite: [2]int{4, 8}}
	for _, tc := range []struct {
		audit           string
		services, sites int
		low, high       int
		ok              bool
	}{
		{"standard", 1, 1, 2100, 3000, true},
		{"starter", 1, 1, 1800, 2400, true},
		{"follow_up", 2, 1, 2400, 3300, true}, // (14+2)×150, (18+4)×150
		{"renewal", 2, 3, (14 + 2 + 8) * 150, (20 + 4 + 16) * 150, true},
		{"standard", 0, 0, 2100, 3000, true}, // not answered yet: one of each
		{"", 1, 1, 0, 0, false},
		{"standard_typo", 1, 1, 0, 0, false},
	} {
		low, high, ok := e.Range(tc.audit, tc.services, tc.sites)
		if low != tc.low || high != tc.high || ok != tc.ok {
			t.Errorf("Range(%q, %d, %d) = %d, %d, %v; want %d, %d, %v", tc.audit, tc.services, tc.sites, low, high, ok, tc.low, tc.high, tc.ok)
		}
	}
	if got := e.WithVAT(2100); got != 2541 {
		t.Errorf("WithVAT(2100) = %d, want 2541", got)
	}
	var none *Estimate
	if _, _, ok := none.Range("standard", 1, 1); ok {
		t.Error("a nil Estimate gives a range")
	}
}
