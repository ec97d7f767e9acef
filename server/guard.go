package server

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// CheckLoopback reports why addr (HOST:PORT) is not for kmopsite serve,
// or nil: the preview listens on loopback only (127.0.0.0/8, ::1 or the
// name localhost), since it shows drafts, the mailbox and the CMS's
// backend to whoever reaches it.
func CheckLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q is not HOST:PORT, such as localhost:8080", addr)
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if a, err := netip.ParseAddr(host); err == nil && a.Unmap().IsLoopback() {
		return nil
	}
	what := fmt.Sprintf("%q", host)
	if host == "" {
		what = "every address"
	}
	return fmt.Errorf("serve is the editors' preview and listens on loopback only, not on %s: it shows drafts, "+
		"the quote requests and the CMS's backend to whoever reaches it\n"+
		"hint: use --addr localhost:8080 here; to serve the site to others, build it and run kmopsite host", what)
}

// loopbackName reports whether a request's Host names this machine's
// loopback: localhost (or a name under .localhost, which browsers keep on
// loopback) or a loopback address. Any other name reached the preview by
// DNS rebinding: a page of another site whose name now points at
// 127.0.0.1, reading the preview with the editor's browser.
func loopbackName(hostport string) bool {
	host := hostOnly(hostport)
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

// hostOnly is the lowercased host of a Host header, without port, brackets
// or a final dot.
func hostOnly(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	return strings.ToLower(host)
}

// LoopbackOnly serves next to requests whose Host is a loopback name, and
// 421 Misdirected Request to the others.
func LoopbackOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !loopbackName(r.Host) {
			misdirected(w)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func misdirected(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusMisdirectedRequest)
	fmt.Fprintln(w, "421 misdirected request: this server does not serve that host name")
}
