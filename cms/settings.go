package cms

import (
	"net/url"
	"strings"

	"kmopsite/diag"
	"kmopsite/settings"
)

// CheckSettings checks site.yaml's cms: section, where the editor on the
// live site saves and signs in.
func CheckSettings(s *settings.Site) diag.Diagnostics {
	m := s.CMS
	if m == nil {
		return nil
	}
	var diags diag.Diagnostics
	if owner, name, ok := strings.Cut(m.Repository, "/"); !ok || owner == "" || name == "" || strings.ContainsAny(name, "/ ") || strings.ContainsAny(owner, " ") {
		diags = append(diags, s.At("cms.repository", "write the GitHub repository as owner/name, such as kiwa/kmopsite",
			"cms.repository %q is not owner/name", m.Repository))
	}
	if strings.ContainsAny(m.Branch, " ~^:?*[\\") {
		diags = append(diags, s.At("cms.branch", "write the name of the branch the site is built from, such as main",
			"cms.branch %q is not a branch name", m.Branch))
	}
	if !authOrigin(m.AuthURL) {
		diags = append(diags, s.At("cms.auth_url", "write the address of the site that runs the Worker, such as https://www.example.be (https, no path)",
			"cms.auth_url %q is not an https address without a path", m.AuthURL))
	}
	return diags
}

// authOrigin tells whether the sign-in's address is an origin: https (or
// http on this machine), a host, no path.
func authOrigin(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Host != "" && strings.Trim(u.Path, "/") == "" &&
		(u.Scheme == "https" || u.Scheme == "http" && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1"))
}
