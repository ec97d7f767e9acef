package cms

import (
	"testing"

	"kmopsite/settings"
)

// TestCheckSettings: the mistakes an editor can make in site.yaml's cms:
// section, each at its line: a repository that is not owner/name, a
// misspelt key, an auth_url with a path.
func TestCheckSettings(t *testing.T) {
	s, diags := settings.Parse([]byte(`base_url: https://www.example.be/
languages:
  - code: nl
    locale: nl-BE
cms:
  repository: kmopsite
  brnach: main
  auth_url: https://www.example.be/api
`))
	diags = append(diags, CheckSettings(s)...)
	diags.Sort()
	want := `site.yaml:6:3: error: cms.repository "kmopsite" is not owner/name
 6 |   repository: kmopsite
   |   ^
hint: write the GitHub repository as owner/name, such as kiwa/kmopsite
site.yaml:7:3: error: unknown key "brnach" in cms
 7 |   brnach: main
   |   ^
hint: did you mean "branch"?
site.yaml:8:3: error: cms.auth_url "https://www.example.be/api" is not an https address without a path
 8 |   auth_url: https://www.example.be/api
   |   ^
hint: write the address of the site that runs the Worker, such as https://www.example.be (https, no path)
`
	if got := diags.Format(0); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	for _, ok := range []string{"https://www.example.be", "https://www.example.be/", "http://localhost:8787"} {
		s, _ := settings.Parse([]byte("cms:\n  repository: a/b\n  auth_url: " + ok + "\n"))
		if d := CheckSettings(s); len(d) > 0 || s.CMS.Branch != "main" {
			t.Errorf("%s: %s (branch %q)", ok, d.Format(0), s.CMS.Branch)
		}
	}
}
