package assess

// NormalizeEnterpriseNumber returns a Belgian enterprise number
// (ondernemingsnummer) as its ten digits, and whether it is valid
// (docs/rules.md, facts §11): spaces, dots, dashes and slashes are removed, then a
// leading "BE"; an old nine-digit number gets a leading 0; the first digit
// must be 0 or 1 and the last two are 97 minus the first eight modulo 97.
// When the number is not valid the string is the input so cleaned, for
// messages.
func NormalizeEnterpriseNumber(s string) (string, bool) {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '.', '-', '/':
		default:
			b = append(b, c)
		}
	}
	if len(b) >= 2 && upper(b[0]) == 'B' && upper(b[1]) == 'E' {
		b = b[2:]
	}
	if len(b) == 9 && allDigits(b) {
		b = append([]byte{'0'}, b...)
	}
	n := string(b)
	if len(b) != 10 || !allDigits(b) || (b[0] != '0' && b[0] != '1') {
		return n, false
	}
	return n, 97-digits(n[:8])%97 == digits(n[8:])
}

// sepa lists the countries of the SEPA schemes that have an IBAN country
// code of their own, with the length of their IBANs: the 27 EU member
// states; Iceland, Liechtenstein and Norway; Switzerland, the United
// Kingdom, Gibraltar, Monaco, San Marino, Andorra, Vatican City, Albania,
// Montenegro, Moldova, North Macedonia and Serbia. Territories such as the
// French overseas departments, Åland, Jersey, Guernsey and the Isle of Man
// use their mother country's IBANs. Source: the EPC list of countries of the
// SEPA schemes and the SWIFT IBAN registry for the lengths.
var sepa = [...]struct {
	country string
	length  uint8
}{
	{"AD", 24}, {"AL", 28}, {"AT", 20}, {"BE", 16}, {"BG", 22}, {"CH", 21},
	{"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DK", 18}, {"EE", 20}, {"ES", 24},
	{"FI", 18}, {"FR", 27}, {"GB", 22}, {"GI", 23}, {"GR", 27}, {"HR", 21},
	{"HU", 28}, {"IE", 22}, {"IS", 26}, {"IT", 27}, {"LI", 21}, {"LT", 20},
	{"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19},
	{"MT", 31}, {"NL", 18}, {"NO", 15}, {"PL", 28}, {"PT", 25}, {"RO", 24},
	{"RS", 22}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"VA", 22},
}

// SEPACountries returns the IBAN country codes that ValidIBAN accepts, in
// alphabetical order.
func SEPACountries() []string {
	cs := make([]string, len(sepa))
	for i, c := range sepa {
		cs[i] = c.country
	}
	return cs
}

// ValidIBAN reports whether s is the IBAN of an account in a SEPA country
// (docs/rules.md, facts §11): spaces are ignored and letters may be lower case; the
// country must be in SEPA, the length that country's, the rest letters and
// digits, and the ISO 13616 check (ISO 7064 mod 97-10) must give 1. A
// Belgian IBAN must also pass the national check: its last two digits are
// the ten before them modulo 97, or 97 when that is 0.
func ValidIBAN(s string) bool {
	b := make([]byte, 0, 34)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' {
			continue
		}
		if len(b) == 34 {
			return false
		}
		b = append(b, upper(c))
	}
	if len(b) < 5 {
		return false
	}
	country := string(b[:2])
	length := 0
	for _, c := range sepa {
		if c.country == country {
			length = int(c.length)
			break
		}
	}
	if length == 0 || len(b) != length || !allDigits(b[2:4]) {
		return false
	}
	// Move the country and check digits to the end, read letters as
	// 10 to 35, and keep the remainder modulo 97 as the digits go by.
	rem := 0
	for i := range b {
		c := b[(i+4)%len(b)]
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A') + 10) % 97
		default:
			return false
		}
	}
	if rem != 1 {
		return false
	}
	if country == "BE" {
		bban := b[4:]
		if !allDigits(bban) {
			return false
		}
		check := digits(string(bban[:10])) % 97
		if check == 0 {
			check = 97
		}
		return check == digits(string(bban[10:]))
	}
	return true
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
