package quote

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"kmopsite/assess"
)

func TestNormalizePhone(t *testing.T) {
	for _, tc := range []struct {
		in, want string // want "" means invalid
	}{
		{"03 259 06 60", "+3232590660"},
		{"+32 (0)3 259 06 60", "+3232590660"},
		{"+32(0)32590660", "+3232590660"},
		{"0032 3 259 06 60", "+3232590660"},
		{"003232590660", "+3232590660"},
		{"+32 3 259 06 60", "+3232590660"},
		{"03/259.06.60", "+3232590660"},
		{"03-259-06-60", "+3232590660"},
		{"0470 12 34 56", "+32470123456"},
		{"0470/12.34.56", "+32470123456"},
		{"+32 470 12 34 56", "+32470123456"},
		{"+32 0470 12 34 56", "+32470123456"}, // trunk 0 written after the country code
		{"0032 (0)470 12 34 56", "+32470123456"},
		{"02 123 45 67", "+3221234567"},
		{"09 123 45 67", "+3291234567"},
		{"04 222 33 44", "+3242223344"}, // Liège, a fixed line starting with 4
		{"0800 12 345", "+3280012345"},
		{"  0470 12 34 56  ", "+32470123456"},
		{"0470\u00a012\u00a034\u00a056", "+32470123456"},
		{"+31 20 123 4567", "+31201234567"},
		{"0031 20 123 4567", "+31201234567"},
		{"+33 1 23 45 67 89", "+33123456789"},
		{"+44 (0)20 7946 0958", "+442079460958"},

		{"", ""},
		{"   ", ""},
		{"0470 12 34 5", ""},   // 8 digits for a mobile
		{"0470 12 34 567", ""}, // 10 digits
		{"03 259 06 6", ""},    // 7 digits
		{"0440 12 34 56", ""},  // 9 digits but no mobile range (44x)
		{"3232590660", ""},     // no + or 0: which country?
		{"+0 12 34 56 78", ""}, // country codes do not start with 0
		{"+32 3 259 06 60 ext 5", ""},
		{"0470 12 34 56\r\nBcc: x@example.com", ""},
		{"+1 234", ""},                   // too short
		{"+1 234 567 890 123 456 7", ""}, // more than 15 digits
		{"03 259 06 60+", ""},
		{"٠٣٢٥٩٠٦٦٠", ""}, // digits of another script
		{"tel:+3232590660", ""},
	} {
		got, ok := NormalizePhone(tc.in)
		if tc.want == "" {
			if ok {
				t.Errorf("NormalizePhone(%q) = %q, want invalid", tc.in, got)
			}
			continue
		}
		if !ok || got != tc.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestDecodeValid(t *testing.T) {
	req, errs, err := Decode(body(nil), "2026-03-14", testLangs)
	if err != nil || errs != nil {
		t.Fatalf("Decode: %v %v", errs, err)
	}
	want := Contact{
		Company: "Formations Économie Sàrl", EnterpriseNumber: "0403.019.261",
		Name: "Zoë Dubois-Ülker", Email: "zoe@formations.example", Phone: "+3232590660",
		Message: "Bonjour,\nNous voudrions un audit en mars.",
	}
	if req.Contact != want {
		t.Errorf("contact:\n got %+v\nwant %+v", req.Contact, want)
	}
	if req.Lang != "fr" || !req.Consent {
		t.Errorf("lang %q consent %v", req.Lang, req.Consent)
	}
	if req.Answers.Date != "2026-03-14" {
		t.Errorf("answers date %q: the client's date must give way to the server's day", req.Answers.Date)
	}
	if v, ok := req.Answers.Get(assess.YearsActive); !ok || v.Number != 1 {
		t.Errorf("years_active = %+v, %v", v, ok)
	}
}

func TestDecodeErrors(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) }
	for _, tc := range []struct {
		name string
		edit func(m map[string]any)
		want []FieldError
	}{
		{"no lang", func(m map[string]any) { delete(m, "lang") }, []FieldError{{"lang", CodeRequired}}},
		{"unknown lang", func(m map[string]any) { m["lang"] = "de" }, []FieldError{{"lang", CodeUnknown}}},
		{"no contact", func(m map[string]any) { delete(m, "contact") }, []FieldError{
			{"contact.company", CodeRequired}, {"contact.name", CodeRequired}, {"contact.email", CodeRequired}}},
		{"blank company", func(m map[string]any) { contactOf(m)["company"] = " \t\n " }, []FieldError{{"contact.company", CodeRequired}}},
		{"company too long", func(m map[string]any) { contactOf(m)["company"] = long(201) }, []FieldError{{"contact.company", CodeTooLong}}},
		{"company with NUL", func(m map[string]any) { contactOf(m)["company"] = "ACME\x00" }, []FieldError{{"contact.company", CodeInvalid}}},
		{"company with bidi override", func(m map[string]any) { contactOf(m)["company"] = "ACME\u202egpj.exe" }, []FieldError{{"contact.company", CodeInvalid}}},
		{"name too long", func(m map[string]any) { contactOf(m)["name"] = long(201) }, []FieldError{{"contact.name", CodeTooLong}}},
		{"company with an encoded word", func(m map[string]any) {
			contactOf(m)["company"] = "ACME =?utf-8?q?=E2=80=AE=0D=0ABcc:_x@y.example?="
		}, []FieldError{{"contact.company", CodeInvalid}}},
		{"name with an encoded word", func(m map[string]any) { contactOf(m)["name"] = "=?ISO-8859-1?B?SGk=?=" }, []FieldError{{"contact.name", CodeInvalid}}},
		{"email with an encoded word", func(m map[string]any) { contactOf(m)["email"] = "=?utf-8?q?x?=@formations.example" }, []FieldError{{"contact.email", CodeInvalid}}},
		{"company with ZWJ", func(m map[string]any) { contactOf(m)["company"] = "ACME‍" }, []FieldError{{"contact.company", CodeInvalid}}},
		{"name with ESC", func(m map[string]any) { contactOf(m)["name"] = "Eve\x1b[31m" }, []FieldError{{"contact.name", CodeInvalid}}},
		{"no email", func(m map[string]any) { delete(contactOf(m), "email") }, []FieldError{{"contact.email", CodeRequired}}},
		{"email without at", func(m map[string]any) { contactOf(m)["email"] = "zoe.formations.example" }, []FieldError{{"contact.email", CodeInvalid}}},
		{"email without dot", func(m map[string]any) { contactOf(m)["email"] = "zoe@localhost" }, []FieldError{{"contact.email", CodeInvalid}}},
		{"email with name", func(m map[string]any) { contactOf(m)["email"] = "Zoe <zoe@formations.example>" }, []FieldError{{"contact.email", CodeInvalid}}},
		{"email with CRLF", func(m map[string]any) { contactOf(m)["email"] = "zoe@formations.example\r\nBcc: all@example.com" }, []FieldError{{"contact.email", CodeInvalid}}},
		{"email with comma", func(m map[string]any) { contactOf(m)["email"] = "zoe@formations.example,eve@example.com" }, []FieldError{{"contact.email", CodeInvalid}}},
		{"email non-ASCII", func(m map[string]any) { contactOf(m)["email"] = "zoë@formations.example" }, []FieldError{{"contact.email", CodeInvalid}}},
		{"email to an IP", func(m map[string]any) { contactOf(m)["email"] = "zoe@192.168.1.1" }, []FieldError{{"contact.email", CodeInvalid}}},
		{"email too long", func(m map[string]any) { contactOf(m)["email"] = strings.Repeat("a", 250) + "@x.be" }, []FieldError{{"contact.email", CodeTooLong}}},
		{"enterprise number check digits", func(m map[string]any) { contactOf(m)["enterprise_number"] = "0403.019.262" }, []FieldError{{"contact.enterprise_number", CodeInvalid}}},
		{"enterprise number too long", func(m map[string]any) { contactOf(m)["enterprise_number"] = strings.Repeat("0", 41) }, []FieldError{{"contact.enterprise_number", CodeTooLong}}},
		{"phone", func(m map[string]any) { contactOf(m)["phone"] = "0470 12 34" }, []FieldError{{"contact.phone", CodeInvalid}}},
		{"phone too long", func(m map[string]any) { contactOf(m)["phone"] = strings.Repeat("1", 41) }, []FieldError{{"contact.phone", CodeTooLong}}},
		{"message too long", func(m map[string]any) { contactOf(m)["message"] = long(5001) }, []FieldError{{"contact.message", CodeTooLong}}},
		{"message with NUL", func(m map[string]any) { contactOf(m)["message"] = "a\x00b" }, []FieldError{{"contact.message", CodeInvalid}}},
		{"no consent", func(m map[string]any) { delete(m, "consent") }, []FieldError{{"consent", CodeRequired}}},
		{"consent false", func(m map[string]any) { m["consent"] = false }, []FieldError{{"consent", CodeRequired}}},
		{"consent as text", func(m map[string]any) { m["consent"] = "true" }, []FieldError{{"consent", CodeInvalid}}},
		{"company as number", func(m map[string]any) { contactOf(m)["company"] = 12 }, []FieldError{{"contact.company", CodeInvalid}}},
		{"unknown key", func(m map[string]any) { m["verdict"] = "ready" }, []FieldError{{"verdict", CodeUnknown}}},
		{"unknown contact key", func(m map[string]any) { contactOf(m)["fax"] = "x" }, []FieldError{{"fax", CodeUnknown}}},
		{"answers not an object", func(m map[string]any) { m["answers"] = []int{1} }, []FieldError{{"answers", "not_object"}}},
		{"answer of the wrong type", func(m map[string]any) { m["answers"].(map[string]any)["years_active"] = "two" }, []FieldError{{"answers.years_active", "wrong_type"}}},
		{"unknown answer", func(m map[string]any) { m["answers"].(map[string]any)["verdict"] = "ready" }, []FieldError{{"answers.verdict", "unknown_key"}}},
		{"period not a month", func(m map[string]any) { m["preferred_period"] = "2026-3" }, []FieldError{{"preferred_period", CodeInvalid}}},
		{"period month 13", func(m map[string]any) { m["preferred_period"] = "2026-13" }, []FieldError{{"preferred_period", CodeInvalid}}},
		{"period past", func(m map[string]any) { m["preferred_period"] = "2026-02" }, []FieldError{{"preferred_period", CodeInvalid}}},
		{"period beyond twelve months", func(m map[string]any) { m["preferred_period"] = "2027-04" }, []FieldError{{"preferred_period", CodeInvalid}}},
		{"period as a date", func(m map[string]any) { m["preferred_period"] = "2026-05-01" }, []FieldError{{"preferred_period", CodeInvalid}}},
		{"period as a number", func(m map[string]any) { m["preferred_period"] = 202605 }, []FieldError{{"preferred_period", CodeInvalid}}},
		{"audit language unknown", func(m map[string]any) { m["audit_language"] = "de" }, []FieldError{{"audit_language", CodeUnknown}}},
		{"registration number too long", func(m map[string]any) { m["registration_number"] = strings.Repeat("7", 41) }, []FieldError{{"registration_number", CodeTooLong}}},
		{"registration number with CRLF header", func(m map[string]any) { m["registration_number"] = "DV.O123\r\nBcc: x@y.example\x00" }, []FieldError{{"registration_number", CodeInvalid}}},
		{"registration number with an encoded word", func(m map[string]any) { m["registration_number"] = "=?utf-8?q?=0D=0A?=" }, []FieldError{{"registration_number", CodeInvalid}}},
		{"several", func(m map[string]any) {
			m["consent"] = false
			contactOf(m)["email"] = "x"
			contactOf(m)["name"] = ""
		}, []FieldError{{"contact.name", CodeRequired}, {"contact.email", CodeInvalid}, {"consent", CodeRequired}}},
		{"body not an object", func(m map[string]any) {}, nil}, // replaced below
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := body(tc.edit)
			if tc.name == "body not an object" {
				b, tc.want = []byte(`["lang"]`), []FieldError{{"body", CodeInvalid}}
			}
			_, errs, err := Decode(b, "2026-03-14", testLangs)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(errs, tc.want) {
				t.Errorf("errors = %v, want %v", errs, tc.want)
			}
		})
	}
}

