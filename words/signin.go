package words

// SignIn holds the texts of the live editor's sign-in in one language:
// the pages the Worker answers at /api/auth and /api/callback, which the
// editor reads in the sign-in window and, for an error, in the CMS. They
// are the interface words (content/<lang>/interface.yaml) whose key
// starts with SignInPrefix, by the rest of the key.
type SignIn map[string]string

// SignInPrefix starts the interface words of the sign-in: signin_title.
const SignInPrefix = "signin_"

// SignInKeys are the sign-in's texts, by key without SignInPrefix, with
// the placeholder each may hold ("" for none). A site with the live
// editor (site.yaml's cms: section) must have every one in every
// language.
var SignInKeys = map[string]string{
	"title":        "",          // the window's title
	"ok":           "",          // signed in
	"only":         "",          // the address opened other than from the CMS
	"unconfigured": "variables", // the Worker lacks its settings: their names
	"provider":     "provider",  // a provider other than GitHub: its name
	"server":       "",          // the Worker failed
	"nocookie":     "minutes",   // the state's cookie is missing: it lives this many minutes
	"mismatch":     "",          // the state does not match the cookie's
	"declined":     "",          // the editor declined on GitHub
	"denied":       "",          // GitHub refused
	"nocode":       "",          // GitHub sent no code
	"exchange":     "",          // GitHub did not exchange the code for a token
}

// Say is the text of key with its placeholders filled in; vars holds
// name, value pairs.
func (s SignIn) Say(key string, vars ...string) string { return Expand(s[key], vars...) }
