package assess

// Date arithmetic on days written YYYY-MM-DD, by hand: package time would
// cost the browser's module more than all the rules together. Every
// function here takes a day that ValidDate accepts.

// leap reports whether year y of the Gregorian calendar has 29 February.
func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// daysIn returns the number of days of month m (1-12) of year y.
func daysIn(y, m int) int {
	if m == 2 && leap(y) {
		return 29
	}
	return [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
}

// splitDate returns the year, month and day of a valid day.
func splitDate(s string) (y, m, d int) {
	return digits(s[0:4]), digits(s[5:7]), digits(s[8:10])
}

// FormatDate writes year, month and day as YYYY-MM-DD; the year has four
// digits (dates here lie between 2014 and 9999). The browser's entry uses it
// for today's date.
func FormatDate(y, m, d int) string {
	b := []byte("0000-00-00")
	for i := 3; i >= 0; i-- {
		b[i] = byte('0' + y%10)
		y /= 10
	}
	b[5], b[6] = byte('0'+m/10), byte('0'+m%10)
	b[8], b[9] = byte('0'+d/10), byte('0'+d%10)
	return string(b)
}

// addMonths returns day s moved by n months (n may be negative), keeping
// the day of the month; where the month reached is shorter, its last day
// (docs/rules.md: 29 February plus a year is 28 February; 31 May minus six
// months is 30 November). It returns "" when the year leaves 1-9999.
func addMonths(s string, n int) string {
	y, m, d := splitDate(s)
	months := y*12 + (m - 1) + n
	y, m = months/12, months%12+1
	if months < 12 || y > 9999 {
		return ""
	}
	if last := daysIn(y, m); d > last {
		d = last
	}
	return FormatDate(y, m, d)
}

// AddYears returns day s plus n years, 29 February becoming 28 February in
// a year without it; "" when s is not a valid day or the year leaves
// 1-9999.
func AddYears(s string, n int) string {
	if !ValidDate(s) {
		return ""
	}
	return addMonths(s, 12*n)
}

// AddMonths returns day s plus n months (n may be negative), the day of
// the month kept or, where the month reached is shorter, its last day; ""
// when s is not a valid day or the year leaves 1-9999.
func AddMonths(s string, n int) string {
	if !ValidDate(s) {
		return ""
	}
	return addMonths(s, n)
}
