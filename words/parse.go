package words

import (
	"kmopsite/suggest"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"kmopsite/assess"
)

// Error is a mistake in a words file, at a line and column (both from 1).
type Error struct {
	Line, Col int
	Msg       string
	Hint      string // optional: how to fix it, such as `did you mean "no_theme"?`
}

// Error returns "line:col: msg"; the caller prefixes the file's path.
func (e *Error) Error() string {
	return strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Col) + ": " + e.Msg
}

// Errors are all the mistakes found in one file, in the order of the file.
type Errors []*Error

// Error lists the mistakes one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

type position struct{ line, col int }

// Parse reads a words file. It returns the words it could read even when
// there are mistakes; the error, when not nil, is Errors.
func Parse(data []byte) (*Selfcheck, error) {
	w := &Selfcheck{
		UI:           map[string]string{},
		Questions:    map[string]Question{},
		Verdicts:     map[string]Entry{},
		Blockers:     map[string]Entry{},
		Warnings:     map[string]Entry{},
		Tracks:       map[string]Entry{},
		Requirements: map[string]Entry{},
		Statuses:     map[string]string{},
		Exemptions:   map[string]Entry{},
		Steps:        map[string]Entry{},
		pos:          map[string]position{},
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return w, Errors{syntaxError(err)}
	}
	p := &parser{w: w}
	if len(doc.Content) > 0 {
		p.file(doc.Content[0])
	}
	if len(p.errs) > 0 {
		sort.SliceStable(p.errs, func(i, j int) bool {
			a, b := p.errs[i], p.errs[j]
			return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
		})
		return w, p.errs
	}
	return w, nil
}

// syntaxError turns the YAML parser's "yaml: line 3: did not find expected
// key" into a positioned Error.
func syntaxError(err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ": "); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				line, msg = n, rest[i+2:]
			}
		}
	}
	return &Error{Line: line, Col: 1, Msg: "YAML syntax: " + msg,
		Hint: "check the indentation and quote text that holds a colon followed by a space"}
}

type parser struct {
	w    *Selfcheck
	errs Errors
}

func (p *parser) errorf(n *yaml.Node, msg, hint string) {
	p.errs = append(p.errs, &Error{Line: n.Line, Col: n.Column, Msg: msg, Hint: hint})
}

func (p *parser) at(key string, n *yaml.Node) {
	p.w.pos[key] = position{n.Line, n.Column}
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// mapping calls f for each key and value of mapping n, after checking that
// n is a mapping and reporting repeated keys. what names n in messages.
func (p *parser) mapping(n *yaml.Node, what string, f func(k, v *yaml.Node)) {
	n = deref(n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // an empty section or field: nothing written yet
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, what+" must be a mapping of keys to values", "write each entry on its own line as key: value, indented under "+what)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, what+": a key must be a plain word", "")
			continue
		}
		if k.Value == "<<" {
			p.errorf(k, what+": merge keys (<<) are not supported", "write the entries out")
			continue
		}
		if seen[k.Value] {
			p.errorf(k, what+": "+strconv.Quote(k.Value)+" is written twice", "keep one of them")
			continue
		}
		seen[k.Value] = true
		f(k, v)
	}
}

