package main

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"kmopsite/endpoints"
	"kmopsite/words"
)

// The sign-in of the CMS (Decap's GitHub backend) is an OAuth handshake
// that a static site cannot do, as it needs the OAuth app's secret. The
// CMS opens a popup on base_url/auth_endpoint; the Worker answers:
//
//	GET /api/auth?provider=github&scope=repo   a random state in a cookie
//	    → 302 to GitHub's authorize page with client_id, scope, state
//	GET /api/callback?code=…&state=…            the state checked against
//	    the cookie, the code exchanged for a token (client id and secret)
//	    → a page whose script, /api/callback.js, hands the token to the
//	      CMS by postMessage
//	GET /api/callback.js                        that script
//
// The handover follows Decap's netlify-auth.js: the popup posts
// "authorizing:github" to its opener, the opener (which checks that the
// message comes from base_url) answers with the same words, and the popup
// then posts "authorization:github:success:{"token":…,"provider":"github"}"
// (or "authorization:github:error:{"message":…}"). The script posts only
// to the site's origin (never "*") and answers only a message from it, so
// a page elsewhere that opens the sign-in gets nothing.
const (
	authPath     = "/api/auth"
	callbackPath = "/api/callback"
	scriptPath   = "/api/callback.js"

	// stateCookie holds the state between the two routes, on the
	// callback's path only, for stateTTL.
	stateCookie = "__Secure-cms-oauth-state"
	stateTTL    = 10 * time.Minute

	// provider is the only backend signed in: Decap sends it as
	// ?provider= and expects it in the messages.
	provider = "github"
)

// signIn is the sign-in's settings and its two outside calls: the token
// exchange (a fetch on the Worker) and the random state.
type signIn struct {
	clientID     string // GITHUB_CLIENT_ID, a secret
	clientSecret string // GITHUB_CLIENT_SECRET, a secret
	providerURL  string // GITHUB_URL, https://github.com unless a test's stand-in
	siteOrigin   string // the origin of SITE_URL: the only page the token goes to
	post         func(ctx context.Context, url string, header http.Header, body []byte) (status int, resp []byte, err error)
	random       io.Reader
	logf         func(string, ...any)
	// words are the sign-in's texts by language (content/<lang>/
	// interface.yaml, signin_…, through the endpoints' file); langs the
	// languages that have them, the site's default first.
	words map[string]words.SignIn
	langs []string
}

// newSignIn reads the settings; getenv is the Worker's variables and
// secrets, f the built site's endpoints' file, which holds the texts (nil:
// none).
func newSignIn(getenv func(string) string, f *endpoints.File) signIn {
	s := signIn{
		clientID:     getenv("GITHUB_CLIENT_ID"),
		clientSecret: getenv("GITHUB_CLIENT_SECRET"),
		providerURL:  strings.TrimRight(getenv("GITHUB_URL"), "/"),
		words:        map[string]words.SignIn{},
	}
	if f != nil {
		for _, l := range f.Langs {
			if w := f.Words[l].SignIn; len(w) > 0 {
				s.words[l] = w
				s.langs = append(s.langs, l)
			}
		}
	}
	if s.providerURL == "" {
		s.providerURL = "https://github.com"
	}
	if u, err := url.Parse(getenv("SITE_URL")); err == nil && u.Scheme != "" && u.Host != "" {
		s.siteOrigin = u.Scheme + "://" + u.Host
	}
	return s
}

// isSignInPath tells the routes of the sign-in from the quote endpoint's.
func isSignInPath(p string) bool {
	return p == authPath || p == callbackPath || p == scriptPath
}

func (s signIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// HEAD for the script only: a HEAD of the callback would spend the
	// code on an answer nobody reads.
	if r.Method != http.MethodGet && !(r.Method == http.MethodHead && r.URL.Path == scriptPath) {
		w.Header().Set("Allow", "GET")
		s.page(w, r, http.StatusMethodNotAllowed, "", s.say(r, "only"))
		return
	}
	switch r.URL.Path {
	case scriptPath:
		serveScript(w)
	case authPath:
		s.auth(w, r)
	case callbackPath:
		s.callback(w, r)
	}
}

// missing names what the settings lack, "" when the sign-in can work.
func (s signIn) missing() string {
	var m []string
	if s.clientID == "" {
		m = append(m, "GITHUB_CLIENT_ID")
	}
	if s.clientSecret == "" {
		m = append(m, "GITHUB_CLIENT_SECRET")
	}
	if s.siteOrigin == "" {
		m = append(m, "SITE_URL")
	}
	return strings.Join(m, ", ")
}

