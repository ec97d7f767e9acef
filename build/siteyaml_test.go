package build

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// The settings site.yaml shows commented out (host:, mail:) are valid
// once uncommented: each block, its "# " taken off, makes a site.yaml that
// loads without error.
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
		site := string(data) + "\n" + strings.Join(block, "\n") + "\n"
		if _, diags := LoadConfig(fstest.MapFS{"site.yaml": {Data: []byte(site)}}); diags.Errors() > 0 {
			t.Errorf("the example %q of site.yaml, uncommented, is not valid:\n%s", block[0], diags.Format(5))
		}
	}
	if blocks == 0 {
		t.Error("no commented example found in site.yaml")
	}
}
