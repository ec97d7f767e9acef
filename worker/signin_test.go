//go:build !(js && wasm)

package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kmopsite/checks"
	"kmopsite/endpoints"
	"kmopsite/words"
)

// The OAuth app the test's stand-in provider knows.
const (
	testClientID     = "Iv1.test-client"
	testClientSecret = "test-secret-5b1f"
	testToken        = "gho_TestToken0123456789abcdefABCDEF"
)

// stubGitHub plays GitHub's OAuth endpoints on loopback: the authorize
// page sends the browser straight back to redirect_uri with a code (as
// GitHub does once the user has agreed) or, when deny is set, with
// error=access_denied; the token endpoint trades the one code it gave
// for testToken, given the right client id and secret.
type stubGitHub struct {
	mu        sync.Mutex
	deny      bool
	code      string
	exchanges int      // token requests with the right code, id and secret
	problems  []string // wrong calls
}

func (s *stubGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/login/oauth/authorize":
		q := r.URL.Query()
		if q.Get("client_id") != testClientID || q.Get("state") == "" || q.Get("scope") == "" ||
			!strings.HasSuffix(q.Get("redirect_uri"), callbackPath) {
			s.problems = append(s.problems, "authorize: "+r.URL.RawQuery)
			http.Error(w, "bad authorize request", http.StatusBadRequest)
			return
		}
		back := url.Values{"state": {q.Get("state")}}
		if s.deny {
			back.Set("error", "access_denied")
			back.Set("error_description", "The user has denied your application access.")
		} else {
			s.code = fmt.Sprintf("code-%d", time.Now().UnixNano())
			back.Set("code", s.code)
		}
		http.Redirect(w, r, q.Get("redirect_uri")+"?"+back.Encode(), http.StatusFound)
	case r.Method == http.MethodPost && r.URL.Path == "/login/oauth/access_token":
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Header.Get("Accept") != "application/json" ||
			r.PostForm.Get("client_id") != testClientID || r.PostForm.Get("client_secret") != testClientSecret:
			s.problems = append(s.problems, "token: wrong client or Accept")
			io.WriteString(w, `{"error":"incorrect_client_credentials"}`)
		case s.code == "" || r.PostForm.Get("code") != s.code:
			// GitHub answers a bad code with 200 and an error.
			io.WriteString(w, `{"error":"bad_verification_code","error_description":"The code passed is incorrect or expired."}`)
		default:
			s.exchanges++
			s.code = "" // a code is good once
			io.WriteString(w, `{"access_token":"`+testToken+`","token_type":"bearer","scope":"repo"}`)
		}
	default:
		s.problems = append(s.problems, r.Method+" "+r.URL.Path)
		http.NotFound(w, r)
	}
}

func (s *stubGitHub) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exchanges
}

// openerPage is a page on which a test signs in as Decap CMS does
// (netlify-auth.js): it opens base/api/auth in a popup, answers the
// popup's "authorizing:github" only when it comes from base, and keeps
// every message it receives in window.got. With spoof set it also keeps
// posting "authorizing:github" to the popup itself, to whatever origin,
// as a foreign page trying to get the token would.
const openerPage = `<!doctype html><title>CMS</title>
<script>
window.got = [];
window.addEventListener('message', function (e) { window.got.push({origin: e.origin, data: String(e.data)}); });
function signIn(base, spoof) {
  var win = window.open(base + '/api/auth?provider=github&site_id=site.example&scope=repo', 'Netlify Authorization', 'width=600,height=500');
  window.addEventListener('message', function hs(e) {
    if (e.data === 'authorizing:github' && e.origin === base) {
      window.removeEventListener('message', hs);
      win.postMessage(e.data, e.origin);
    }
  });
  if (spoof) {
    setInterval(function () { try { win.postMessage('authorizing:github', '*'); } catch (err) {} }, 100);
  }
  return true;
}
</script>
<h1>CMS</h1>`

// signInSetup is what a sign-in test runs against: a stand-in for GitHub,
// the site where the CMS runs and a foreign site, each on loopback.
type signInSetup struct {
	gh                      *stubGitHub
	provider, site, foreign *httptest.Server
}