// auth starts the handshake: a fresh state, kept in a cookie that only the
// callback receives, and a redirect to the provider's authorize page.
func (s signIn) auth(w http.ResponseWriter, r *http.Request) {
	if m := s.missing(); m != "" {
		s.logf("sign-in: not configured: %s missing (wrangler secret put GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET; SITE_URL in wrangler.jsonc vars)", m)
		s.page(w, r, http.StatusServiceUnavailable, "", s.say(r, "unconfigured", "variables", m))
		return
	}
	if p := r.URL.Query().Get("provider"); p != "" && p != provider {
		s.page(w, r, http.StatusBadRequest, "", s.say(r, "provider", "provider", p))
		return
	}
	// Decap asks for "repo" (or "public_repo" for a public repository);
	// nothing else is passed on.
	scope := r.URL.Query().Get("scope")
	if scope != "public_repo" {
		scope = "repo"
	}
	b := make([]byte, 32)
	if _, err := io.ReadFull(s.random, b); err != nil {
		s.logf("sign-in: no random state: %v", err)
		s.page(w, r, http.StatusServiceUnavailable, "", s.say(r, "server"))
		return
	}
	state := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{
		Name: stateCookie, Value: state, Path: callbackPath,
		MaxAge: int(stateTTL / time.Second), HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode,
	})
	q := url.Values{
		"client_id":    {s.clientID},
		"redirect_uri": {callbackURL(r)},
		"scope":        {scope},
		"state":        {state},
	}
	signInHeaders(w)
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	http.Redirect(w, r, s.providerURL+"/login/oauth/authorize?"+q.Encode(), http.StatusFound)
}

// callbackURL is the callback's address on the host the request came to:
// the OAuth app's "Authorization callback URL" must be it, or a prefix.
// On the Worker the request's URL is absolute; a Go server's (the tests')
// has only the path.
func callbackURL(r *http.Request) string {
	scheme, host := r.URL.Scheme, r.URL.Host
	if scheme == "" {
		scheme = "http"
		if r.TLS != nil {
			scheme = "https"
		}
	}
	if host == "" {
		host = r.Host
	}
	return scheme + "://" + host + callbackPath
}

// callback checks the state, exchanges the code for a token and answers
// with the page that hands it over. A missing or wrong state is refused
// before any exchange: the request did not come from a sign-in this
// browser started.
func (s signIn) callback(w http.ResponseWriter, r *http.Request) {
	// The state is good for one callback: forget it whatever happens.
	http.SetCookie(w, &http.Cookie{
		Name: stateCookie, Value: "", Path: callbackPath,
		MaxAge: -1, HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode,
	})
	q := r.URL.Query()
	c, err := r.Cookie(stateCookie)
	switch {
	case err != nil || c.Value == "":
		s.logf("sign-in: a callback without the state cookie (expired after %s, cookies blocked, or not started here)", stateTTL)
		s.fail(w, r, http.StatusBadRequest, s.say(r, "nocookie", "minutes", strconv.Itoa(int(stateTTL.Minutes()))))
		return
	case q.Get("state") == "" || subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(c.Value)) != 1:
		s.logf("sign-in: a callback whose state is not the one this browser was given; refused")
		s.fail(w, r, http.StatusBadRequest, s.say(r, "mismatch"))
		return
	}
	if e := q.Get("error"); e != "" {
		s.logf("sign-in: the provider answered %s: %s", e, q.Get("error_description"))
		msg := s.say(r, "denied")
		if e == "access_denied" {
			msg = s.say(r, "declined")
		}
		s.fail(w, r, http.StatusForbidden, msg)
		return
	}
	code := q.Get("code")
	if code == "" {
		s.fail(w, r, http.StatusBadRequest, s.say(r, "nocode"))
		return
	}
	token, err := s.exchange(r.Context(), code, callbackURL(r))
	if err != nil {
		s.logf("sign-in: %v", err)
		s.fail(w, r, http.StatusBadGateway, s.say(r, "exchange"))
		return
	}
	m, _ := json.Marshal(struct {
		Token    string `json:"token"`
		Provider string `json:"provider"`
	}{token, provider})
	s.page(w, r, http.StatusOK, "authorization:"+provider+":success:"+string(m), s.say(r, "ok"))
}

// fail answers with a page that also tells the CMS, so that it shows the
// error where the editor is.
func (s signIn) fail(w http.ResponseWriter, r *http.Request, status int, text string) {
	m, _ := json.Marshal(struct {
		Message string `json:"message"`
	}{text})
	s.page(w, r, status, "authorization:"+provider+":error:"+string(m), text)
}