// text returns the text of scalar n; key names it in messages.
func (p *parser) text(n *yaml.Node, key string) string {
	if n.Kind != yaml.ScalarNode {
		p.errorf(n, key+" must be text", "write it on the same line after the colon, in quotes if it holds special characters")
		return ""
	}
	if n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

// unknown reports key k that is not one of known, with a suggestion.
func (p *parser) unknown(k *yaml.Node, what string, known []string) {
	hint := "the known ones are " + strings.Join(known, ", ")
	if s := closest(k.Value, known); s != "" {
		hint = "did you mean " + strconv.Quote(s) + "?"
	}
	p.errorf(k, "unknown "+what+" "+strconv.Quote(k.Value), hint)
}

func (p *parser) file(root *yaml.Node) {
	root = deref(root)
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return
	}
	var names []string
	for _, s := range sections {
		names = append(names, s.name)
	}
	p.mapping(root, "the file", func(k, v *yaml.Node) {
		p.at(k.Value, k)
		switch k.Value {
		case "ui":
			p.mapping(v, "ui", func(k, v *yaml.Node) {
				p.at("ui."+k.Value, k)
				p.w.UI[k.Value] = p.text(v, "ui."+k.Value)
			})
		case "questions":
			p.questions(v)
		case "statuses":
			p.mapping(v, "statuses", func(k, v *yaml.Node) {
				if !contains(assess.Statuses, k.Value) {
					p.unknown(k, "status", assess.Statuses)
					return
				}
				p.at("statuses."+k.Value, k)
				p.w.Statuses[k.Value] = p.text(v, "statuses."+k.Value)
			})
		default:
			for _, s := range sections[2:] {
				if s.name == k.Value {
					p.entries(v, s.name, s.codes())
					return
				}
			}
			p.unknown(k, "section", names)
		}
	})
}

func (p *parser) questions(n *yaml.Node) {
	ids := questionIDs()
	p.mapping(n, "questions", func(k, v *yaml.Node) {
		q, ok := assess.Lookup(assess.QuestionID(k.Value))
		if !ok {
			p.unknown(k, "question", ids)
			return
		}
		key := "questions." + k.Value
		p.at(key, k)
		var qw Question
		fields := []string{"text", "help", "error"}
		if q.Kind == assess.MultiChoice || q.Kind == assess.Readiness {
			fields = append(fields, "choices")
		}
		if q.None {
			fields = append(fields, "none")
		}
		p.mapping(v, key, func(fk, fv *yaml.Node) {
			fkey := key + "." + fk.Value
			p.at(fkey, fk)
			if !contains(fields, fk.Value) {
				p.unknown(fk, "field of "+key+" ("+q.Kind.String()+" question)", fields)
				return
			}
			switch fk.Value {
			case "text":
				qw.Text = p.text(fv, fkey)
			case "help":
				qw.Help = p.text(fv, fkey)
			case "error":
				qw.Error = p.text(fv, fkey)
			case "none":
				qw.None = p.text(fv, fkey)
			case "choices":
				qw.Choices = map[string]string{}
				p.mapping(fv, fkey, func(ck, cv *yaml.Node) {
					if !contains(q.Choices, ck.Value) {
						p.unknown(ck, "choice of "+key, q.Choices)
						return
					}
					p.at(fkey+"."+ck.Value, ck)
					qw.Choices[ck.Value] = p.text(cv, fkey+"."+ck.Value)
				})
			}
		})
		p.w.Questions[k.Value] = qw
	})
}

var entryFields = []string{"title", "text", "link"}

func (p *parser) entries(n *yaml.Node, section string, codes []string) {
	m := p.w.entries(section)
	p.mapping(n, section, func(k, v *yaml.Node) {
		if !contains(codes, k.Value) {
			p.unknown(k, strings.TrimSuffix(section, "s")+" code", codes)
			return
		}
		key := section + "." + k.Value
		p.at(key, k)
		var e Entry
		p.mapping(v, key, func(fk, fv *yaml.Node) {
			fkey := key + "." + fk.Value
			switch fk.Value {
			case "title":
				p.at(fkey, fk)
				e.Title = p.text(fv, fkey)
			case "text":
				p.at(fkey, fk)
				e.Text = p.text(fv, fkey)
			case "link":
				p.at(fkey, fv) // the target itself, for the build's link check
				e.Link = p.text(fv, fkey)
			default:
				p.unknown(fk, "field of "+key, entryFields)
			}
		})
		m[k.Value] = e
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// closest returns the element of known nearest to s, when it is near
// enough to be a typo.
func closest(s string, known []string) string {
	best, bestD := "", len(s)/3+2
	for _, k := range known {
		if d := suggest.Distance(s, k); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" && len(s) >= 3 { // a word cut short: "exempt" for "exempt_starter"
		for _, k := range known {
			if strings.HasPrefix(k, s) {
				if best != "" {
					return "" // more than one
				}
				best = k
			}
		}
	}
	return best
}