// TestDecodeAuditWishes: the three optional fields about the audit, at
// the edges of their ranges; the audit language defaults to the page's.
func TestDecodeAuditWishes(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(m map[string]any)
		want AuditWishes
	}{
		{"none", nil, AuditWishes{Language: "fr"}},
		{"empty", func(m map[string]any) {
			m["preferred_period"], m["audit_language"], m["registration_number"] = "", "", "  "
		}, AuditWishes{Language: "fr"}},
		{"asap, in Dutch", func(m map[string]any) { m["preferred_period"], m["audit_language"] = "asap", "nl" },
			AuditWishes{PreferredPeriod: PeriodASAP, Language: "nl"}},
		{"this month", func(m map[string]any) { m["preferred_period"] = "2026-03" }, AuditWishes{PreferredPeriod: "2026-03", Language: "fr"}},
		{"twelve months on", func(m map[string]any) { m["preferred_period"] = "2027-03" }, AuditWishes{PreferredPeriod: "2027-03", Language: "fr"}},
		{"registration number", func(m map[string]any) { m["registration_number"] = "  DV.O 2023\t1234  " },
			AuditWishes{Language: "fr", RegistrationNumber: "DV.O 2023 1234"}},
		{"registration number of 40", func(m map[string]any) { m["registration_number"] = strings.Repeat("é", 40) },
			AuditWishes{Language: "fr", RegistrationNumber: strings.Repeat("é", 40)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, errs, err := Decode(body(tc.edit), "2026-03-31", testLangs)
			if err != nil || errs != nil {
				t.Fatal(errs, err)
			}
			if req.Audit != tc.want {
				t.Errorf("got %+v, want %+v", req.Audit, tc.want)
			}
		})
	}
	// December to December of the next year.
	if _, errs, _ := Decode(body(func(m map[string]any) { m["preferred_period"] = "2027-12" }), "2026-12-07", testLangs); errs != nil {
		t.Errorf("2027-12 asked on 2026-12-07: %v", errs)
	}
	if _, errs, _ := Decode(body(func(m map[string]any) { m["preferred_period"] = "2028-01" }), "2026-12-07", testLangs); errs == nil {
		t.Error("2028-01 asked on 2026-12-07 is accepted")
	}
}