// exchange trades the code for a token at the provider's token endpoint.
// Its errors never hold the token or the secret.
func (s signIn) exchange(ctx context.Context, code, redirect string) (string, error) {
	body := url.Values{
		"client_id":     {s.clientID},
		"client_secret": {s.clientSecret},
		"code":          {code},
		"redirect_uri":  {redirect},
	}.Encode()
	h := http.Header{}
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	h.Set("Accept", "application/json")
	h.Set("User-Agent", "kmopsite-worker")
	status, resp, err := s.post(ctx, s.providerURL+"/login/oauth/access_token", h, []byte(body))
	if err != nil {
		return "", fmt.Errorf("the token endpoint: %w", err)
	}
	// GitHub answers 200 with {"error": …} for a bad code or secret.
	var t struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if status != http.StatusOK {
		json.Unmarshal(resp, &t)
		return "", fmt.Errorf("the token endpoint answered %d %s", status, t.Error)
	}
	if err := json.Unmarshal(resp, &t); err != nil {
		return "", fmt.Errorf("the token endpoint's answer is not JSON: %v", err)
	}
	if t.Error != "" || t.AccessToken == "" {
		return "", fmt.Errorf("the token endpoint refused the code: %s (%s)", t.Error, t.Description)
	}
	return t.AccessToken, nil
}

// page writes the popup's page. message, when set, is what callback.js
// posts to the site's origin once the CMS has answered; text is what the
// editor reads. The page runs no script of its own: its policy allows the
// one file of scriptPath and nothing else.
func (s signIn) page(w http.ResponseWriter, r *http.Request, status int, message, text string) {
	h := w.Header()
	signInHeaders(w)
	h.Set("Content-Security-Policy", "default-src 'none'; script-src "+scriptURL(r)+"; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Referrer-Policy", "no-referrer") // the code is in this page's address
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	var b strings.Builder
	lang, title := s.language(r), html.EscapeString(s.say(r, "title"))
	b.WriteString("<!doctype html>\n<html lang=\"" + lang + "\">\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width\">\n<title>" + title + "</title>\n")
	b.WriteString("<main id=\"sign-in\" data-origin=\"" + html.EscapeString(s.siteOrigin) + "\" data-provider=\"" + provider + "\"")
	if message != "" {
		b.WriteString(" data-message=\"" + html.EscapeString(message) + "\"")
	}
	b.WriteString(">\n<h1>" + title + "</h1>\n<p>" + html.EscapeString(text) + "</p>\n</main>\n")
	if message != "" {
		b.WriteString("<script src=\"" + scriptPath + "\"></script>\n")
	}
	io.WriteString(w, b.String())
}

// language is the editor's: the first of the browser's languages that the
// sign-in's pages speak, else the site's default language.
func (s signIn) language(r *http.Request) string {
	for _, tag := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ = strings.Cut(strings.TrimSpace(tag), ";")
		tag, _, _ = strings.Cut(strings.ToLower(tag), "-")
		if _, ok := s.words[tag]; ok {
			return tag
		}
	}
	if len(s.langs) > 0 {
		return s.langs[0]
	}
	return ""
}

// say is the text of key in the editor's language, with vars (name, value
// pairs) filled in.
func (s signIn) say(r *http.Request, key string, vars ...string) string {
	return s.words[s.language(r)].Say(key, vars...)
}

// scriptURL is callback.js's address on the request's host, for the
// page's Content-Security-Policy: that file only, not the whole origin.
func scriptURL(r *http.Request) string {
	u := callbackURL(r)
	return strings.TrimSuffix(u, callbackPath) + scriptPath
}

// signInHeaders are the site's security headers but for the
// Cross-Origin-Opener-Policy: the CMS's window must stay the popup's
// opener while the popup travels to GitHub and back, so neither the
// popup's pages nor the redirect may ask for a browsing context group of
// their own ("same-origin" would cut the popup off from the CMS).
func signInHeaders(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range siteHeaders() {
		h.Set(k, v)
	}
	h.Set("Cross-Origin-Opener-Policy", "unsafe-none")
}

func serveScript(w http.ResponseWriter) {
	h := w.Header()
	signInHeaders(w)
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	io.WriteString(w, callbackScript)
}

// callbackScript hands the message of its page to the window that opened
// it, if and only if that window is the site's: it says "authorizing" to
// the site's origin (a browser drops a message whose target origin is not
// the receiver's), and answers only a reply from that origin and that
// window. The CMS (Decap's netlify-auth.js) closes the popup once it has
// the message.
const callbackScript = `// The sign-in popup of the CMS: hands the result to the site's CMS only.
(function () {
  'use strict';
  var el = document.getElementById('sign-in');
  var origin = el && el.getAttribute('data-origin');
  var provider = el && el.getAttribute('data-provider');
  var message = el && el.getAttribute('data-message');
  var opener = window.opener;
  if (!origin || !provider || !message || !opener) {
    return;
  }
  window.addEventListener('message', function (e) {
    if (e.origin !== origin || e.source !== opener || e.data !== 'authorizing:' + provider) {
      return;
    }
    opener.postMessage(message, origin);
  });
  opener.postMessage('authorizing:' + provider, origin);
})();
`
