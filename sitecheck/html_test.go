package sitecheck

import (
	"strings"
	"testing"
)

// The checker on small pages: each mistake must be found, at its line,
// and a well-formed page must give no problem.

const head = "<!doctype html>\n<html lang=\"nl\">"

func TestParseFine(t *testing.T) {
	for _, page := range []string{
		head + `<head><title>A &amp; B</title><script src="/a.js" defer></script></head><body><p>x<br>y</p><img src=a alt=""></body></html>`,
		head + "<body><script src=/a.js>if (a < b) document.write('</p>')</script></body></html>",
		head + `<body><svg viewBox="0 0 1 1" aria-hidden="true"><title>x<tspan>y</tspan></title><path d="M0 0"/></svg></body></html>`,
		head + `<body><!-- a comment --><main id="main"><a href="#main">top</a><a href="#">#</a></main></body></html>`,
		head + `<body><div role="group" aria-labelledby="t"><h2 id="t">T</h2></div></body></html>`,
		head + `<body><section aria-labelledby="t"><h2 id="t">T</h2></section><nav aria-label="Menu"></nav><ul aria-label="Pages"><li>x</li></ul></body></html>`,
		head + `<body><button aria-expanded="false" aria-controls="m">Menu</button><ul id="m"><li aria-current="page">x</li></ul></body></html>`,
		head + `<body><label for="f">Name</label><input id="f" aria-describedby="h" aria-required="true"><p id="h">Help</p></body></html>`,
		head + `<body><p class="status" role="status"></p><a href="/x" aria-label="x">y</a></body></html>`,
		head + `<body><noscript><p>Zonder JavaScript &amp; zo</p></noscript></body></html>`,
	} {
		if d := Parse([]byte(page)); len(d.Problems) != 0 {
			t.Errorf("%s\n  problems %v, want none", page, d.Problems)
		}
	}
}

func TestParseFinds(t *testing.T) {
	tests := []struct {
		name, page string
		line       int
		want       string // a part of the one problem expected
	}{
		{"unclosed p", head + "<body><div><p>x</div></body></html>", 2, "</div> closes <p>"},
		{"misnested", head + "<body><p><b>x</p></b></body></html>", 2, "</p> closes <b>"},
		{"never closed", head + "<body>\n<main>x</body></html>", 3, "</body> closes <main> opened on line 3"},
		{"never closed at the end", head + "<body></body>", 2, "<html> is never closed"},
		{"stray end", "<!doctype html>\n</span>", 2, "</span> closes nothing"},
		{"void end tag", head + "<body><br></br></body></html>", 2, "br has no end tag"},
		{"self-closing div", head + "<body><div/></body></html>", 2, "<div/> is not a void element"},
		{"bare <", head + "<body>\n<p>a < b</p></body></html>", 3, `a bare "<"`},
		{"duplicate attribute", head + `<body><a href="/" href="/x">x</a></body></html>`, 2, "attribute href written twice"},
		{"duplicate id", head + "<body><h2 id=\"a\">x</h2>\n<h2 id=\"a\">y</h2></body></html>", 3, `id "a" is also used on line 2`},
		{"no doctype", `<html lang="nl"><body></body></html>`, 1, "does not start with <!doctype html>"},
		{"unterminated quote", head + "<body>\n<a href=\"/>x</a></body></html>", 3, "runs to the end of the file"},
		{"unclosed comment", head + "<body><!-- x </body></html>", 2, "comment not closed"},
		{"fragment to nothing", head + "<body>\n<a href=\"#nope\">x</a></body></html>", 3, `<a href="#nope">: no element has id "nope"`},
		{"labelledby nothing", head + `<body><section aria-labelledby="t"></section></body></html>`, 2, `aria-labelledby on <section>: no element has id "t"`},
		{"escaped twice", head + "<body><p>A &amp;amp; B</p></body></html>", 2, `escaped twice: "&amp;"`},
		{"tag escaped", head + "<body><p>&lt;p&gt;x</p></body></html>", 2, `escaped twice: "<p>"`},
		{"attribute escaped twice", head + `<body><a href="/?a=1&amp;amp;b=2">x</a></body></html>`, 2, `escaped twice: "&amp;"`},
		{"inline script", head + "<body><script>alert(1)</script></body></html>", 2, "inline <script>"},
		{"inline style", head + "<head><style>p{}</style></head></html>", 2, "inline <style>"},
		{"style attribute", head + `<body><p style="color:red">x</p></body></html>`, 2, "inline style= on <p>"},
		{"handler", head + `<body><button onclick="go()">x</button></body></html>`, 2, "inline onclick= on <button>"},
		{"no lang", "<!doctype html>\n<html><body></body></html>", 2, "<html> without lang"},
		{"inside noscript", head + "<body><noscript><div><p>x</div></noscript></body></html>", 2, "</div> closes <p>"},
		{"img without alt", head + `<body><img src="/a.png"></body></html>`, 2, "<img> without alt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse([]byte(tt.page))
			// The first problem is the mistake; an element it left open
			// may give more.
			if len(d.Problems) == 0 || !strings.Contains(d.Problems[0].Msg, tt.want) || d.Problems[0].Line != tt.line {
				t.Errorf("problems %v, want first one at line %d with %q", d.Problems, tt.line, tt.want)
			}
		})
	}
}