func newSignInSetup(t *testing.T) *signInSetup {
	gh := &stubGitHub{}
	provider := httptest.NewServer(gh)
	t.Cleanup(provider.Close)
	// The site (where the CMS runs) and a foreign site: two origins.
	pages := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The CMS's page must let its popup keep it as opener: with the
		// site's default "same-origin", the popup loses its opener on its
		// way through GitHub and the CMS never hears from it.
		w.Header().Set("Cross-Origin-Opener-Policy", "same-origin-allow-popups")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, openerPage)
	})
	site := httptest.NewServer(pages)
	t.Cleanup(site.Close)
	foreign := httptest.NewServer(pages)
	t.Cleanup(foreign.Close)
	return &signInSetup{gh: gh, provider: provider, site: site, foreign: foreign}
}

// vars are the Worker's settings for the setup.
func (e *signInSetup) vars() map[string]string {
	return map[string]string{
		"GITHUB_CLIENT_ID":     testClientID,
		"GITHUB_CLIENT_SECRET": testClientSecret,
		"GITHUB_URL":           e.provider.URL,
		"SITE_URL":             e.site.URL + "/",
	}
}

// TestSignIn runs the sign-in's handler in this process (the Worker's code
// but for the fetch: net/http here), as the quick tests do, and in
// Chromium unless -short.
// signInFile is an endpoints' file with the sign-in's texts of a site in
// Dutch (its default), French and English; the real texts are content
// (interface.yaml), checked by the build.
func signInFile() *endpoints.File {
	f := &endpoints.File{Langs: []string{"nl", "fr", "en"}, Words: map[string]endpoints.Words{}}
	for _, l := range f.Langs {
		w := words.SignIn{}
		for k, v := range words.SignInKeys {
			w[k] = l + " " + k
			if v != "" {
				w[k] += " {" + v + "}"
			}
		}
		f.Words[l] = endpoints.Words{SignIn: w}
	}
	f.Words["nl"].SignIn["title"] = "Aanmelden bij het CMS"
	f.Words["nl"].SignIn["nocookie"] = "Het aanmelden kon niet worden gecontroleerd: het duurde langer dan {minutes} minuten."
	return f
}

func TestSignIn(t *testing.T) {
	e := newSignInSetup(t)
	vars := e.vars()
	var logs syncBuffer
	s := newSignIn(func(k string) string { return vars[k] }, signInFile())
	s.post, s.random = httpPost, rand.Reader
	s.logf = func(f string, a ...any) { fmt.Fprintf(&logs, f+"\n", a...) }
	w := httptest.NewServer(s)
	defer w.Close()
	testSignIn(t, e, w.URL, logs.String, signInFile().Words["nl"].SignIn)

	t.Run("languages", func(t *testing.T) {
		for accept, want := range map[string]string{
			"": "nl", "nl-BE,nl;q=0.9,en;q=0.8": "nl", "de-DE, fr-BE;q=0.8": "fr", "de": "nl", "EN-gb": "en",
		} {
			r := httptest.NewRequest(http.MethodGet, callbackPath, nil)
			r.Header.Set("Accept-Language", accept)
			if got := s.language(r); got != want {
				t.Errorf("Accept-Language %q: %s, want %s", accept, got, want)
			}
		}
		r := httptest.NewRequest(http.MethodGet, callbackPath+"?code=x&state=y", nil)
		r.Header.Set("Accept-Language", "nl-BE")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		if page := rec.Body.String(); !strings.Contains(page, `<html lang="nl">`) || !strings.Contains(page, "<title>Aanmelden bij het CMS</title>") ||
			!strings.Contains(page, "Het aanmelden kon niet worden gecontroleerd: het duurde langer dan 10 minuten.") || !strings.Contains(page, html.EscapeString(`:error:{"message":"Het aanmelden`)) {
			t.Errorf("a Dutch editor's page:\n%s", page)
		}
	})

	t.Run("not configured", func(t *testing.T) {
		s := newSignIn(func(k string) string {
			if k == "SITE_URL" {
				return vars[k]
			}
			return ""
		}, signInFile())
		s.logf = t.Logf
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, authPath+"?provider=github&scope=repo", nil))
		page := rec.Body.String()
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Set-Cookie") != "" ||
			!strings.Contains(page, "GITHUB_CLIENT_ID") || !strings.Contains(page, "GITHUB_CLIENT_SECRET") {
			t.Errorf("without the secrets: %d, Set-Cookie %q:\n%s\nwant 503 naming both secrets", rec.Code, rec.Header().Get("Set-Cookie"), page)
		}
	})
}

