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