// TestDecodeDateIsTheServers: the client's date is not the day a
// registration_date is checked against: a renewal registered in 2022 is
// valid today, whatever older date the page sends, and one "registered"
// tomorrow is not, whatever later date it sends.
func TestDecodeDateIsTheServers(t *testing.T) {
	for _, tc := range []struct {
		client, registered string
		want               []FieldError
	}{
		{"2019-01-01", "2022-01-10", nil},
		{"2030-01-01", "2026-03-15", []FieldError{{"answers.registration_date", "after_date"}}},
		{"not a date", "2022-01-10", nil},
	} {
		_, errs, err := Decode(body(func(m map[string]any) {
			a := m["answers"].(map[string]any)
			a["date"], a["audit_kind"], a["registration_date"] = tc.client, "renewal", tc.registered
		}), "2026-03-14", testLangs)
		if err != nil || !reflect.DeepEqual(errs, tc.want) {
			t.Errorf("client date %s, registered %s: %v %v, want %v", tc.client, tc.registered, errs, err, tc.want)
		}
	}
}

func TestDecodeNormalises(t *testing.T) {
	req, errs, err := Decode(body(func(m map[string]any) {
		c := contactOf(m)
		c["company"] = "  ACME\r\nBcc: eve@example.com  "
		c["name"] = "Jan\tPeeters"
		c["email"] = "Jan.Peeters@ACME.Example"
		c["enterprise_number"] = ""
		c["phone"] = ""
		c["message"] = "\n\nline 1\rline 2\r\n\n"
	}), "2026-03-14", testLangs)
	if err != nil || errs != nil {
		t.Fatal(errs, err)
	}
	want := Contact{Company: "ACME Bcc: eve@example.com", Name: "Jan Peeters",
		Email: "Jan.Peeters@acme.example", Message: "line 1\nline 2"}
	if req.Contact != want {
		t.Errorf("got %+v\nwant %+v", req.Contact, want)
	}
}

