package assess_test

import (
	"math/big"
	"strconv"
	"strings"
	"testing"

	"kmopsite/assess"
)

func TestNormalizeEnterpriseNumber(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"0403019261", "0403019261", true},
		{"0428759497", "0428759497", true},
		{"0681759451", "0681759451", true},
		{"1001686633", "1001686633", true},
		{"0403.019.261", "0403019261", true},
		{"BE 0403.019.261", "0403019261", true},
		{"be0403019261", "0403019261", true},
		{"bE0403-019/261", "0403019261", true},
		{"403019261", "0403019261", true},
		{"BE403019261", "0403019261", true},
		{"0403019262", "0403019262", false},
		{"2403019261", "2403019261", false},
		{"1403019261", "1403019261", false},
		{"0000000097", "0000000097", true}, // 97 - 0 mod 97 = 97
		{"0000000000", "0000000000", false},
		{"40301926", "40301926", false},
		{"04030192610", "04030192610", false},
		{"0403 019 26l", "040301926l", false},
		{"", "", false},
		{"BE", "", false},
		{"BEBE0403019261", "BE0403019261", false},
		{"0403019261 ", "0403019261", true},
		{"\t0403019261", "\t0403019261", false},
	} {
		got, ok := assess.NormalizeEnterpriseNumber(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("NormalizeEnterpriseNumber(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// sepaLengths is the list of SEPA countries with their IBAN lengths,
// written out again from the SWIFT IBAN registry so that a slip in one
// copy shows.
var sepaLengths = map[string]int{
	"AT": 20, "BE": 16, "BG": 22, "HR": 21, "CY": 28, "CZ": 24, "DK": 18, "EE": 20, "FI": 18,
	"FR": 27, "DE": 22, "GR": 27, "HU": 28, "IE": 22, "IT": 27, "LV": 21, "LT": 20, "LU": 20,
	"MT": 31, "NL": 18, "PL": 28, "PT": 25, "RO": 24, "SK": 24, "SI": 19, "ES": 24, "SE": 24,
	"IS": 26, "LI": 21, "NO": 15,
	"CH": 21, "GB": 22, "GI": 23, "MC": 27, "SM": 27, "AD": 24, "VA": 22,
	"AL": 28, "ME": 22, "MD": 24, "MK": 19, "RS": 22,
}

func TestSEPACountries(t *testing.T) {
	got := assess.SEPACountries()
	if len(got) != len(sepaLengths) {
		t.Errorf("%d SEPA countries, want %d", len(got), len(sepaLengths))
	}
	for i, c := range got {
		if _, ok := sepaLengths[c]; !ok {
			t.Errorf("%s is not a SEPA country", c)
		}
		if i > 0 && got[i-1] >= c {
			t.Errorf("SEPACountries not in order at %s", c)
		}
	}
	// An IBAN of the right length with correct check digits passes for
	// each country, one character more or less fails.
	for c, n := range sepaLengths {
		bban := strings.Repeat("1", n-4)
		if c == "BE" {
			bban = "539007547034"
		}
		if iban := ibanWith(c, bban); !assess.ValidIBAN(iban) {
			t.Errorf("%s: ValidIBAN(%s) = false", c, iban)
		}
		if iban := ibanWith(c, bban+"1"); assess.ValidIBAN(iban) {
			t.Errorf("%s: one character too many, ValidIBAN(%s) = true", c, iban)
		}
		if iban := ibanWith(c, bban[1:]); assess.ValidIBAN(iban) {
			t.Errorf("%s: one character too few, ValidIBAN(%s) = true", c, iban)
		}
	}
}

func TestValidIBAN(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		// Examples of the registry and docs/rules.md, facts §11.
		{"BE31435411161155", true},
		{"BE48320070184927", true},
		{"BE68 5390 0754 7034", true},
		{"AD12 0001 2030 2003 5910 0100", true},
		{"AT61 1904 3002 3457 3201", true},
		{"BG80 BNBG 9661 1020 3456 78", true},
		{"CH93 0076 2011 6238 5295 7", true},
		{"CY17 0020 0128 0000 0012 0052 7600", true},
		{"CZ65 0800 0000 1920 0014 5399", true},
		{"DE89 3704 0044 0532 0130 00", true},
		{"DK50 0040 0440 1162 43", true},
		{"EE38 2200 2210 2014 5685", true},
		{"ES91 2100 0418 4502 0005 1332", true},
		{"FI21 1234 5600 0007 85", true},
		{"FR14 2004 1010 0505 0001 3M02 606", true},
		{"GB29 NWBK 6016 1331 9268 19", true},
		{"gb29 nwbk 6016 1331 9268 19", true},
		{"NL91 ABNA 0417 1643 00", true},
		{"NO93 8601 1117 947", true},
		{"AL47 2121 1009 0000 0002 3569 8741", true},
		// Not SEPA, though valid IBANs.
		{"TR33 0006 1005 1978 6457 8413 26", false},
		{"SA03 8000 0000 6080 1016 7519", false},
		{"FO62 6460 0001 6316 34", false},
		// Broken.
		{"BE31435411161156", false}, // ISO check
		{"BE31 4354 1116 115", false},
		{"BE3143541116115A", false},
		{"BE3I435411161155", false},
		{"DE89-3704-0044-0532-0130-00", false},
		{"DE89\t370400440532013000", false},
		{"", false},
		{"BE", false},
		{"BE00", false},
		{strings.Repeat("1", 200), false},
	} {
		if got := assess.ValidIBAN(c.in); got != c.ok {
			t.Errorf("ValidIBAN(%q) = %v, want %v", c.in, got, c.ok)
		}
	}
	// Belgian national check: the ISO check digits are made right, only the
	// national ones vary.
	for n := 0; n < 100; n++ {
		bban := "5390075470" + string(rune('0'+n/10)) + string(rune('0'+n%10))
		want := n == 34 // 5390075470 mod 97 = 34
		if got := assess.ValidIBAN(ibanWith("BE", bban)); got != want {
			t.Errorf("BE national check %02d: ValidIBAN = %v, want %v", n, got, want)
		}
	}
	// A remainder of 0 is written 97.
	if !assess.ValidIBAN(ibanWith("BE", "000000009797")) || assess.ValidIBAN(ibanWith("BE", "000000009700")) {
		t.Error("a Belgian remainder of 0 must be written 97")
	}
}

// referenceEnterprise is a second, plainer reading of docs/rules.md, facts §11.
func referenceEnterprise(s string) bool {
	s = strings.NewReplacer(" ", "", ".", "", "-", "", "/", "").Replace(s)
	if len(s) >= 2 && strings.EqualFold(s[:2], "BE") {
		s = s[2:]
	}
	if len(s) == 9 {
		s = "0" + s
	}
	if len(s) != 10 || strings.Trim(s, "0123456789") != "" || s[0] > '1' {
		return false
	}
	body, _ := strconv.Atoi(s[:8])
	check, _ := strconv.Atoi(s[8:])
	return 97-body%97 == check
}

// referenceIBAN is a second, plainer reading of docs/rules.md, facts §11 with
// big numbers.
func referenceIBAN(s string) bool {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if len(s) < 4 || sepaLengths[s[:2]] != len(s) || strings.Trim(s[2:4], "0123456789") != "" {
		return false
	}
	var digits strings.Builder
	for _, c := range s[4:] + s[:4] {
		switch {
		case c >= '0' && c <= '9':
			digits.WriteRune(c)
		case c >= 'A' && c <= 'Z':
			digits.WriteString(strconv.Itoa(int(c-'A') + 10))
		default:
			return false
		}
	}
	n, _ := new(big.Int).SetString(digits.String(), 10)
	if new(big.Int).Mod(n, big.NewInt(97)).Int64() != 1 {
		return false
	}
	if s[:2] == "BE" {
		if strings.Trim(s[4:], "0123456789") != "" {
			return false
		}
		account, _ := strconv.Atoi(s[4:14])
		check, _ := strconv.Atoi(s[14:])
		want := account % 97
		if want == 0 {
			want = 97
		}
		return want == check
	}
	return true
}

func FuzzEnterpriseNumber(f *testing.F) {
	for _, s := range []string{"0403019261", "BE 0403.019.261", "403019261", "1001686633", "0403019262", "2403019261", "", "BE", "be0428-759/497", "0000000097"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := assess.NormalizeEnterpriseNumber(s)
		if ok != referenceEnterprise(s) {
			t.Fatalf("NormalizeEnterpriseNumber(%q) valid = %v, the reference says %v", s, ok, !ok)
		}
		if !ok {
			return
		}
		if len(n) != 10 || strings.Trim(n, "0123456789") != "" {
			t.Fatalf("NormalizeEnterpriseNumber(%q) = %q, not ten digits", s, n)
		}
		if again, ok := assess.NormalizeEnterpriseNumber(n); !ok || again != n {
			t.Fatalf("normalising %q again gives %q, %v", n, again, ok)
		}
		dotted := n[:4] + "." + n[4:7] + "." + n[7:]
		if again, ok := assess.NormalizeEnterpriseNumber("BE " + dotted); !ok || again != n {
			t.Fatalf("BE %s gives %q, %v", dotted, again, ok)
		}
	})
}

func FuzzIBAN(f *testing.F) {
	for _, s := range []string{"BE68539007547034", "BE68 5390 0754 7034", "DE89370400440532013000", "GB29NWBK60161331926819", "FR1420041010050500013M02606", "BE31435411161156", "TR330006100519786457841326", "", "be", "NO9386011117947"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ok := assess.ValidIBAN(s)
		if ok != referenceIBAN(s) {
			t.Fatalf("ValidIBAN(%q) = %v, the reference says %v", s, ok, !ok)
		}
		if !ok {
			return
		}
		compact := strings.ToUpper(strings.ReplaceAll(s, " ", ""))
		var spaced strings.Builder
		for i := 0; i < len(compact); i += 4 {
			spaced.WriteString(compact[i:min(i+4, len(compact))] + " ")
		}
		if !assess.ValidIBAN(strings.ToLower(spaced.String())) {
			t.Fatalf("ValidIBAN(%q) but not in groups of four, lower case", s)
		}
	})
}
