package server

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"kmopsite/settings"
)

// TestCheckSettings: the mistakes in the sections serve and host use,
// each at its own line (the second proxy and name at theirs).
func TestCheckSettings(t *testing.T) {
	s, diags := settings.Parse([]byte(`quote:
  to: niet-een-adres
  rate_limit: -1
  retention_days: -5
host:
  names: [kiwa.be, "www.kiwa.be/x"]
  trusted_proxies:
    - 10.0.0.0/8
    - 10.0.0.1
mail:
  smtp:
    port: 587
    tls: ssl
`))
	if len(diags) > 0 {
		t.Fatal(diags.Format(0))
	}
	got := CheckSettings(s)
	got.Sort()
	want := []string{
		`site.yaml:2:3: error: "niet-een-adres" is not a valid e-mail address`,
		`site.yaml:3:3: error: rate_limit must not be negative`,
		`site.yaml:4:3: error: retention_days must not be negative`,
		`site.yaml:6:20: error: host name "www.kiwa.be/x" is not a host name`,
		`site.yaml:9:7: error: trusted proxy "10.0.0.1" is not an address range`,
		`site.yaml:11:3: error: mail.smtp has no host`,
		`site.yaml:13:5: error: mail.smtp.tls "ssl" is not known`,
	}
	if len(got) != len(want) {
		t.Fatalf("got\n%s", got.Format(0))
	}
	for i, d := range got {
		if first, _, _ := strings.Cut(d.String(), "\n"); first != want[i] {
			t.Errorf("got  %s\nwant %s", first, want[i])
		}
	}
}

// TestSiteYAMLExamples: the settings site.yaml shows commented out
// (host:, mail:) are valid once uncommented: each block, its "# " taken
// off, makes a site.yaml without error.
func TestSiteYAMLExamples(t *testing.T) {
	data, err := os.ReadFile("../site.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	start := regexp.MustCompile(`^# [a-z_]+:\s*$`)
	blocks := 0
	for i, l := range lines {
		if !start.MatchString(l) {
			continue
		}
		block := []string{strings.TrimPrefix(l, "# ")}
		for _, m := range lines[i+1:] {
			if !strings.HasPrefix(m, "#   ") {
				break
			}
			block = append(block, strings.TrimPrefix(m, "# "))
		}
		blocks++
		s, diags := settings.Parse([]byte(string(data) + "\n" + strings.Join(block, "\n") + "\n"))
		if diags = append(diags, CheckSettings(s)...); diags.Errors() > 0 {
			t.Errorf("the example %q of site.yaml, uncommented, is not valid:\n%s", block[0], diags.Format(5))
		}
	}
	if blocks == 0 {
		t.Error("no commented example found in site.yaml")
	}
}