func TestDecodeNotJSON(t *testing.T) {
	for _, b := range []string{"", "company=ACME&consent=on", "{", `{"lang":"nl"}{}`, "\xff"} {
		if _, _, err := Decode([]byte(b), "2026-03-14", testLangs); !errors.Is(err, ErrNotJSON) {
			t.Errorf("Decode(%q) error = %v, want ErrNotJSON", b, err)
		}
	}
}

// FuzzDecode feeds the request decoder anything: it must not panic, and
// what it accepts must be within bounds, normalised and free of anything
// that could break a mail header.
func FuzzDecode(f *testing.F) {
	f.Add(body(nil))
	f.Add(body(func(m map[string]any) { contactOf(m)["name"] = "Eve\r\nBcc: x@example.com" }))
	f.Add(body(func(m map[string]any) { m["answers"] = map[string]any{"services": []string{"advice", "advice"}} }))
	f.Add([]byte(`{"lang":"nl","contact":{"company":"a","name":"b","email":"c@d.be","phone":"0032 (0)470 12 34 56"},"consent":true}`))
	f.Add([]byte(`{"lang":"nl","answers":null,"contact":null,"consent":null}`))
	f.Add(body(func(m map[string]any) {
		m["preferred_period"], m["audit_language"], m["registration_number"] = "2026-09", "en", "DV.O 12345"
	}))
	f.Add([]byte(`[]`))
	f.Add([]byte(`"\u2028"`))
	f.Fuzz(func(t *testing.T, b []byte) {
		req, errs, err := Decode(b, "2026-03-14", testLangs)
		if err != nil || errs != nil {
			if err == nil && len(errs) == 0 {
				t.Fatal("empty, non-nil error list")
			}
			return
		}
		c := req.Contact
		for _, f := range []struct{ name, v string }{{"company", c.Company}, {"name", c.Name}, {"email", c.Email}, {"phone", c.Phone}, {"enterprise_number", c.EnterpriseNumber}} {
			if strings.ContainsAny(f.v, "\r\n") || !utf8.ValidString(f.v) || strings.TrimSpace(f.v) != f.v {
				t.Fatalf("%s %q is not one clean line", f.name, f.v)
			}
			if utf8.RuneCountInString(f.v) > MaxLength(f.name) {
				t.Fatalf("%s is %d characters long", f.name, utf8.RuneCountInString(f.v))
			}
		}
		if c.Company == "" || c.Name == "" || c.Email == "" || !req.Consent || !slices.Contains(testLangs, req.Lang) {
			t.Fatalf("accepted without a required field: %+v", req)
		}
		if _, ok := normalizeEmail(c.Email); !ok {
			t.Fatalf("accepted email %q", c.Email)
		}
		a := req.Audit
		if !slices.Contains(testLangs, a.Language) || a.PreferredPeriod != "" && !validPeriod(a.PreferredPeriod, "2026-03-14") {
			t.Fatalf("accepted audit wishes %+v", a)
		}
		if r := a.RegistrationNumber; strings.ContainsAny(r, "\r\n") || utf8.RuneCountInString(r) > 40 || strings.TrimSpace(r) != r {
			t.Fatalf("registration number %q is not one clean line of at most 40", r)
		}
		if c.Phone != "" {
			if again, ok := NormalizePhone(c.Phone); !ok || again != c.Phone {
				t.Fatalf("phone %q does not normalise to itself", c.Phone)
			}
		}
		if strings.Contains(c.Message, "\r") {
			t.Fatalf("message keeps a CR")
		}
		if _, err := json.Marshal(req.Contact); err != nil {
			t.Fatal(err)
		}
	})
}