// httpPost is the post of the tests: the Worker's is a fetch.
func httpPost(ctx context.Context, url string, header http.Header, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header = header
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// TestSignInUnderWrangler runs the same checks against the Worker under
// `wrangler dev --local`.
func TestSignInUnderWrangler(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the Worker and runs wrangler")
	}
	wrangler := wranglerPath(t)
	e := newSignInSetup(t)
	var vars []string
	for k, v := range e.vars() {
		vars = append(vars, k+":"+v)
	}
	base, logs, _ := startWrangler(t, wrangler, e.provider.URL, vars...)
	f, err := site()
	if err != nil {
		t.Fatal(err)
	}
	testSignIn(t, e, base, logs.String, f.Words[f.DefaultLang].SignIn)
}

// testSignIn signs in to the Worker at base, with a stand-in for GitHub:
// the redirect to the provider with client_id, scope and state in a
// cookie, the callback that exchanges the code and serves the page handing
// the token over, and the refusals (a wrong or missing state, the
// provider's error, a bad code) that exchange nothing. In Chromium, a CMS
// page on the site's origin gets the token from the popup; one on another
// origin gets nothing. logs is the Worker's log so far.
func testSignIn(t *testing.T, e *signInSetup, base string, logs func() string, texts words.SignIn) {
	gh, provider, site, foreign := e.gh, e.provider, e.site, e.foreign
	noFollow := &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	get := func(u string, cookie *http.Cookie) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, u, nil)
		if err != nil {
			t.Fatal(err)
		}
		if cookie != nil {
			req.AddCookie(cookie)
		}
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	// start asks the Worker to sign in and returns the state cookie and
	// the provider's authorize address it redirects to.
	start := func() (*http.Cookie, *url.URL) {
		t.Helper()
		resp, _ := get(base+authPath+"?provider=github&site_id=site.example&scope=repo", nil)
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("GET %s: %d, want 302", authPath, resp.StatusCode)
		}
		loc, err := url.Parse(resp.Header.Get("Location"))
		if err != nil || loc.Scheme+"://"+loc.Host != provider.URL || loc.Path != "/login/oauth/authorize" {
			t.Fatalf("the sign-in redirects to %q, want %s/login/oauth/authorize", resp.Header.Get("Location"), provider.URL)
		}
		q := loc.Query()
		if q.Get("client_id") != testClientID || q.Get("scope") != "repo" || len(q.Get("state")) < 40 ||
			q.Get("redirect_uri") != base+callbackPath {
			t.Errorf("authorize query %v, want client_id %s, scope repo, a state of 32 random bytes, redirect_uri %s", q, testClientID, base+callbackPath)
		}
		var c *http.Cookie
		for _, k := range resp.Cookies() {
			if k.Name == stateCookie {
				c = k
			}
		}
		if c == nil || c.Value != q.Get("state") || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode ||
			c.Path != callbackPath || c.MaxAge != 600 {
			t.Fatalf("state cookie %+v (Set-Cookie %q), want the state, HttpOnly, Secure, SameSite=Lax, Path=%s, Max-Age=600",
				c, resp.Header.Values("Set-Cookie"), callbackPath)
		}
		if got := resp.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("the redirect's Cache-Control is %q, want no-store", got)
		}
		return &http.Cookie{Name: c.Name, Value: c.Value}, loc
	}
	// authorize plays the browser at the provider: the address it is sent
	// back to.
	authorize := func(loc *url.URL) *url.URL {
		t.Helper()
		resp, _ := get(loc.String(), nil)
		back, err := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusFound || err != nil {
			t.Fatalf("the stand-in provider: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		return back
	}
	// message is the message a callback page would post, "" when none.
	message := func(page string) string {
		const attr = `data-message="`
		i := strings.Index(page, attr)
		if i < 0 {
			return ""
		}
		rest := page[i+len(attr):]
		return html.UnescapeString(rest[:strings.IndexByte(rest, '"')])
	}
	// refused checks a callback that must not exchange the code.
	// refused checks a refusal's page: its status, and its text, the
	// sign-in's text of key in the site's default language.
	refused := func(what string, resp *http.Response, page string, status int, key string) {
		text := key
		t.Helper()
		text = html.EscapeString(texts.Say(text, "minutes", strconv.Itoa(int(stateTTL.Minutes()))))
		if text == "" || resp.StatusCode != status || !strings.Contains(page, text) {
			t.Errorf("%s: %d, want %d with %q:\n%s", what, resp.StatusCode, status, text, page)
		}
		if m := message(page); !strings.HasPrefix(m, "authorization:github:error:{\"message\":") {
			t.Errorf("%s: the page posts %q, want an authorization:github:error: message", what, m)
		}
		if strings.Contains(page, testToken) {
			t.Errorf("%s: the page holds the token", what)
		}
	}

	t.Run("happy path", func(t *testing.T) {
		cookie, loc := start()
		back := authorize(loc)
		if back.Scheme+"://"+back.Host+back.Path != base+callbackPath {
			t.Fatalf("the provider sends the browser back to %s", back)
		}
		resp, page := get(back.String(), cookie)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("callback: %d\n%s", resp.StatusCode, page)
		}
		want := `authorization:github:success:{"token":"` + testToken + `","provider":"github"}`
		if m := message(page); m != want {
			t.Errorf("the page posts %q, want %q", m, want)
		}
		if !strings.Contains(page, `data-origin="`+site.URL+`"`) {
			t.Errorf("the page does not name the site's origin %s as the only receiver:\n%s", site.URL, page)
		}
		// One script, the Worker's file, allowed by the policy and nothing
		// else: no inline script.
		if n := strings.Count(page, "<script"); n != 1 || !strings.Contains(page, `<script src="`+scriptPath+`"></script>`) {
			t.Errorf("the page has %d scripts, want only %s:\n%s", n, scriptPath, page)
		}
		wantCSP := "default-src 'none'; script-src " + base + scriptPath + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
		if got := resp.Header.Get("Content-Security-Policy"); got != wantCSP {
			t.Errorf("the page's CSP is %q, want %q", got, wantCSP)
		}
		for k, v := range map[string]string{
			"Cache-Control": "no-store", "Cross-Origin-Opener-Policy": "unsafe-none", "X-Content-Type-Options": "nosniff",
			"Referrer-Policy": "no-referrer", "Content-Type": "text/html; charset=utf-8",
		} {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("the page's %s is %q, want %q", k, got, v)
			}
		}
		if sc := resp.Header.Get("Set-Cookie"); !strings.HasPrefix(sc, stateCookie+"=;") || !strings.Contains(sc, "Max-Age=0") {
			t.Errorf("the callback does not forget the state: Set-Cookie %q", sc)
		}
		if gh.count() != 1 {
			t.Errorf("%d token exchanges, want 1", gh.count())
		}
		// The same callback again: the code is spent and, in a browser,
		// the cookie gone.
		resp, page = get(back.String(), nil)
		refused("the callback replayed without the cookie", resp, page, http.StatusBadRequest, "nocookie")
	})

	t.Run("script", func(t *testing.T) {
		resp, js := get(base+scriptPath, nil)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/javascript; charset=utf-8" ||
			resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: %d, Content-Type %q, X-Content-Type-Options %q", scriptPath, resp.StatusCode,
				resp.Header.Get("Content-Type"), resp.Header.Get("X-Content-Type-Options"))
		}
		if js != callbackScript {
			t.Errorf("%s is not callbackScript:\n%s", scriptPath, js)
		}
		// Its origin checks are tried in Chromium below; here, that it
		// never posts to any origin.
		if strings.Contains(js, `'*'`) || strings.Count(js, "postMessage(") != 2 || strings.Count(js, ", origin);") != 2 {
			t.Errorf("%s must post only to the site's origin:\n%s", scriptPath, js)
		}
	})

	before := gh.count()
	t.Run("wrong state", func(t *testing.T) {
		cookie, loc := start()
		back := authorize(loc)
		q := back.Query()
		q.Set("state", "AAAA"+q.Get("state")[4:])
		back.RawQuery = q.Encode()
		resp, page := get(back.String(), cookie)
		refused("a wrong state", resp, page, http.StatusBadRequest, "mismatch")
	})
	t.Run("missing state", func(t *testing.T) {
		cookie, loc := start()
		back := authorize(loc)
		resp, page := get(back.String(), nil)
		refused("no state cookie", resp, page, http.StatusBadRequest, "nocookie")
		q := back.Query()
		q.Del("state")
		back.RawQuery = q.Encode()
		resp, page = get(back.String(), cookie)
		refused("no state in the address", resp, page, http.StatusBadRequest, "mismatch")
	})
	if n := gh.count(); n != before {
		t.Errorf("%d token exchanges after a wrong or missing state, want none", n-before)
	}
	t.Run("provider error", func(t *testing.T) {
		gh.mu.Lock()
		gh.deny = true
		gh.mu.Unlock()
		defer func() { gh.mu.Lock(); gh.deny = false; gh.mu.Unlock() }()
		cookie, loc := start()
		resp, page := get(authorize(loc).String(), cookie)
		refused("the user declined", resp, page, http.StatusForbidden, "declined")
	})
	t.Run("bad code", func(t *testing.T) {
		cookie, loc := start()
		back := authorize(loc)
		q := back.Query()
		q.Set("code", "not-the-code")
		back.RawQuery = q.Encode()
		resp, page := get(back.String(), cookie)
		refused("a code the provider refuses", resp, page, http.StatusBadGateway, "exchange")
		// wrangler prints the Worker's log a moment later.
		deadline := time.Now().Add(checks.Budget(t, 5*time.Second))
		for !strings.Contains(logs(), "bad_verification_code") {
			if time.Now().After(deadline) {
				t.Error("the refusal is not logged")
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	t.Run("other requests", func(t *testing.T) {
		resp, err := noFollow.Post(base+authPath, "text/plain", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST %s: %d, want 405", authPath, resp.StatusCode)
		}
		before := gh.count()
		cookie, loc := start()
		req, _ := http.NewRequest(http.MethodHead, authorize(loc).String(), nil)
		req.AddCookie(cookie)
		if resp, err := noFollow.Do(req); err != nil || resp.StatusCode != http.StatusMethodNotAllowed || gh.count() != before {
			t.Errorf("HEAD %s: %v %v, %d exchanges; want 405 and none", callbackPath, resp, err, gh.count()-before)
		}
		if resp, _ := get(base+authPath+"?provider=gitlab", nil); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("provider=gitlab: %d, want 400", resp.StatusCode)
		}
	})

	t.Run("browser", func(t *testing.T) {
		chrome := checks.ChromePath()
		if testing.Short() {
			t.Skip("starts Chromium")
		}
		if chrome == "" {
			t.Skip("no Chromium")
		}
		ctx := checks.TestContext(t)
		b, err := checks.NewBrowser(context.Background(), chrome, t.TempDir(), "")
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		// signIn opens the sign-in from a CMS page on origin and returns
		// the messages that page received, once the token exchange has
		// happened and a while after.
		signIn := func(origin string, spoof bool) []map[string]string {
			t.Helper()
			tctx, cancel, err := b.NewTab(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer cancel()
			before := gh.count()
			if err := chromedp.Do(tctx,
				chromedp.Navigate(origin+"/admin/"),
				chromedp.Evaluate[chromedp.Void](fmt.Sprintf("signIn(%q, %t)", base, spoof)),
			); err != nil {
				t.Fatal(err)
			}
			var got []map[string]string
			deadline := time.Now().Add(checks.Budget(t, 20*time.Second))
			exchanged := time.Time{}
			for time.Now().Before(deadline) {
				got, err = chromedp.Run(tctx, chromedp.Evaluate[[]map[string]string]("window.got"))
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range got {
					if strings.HasPrefix(m["data"], "authorization:") {
						return got
					}
				}
				if exchanged.IsZero() && gh.count() > before {
					exchanged = time.Now()
				}
				// The token was handed to the popup's page: give its
				// script time to (not) post it.
				if !exchanged.IsZero() && time.Since(exchanged) > checks.Budget(t, 3*time.Second) {
					return got
				}
				time.Sleep(100 * time.Millisecond)
			}
			t.Fatalf("no token exchange from %s within the time; messages %v", origin, got)
			return nil
		}

		got := signIn(site.URL, false)
		want := `authorization:github:success:{"token":"` + testToken + `","provider":"github"}`
		var handed bool
		for _, m := range got {
			if m["data"] == want && m["origin"] == base {
				handed = true
			}
		}
		if !handed {
			t.Errorf("the CMS on the site's origin got %v, want %q from %s", got, want, base)
		}

		got = signIn(foreign.URL, true)
		if len(got) != 0 {
			t.Errorf("a page on a foreign origin got messages from the sign-in: %v", got)
		}
	})

	gh.mu.Lock()
	if len(gh.problems) > 0 {
		t.Errorf("the stand-in provider saw wrong calls: %v", gh.problems)
	}
	gh.mu.Unlock()
	if strings.Contains(logs(), testToken) || strings.Contains(logs(), testClientSecret) {
		t.Error("the Worker's log holds the token or the client secret")
	}
}
