package quote

import "strings"

// NormalizePhone turns a phone number as people write it into E.164
// ("+3232590660"). Numbers without a country code are read as Belgian:
// "03 259 06 60", "0470 12 34 56", "+32 (0)3 259 06 60", "0032 3 259 06 60"
// and "+32 0470 12 34 56" all work. Spaces, dots, dashes, slashes and
// parentheses are ignored; letters and other signs make the number invalid.
//
// Belgian numbers are checked for length: 8 digits after the trunk 0 for
// fixed lines and service numbers, 9 digits starting with 4 for mobiles.
// Other countries only get E.164's bounds (a country code that does not start
// with 0, at most 15 digits), since their numbering plans are not ours to
// know.
func NormalizePhone(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > MaxLength("phone")*4 {
		return "", false
	}
	// The Belgian habit of writing the trunk prefix in parentheses after
	// the country code: +32 (0)3 ...
	s = strings.Replace(s, "(0)", "", 1)
	var b strings.Builder
	plus := false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			plus = true
		case r == ' ' || r == '.' || r == '-' || r == '/' || r == '(' || r == ')' || r == '\u00a0':
		default:
			return "", false
		}
	}
	d := b.String()
	switch {
	case plus:
	case strings.HasPrefix(d, "00"):
		d = d[2:]
	case strings.HasPrefix(d, "0"):
		d = "32" + d[1:]
	default:
		return "", false
	}
	if d == "" || d[0] == '0' {
		return "", false
	}
	if strings.HasPrefix(d, "32") {
		nsn := strings.TrimPrefix(d[2:], "0") // "+32 0470 ..." written with the trunk 0
		if !belgian(nsn) {
			return "", false
		}
		return "+32" + nsn, true
	}
	if len(d) < 7 || len(d) > 15 {
		return "", false
	}
	return "+" + d, true
}

// belgian reports whether nsn is a plausible Belgian national significant
// number: 9 digits starting with 45–49 for mobiles; 8 digits for fixed
// lines (area codes 2, 3, 4, 9 or two digits) and 0800/0900 numbers, but
// not in the mobile ranges, where an 8-digit number is a mobile number
// missing a digit.
func belgian(nsn string) bool {
	mobile := len(nsn) >= 2 && nsn[0] == '4' && nsn[1] >= '5'
	switch len(nsn) {
	case 8:
		return nsn[0] != '0' && !mobile
	case 9:
		return mobile
	}
	return false
}
