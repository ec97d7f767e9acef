package build

import (
	"path"
	"sort"
	"strings"
)

// Op is what happened to a file, as the watcher saw it.
type Op uint8

const (
	Create Op = 1 << iota
	Write
	Remove
	Rename // the file or folder left this name
	Chmod
)

func (op Op) String() string {
	var parts []string
	for i, name := range []string{"create", "write", "remove", "rename", "chmod"} {
		if op&(1<<i) != 0 {
			parts = append(parts, name)
		}
	}
	return strings.Join(parts, "|")
}

// Event is one file event: a path relative to the site root, with forward
// slashes, and what happened to it. The watcher merges the events of one
// path in a batch into one Event.
type Event struct {
	Path string
	Op   Op
}

// Changes is what a batch of events asks a Builder to do again.
type Changes struct {
	All       bool     // site.yaml changed: everything again (parsed pages are kept)
	Rescan    bool     // content files may have appeared or gone: list them again
	Content   []string // content files to read and parse again
	Words     bool     // words of the interface, the self-check or the quote form
	Templates bool
	Assets    bool
	Wasm      bool     // the rules in assess/
	Paths     []string // the sources that changed, sorted: what the log line names
}

// Empty reports whether there is nothing to do.
func (c Changes) Empty() bool {
	return !c.All && !c.Rescan && len(c.Content) == 0 && !c.Words && !c.Templates && !c.Assets && !c.Wasm
}

// Plan turns a batch of file events into the changes to make. known holds
// the content files of the last build (Builder.Known), so that a folder
// removed or renamed away takes its files along, and a write to a file the
// build did not know lists the files again. Plan reads nothing: tests
// replay editors' saves, renames and deletes with it.
func Plan(events []Event, known map[string]bool) Changes {
	var c Changes
	content := map[string]bool{}
	paths := map[string]bool{}
	langs := map[string]bool{} // language folders with files the last build knew
	for f := range known {
		if lang, _, ok := strings.Cut(strings.TrimPrefix(f, "content/"), "/"); ok {
			langs[lang] = true
		}
	}
	for _, e := range events {
		p := strings.TrimPrefix(path.Clean(e.Path), "./")
		top, rest, _ := strings.Cut(p, "/")
		structural := e.Op&(Create|Remove|Rename) != 0
		relevant := true
		switch {
		case p == ".":
			// Events were lost: everything may have changed.
			c.All, c.Rescan, c.Words, c.Templates, c.Assets, c.Wasm = true, true, true, true, true, true
			for f := range known {
				content[f] = true
			}
		case p == "site.yaml":
			c.All = true
		case top == "content" && rest != "":
			if hiddenDir(rest) {
				relevant = false
				break
			}
			lang, file, inLang := strings.Cut(rest, "/")
			switch {
			case strings.HasSuffix(p, ".md"):
				content[p] = true
				if !known[p] || e.Op&(Remove|Rename) != 0 {
					c.Rescan = true // the list of files changes
				}
			case inLang && !strings.Contains(file, "/") && (file == "interface.yaml" || file == "selfcheck.yaml" || file == "quote.yaml"):
				c.Words = true
			case structural:
				// Maybe a folder, whose files come and go with it; maybe a
				// file outside a language folder, a mistake the scan
				// reports; maybe an editor's temporary file.
				prefix := p + "/"
				relevant = false
				for f := range known {
					if strings.HasPrefix(f, prefix) {
						content[f] = true
						relevant = true
					}
				}
				// The scan reports a file outside a language folder,
				// and a folder that is not a language once it holds a
				// file: only a language folder's other files are
				// nothing to it.
				relevant = relevant || !inLang
				if relevant || !langs[lang] {
					c.Rescan = true
				}
			default:
				relevant = false // an editor's backup or swap file
			}
		case top == "templates":
			switch {
			case strings.HasSuffix(p, ".html"), structural && !strings.Contains(path.Base(p), "."):
				c.Templates = true
			default:
				relevant = false
			}
		case top == "assets" && rest != "":
			if strings.HasPrefix(path.Base(p), ".") {
				relevant = false
				break
			}
			c.Assets = true
		case top == "assess":
			switch {
			case p == "assess" || (strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go")):
				c.Wasm = true
				if p == "assess" {
					c.Words = true // a site without assess/ needs no self-check words
				}
			case structural && !strings.Contains(path.Base(p), "."):
				c.Wasm = true
			default:
				relevant = false
			}
		default:
			relevant = false
		}
		if relevant {
			paths[p] = true
		}
	}
	for f := range content {
		c.Content = append(c.Content, f)
	}
	sort.Strings(c.Content)
	for p := range paths {
		c.Paths = append(c.Paths, p)
	}
	sort.Strings(c.Paths)
	return c
}

// hiddenDir reports whether a path below content/ is inside a folder that
// the scan skips (a name starting with a dot).
func hiddenDir(rest string) bool {
	dirs := strings.Split(rest, "/")
	for _, d := range dirs[:len(dirs)-1] {
		if strings.HasPrefix(d, ".") {
			return true
		}
	}
	return false
}