func TestParseTitle(t *testing.T) {
	d := Parse([]byte(head + "<head><title> A &amp; B </title></head></html>"))
	if ti := d.Find("title", nil); len(ti) != 1 || ti[0].Text != "A & B" {
		t.Errorf("title %+v, want the text A & B", ti)
	}
}

// TestARIA: the attributes a role does not allow, on small pages.
func TestARIA(t *testing.T) {
	tests := []struct {
		name, body string
		want       string // a part of the one problem expected; "" for none
	}{
		// The self-check's and quote form's error summary, as it was.
		{"labelledby on a role-less div", `<div class="error-summary" id="e" tabindex="-1" aria-labelledby="e-title"><h2 id="e-title">x</h2></div>`,
			"<div aria-labelledby>: a <div> without a role attribute is generic, which cannot be named"},
		{"label on a span", `<span aria-label="x">y</span>`, "<span aria-label>: a <span> without a role attribute is generic"},
		{"label on a paragraph", `<p aria-label="x">y</p>`, "a <p> without a role attribute is paragraph, which cannot be named"},
		{"label on presentation", `<div role="presentation" aria-label="x">y</div>`, "its role presentation cannot be named"},
		{"label on a strong", `<strong aria-label="x">y</strong>`, "is strong, which cannot be named"},
		{"label on a decorative image", `<img src="/a.png" alt="" aria-label="x">`, "a <img> without a role attribute is presentation"},
		{"label on a kbd", `<kbd aria-label="x">y</kbd>`, "<kbd> has no role and cannot be named"},
		{"label on the page's footer", `<footer aria-label="x"></footer>`, ""},
		{"label on a header in an article", `<article><header aria-label="x"></header></article>`, "a <header> without a role attribute is generic"},
		{"label on a link-less a", `<a aria-label="x">y</a>`, "a <a> without a role attribute is generic"},
		{"div with a role", `<div role="region" aria-label="x">y</div>`, ""},
		{"div with a fallback role", `<div role="doesnotexist group" aria-label="x">y</div>`, "doesnotexist is not an ARIA role"},
		{"unknown role", `<div role="buton">y</div>`, `<div role="buton">: buton is not an ARIA role`},
		{"abstract role", `<div role="widget">y</div>`, "widget is an abstract role"},
		{"empty role", `<div role="">y</div>`, "has an empty role"},
		{"unknown attribute", `<section aria-labeledby="t"><h2 id="t">x</h2></section>`, "aria-labeledby is not an ARIA attribute"},
		{"state the role does not take", `<button aria-checked="true">x</button>`, "the role button does not take aria-checked"},
		{"state on an explicit role", `<div role="checkbox" aria-checked="true" tabindex="0">x</div>`, ""},
		{"level on a heading", `<h2 aria-level="3">x</h2>`, ""},
		{"expanded on a list", `<ul aria-expanded="true"><li>x</li></ul>`, "the role list does not take aria-expanded"},
		{"global on anything", `<span aria-hidden="true">x</span><div aria-live="polite"></div>`, ""},
		{"svg inside", `<svg role="img" aria-label="x"><g aria-label="y"></g></svg>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse([]byte(head + "<body>" + tt.body + "</body></html>"))
			switch {
			case tt.want == "" && len(d.Problems) > 0:
				t.Errorf("problems %v, want none", d.Problems)
			case tt.want != "" && (len(d.Problems) != 1 || !strings.Contains(d.Problems[0].Msg, tt.want)):
				t.Errorf("problems %v, want one with %q", d.Problems, tt.want)
			}
		})
	}
}

// Without takes out the elements whole, as the tokenizer reads them.
func TestWithout(t *testing.T) {
	page := `<!doctype html><html><head><script src="/a.js"></script><title>T</title></head>` +
		`<body><p>x</p><script>var s = "<\/script><p>kept?</p>"; // </scrip
</script><p>y</p><!-- <script>not a script</script> --></body></html>`
	want := `<!doctype html><html><head><title>T</title></head>` +
		`<body><p>x</p><p>y</p><!-- <script>not a script</script> --></body></html>`
	if got := string(Without([]byte(page), "script")); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