// TestDecodeMessageText: the free message keeps what written text needs
// (an emoji joined by ZWJ, ZWNJ, a soft hyphen), still without the format
// characters that reorder or hide text; and "=?" in it is only text, since
// it never reaches a header.
func TestDecodeMessageText(t *testing.T) {
	for _, msg := range []string{
		"Ons team: 👩\u200d💻 en 👨\u200d👩\u200d👧",
		"می\u200cخواهم",            // ZWNJ in Persian
		"Kwaliteits\u00adhandboek", // soft hyphen
		"Kan =?utf-8?q?x?= in een bericht staan?",
	} {
		req, errs, err := Decode(body(func(m map[string]any) { contactOf(m)["message"] = msg }), "2026-03-14", testLangs)
		if err != nil || errs != nil {
			t.Errorf("message %q refused: %v %v", msg, errs, err)
			continue
		}
		if req.Contact.Message != msg {
			t.Errorf("message %q became %q", msg, req.Contact.Message)
		}
	}
	for _, msg := range []string{"a\u202eb", "a\u2066b", "a\u200bb", "a\ufeffb"} {
		_, errs, _ := Decode(body(func(m map[string]any) { contactOf(m)["message"] = msg }), "2026-03-14", testLangs)
		if !reflect.DeepEqual(errs, []FieldError{{"contact.message", CodeInvalid}}) {
			t.Errorf("message %q: %v, want contact.message invalid", msg, errs)
		}
	}
}
