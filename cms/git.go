package cms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"kmopsite/build"
)

// The editorial workflow, as decap-server's local git mode keeps it: a
// draft is a branch cms/<collection>/<slug> with a commit, its status
// ("draft", "pending_review", "pending_publish") is the branch's
// description decap-cms/<status>, and publishing merges the branch. Unlike
// decap-server, a draft's commit is made with a temporary index (git
// read-tree, hash-object, update-index, write-tree, commit-tree), so the
// editor's checkout and the files serve watches are not touched until
// the draft is published.

// gitRepo is the site's folder as a git repository. Every git call names
// branches by their full ref (refs/heads/…) and ends its options with
// --end-of-options: a tag may share a branch's short name (a tag
// cms/pages/about would otherwise win over the draft's branch in
// rev-parse, merge and cat-file), and no name can pass for an option.
type gitRepo struct {
	dir    string
	branch string // the branch checked out, short: drafts start from it and merge into it
}

// heads is the full ref of a branch.
func heads(branch string) string { return "refs/heads/" + branch }

// currentBranch is the branch checked out (its short name), "" when HEAD
// is detached or not a branch.
func (g *gitRepo) currentBranch() string {
	ref, err := g.run(nil, "symbolic-ref", "--quiet", "HEAD")
	if err != nil {
		return ""
	}
	b, ok := strings.CutPrefix(strings.TrimSpace(ref), "refs/heads/")
	if !ok {
		return ""
	}
	return b
}

// openGit returns the repository whose top is dir, nil when dir is not
// the top of a git work tree on a branch (then: simple mode).
func openGit(dir string) *gitRepo {
	g := &gitRepo{dir: dir}
	top, err := g.run(nil, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil
	}
	a, _ := filepath.EvalSymlinks(strings.TrimSpace(top))
	b, _ := filepath.EvalSymlinks(dir)
	if a != b {
		return nil // a site in a subfolder of a repository: simple mode
	}
	g.branch = g.currentBranch()
	if g.branch == "" {
		return nil
	}
	return g
}

// run runs git with explicit arguments (never a shell) and extra
// environment variables.
func (g *gitRepo) run(env []string, args ...string) (string, error) {
	return g.runIn(env, nil, args...)
}

func (g *gitRepo) runIn(env []string, stdin []byte, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", g.dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	cmd.Env = append(cmd.Env, env...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("git %s: %v: %s", args[0], err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}

// identity gives commits an author when git has none configured.
func (g *gitRepo) identity() []string {
	if name, _ := g.run(nil, "config", "user.name"); strings.TrimSpace(name) != "" {
		return nil
	}
	return []string{"GIT_AUTHOR_NAME=kmopsite editor", "GIT_AUTHOR_EMAIL=editor@localhost",
		"GIT_COMMITTER_NAME=kmopsite editor", "GIT_COMMITTER_EMAIL=editor@localhost"}
}

func draftBranch(collection, slug string) string { return "cms/" + collection + "/" + slug }

func labelPrefix(p string) string {
	if p == "" {
		return "decap-cms/"
	}
	return p
}

func (g *gitRepo) exists(branch string) bool {
	_, err := g.run(nil, "rev-parse", "--verify", "--quiet", "--end-of-options", heads(branch)+"^{commit}")
	return err == nil
}

// show reads a file of a branch, nil when it has none.
func (g *gitRepo) show(branch, path string) []byte {
	out, err := g.run(nil, "cat-file", "blob", "--end-of-options", heads(branch)+":"+path)
	if err != nil {
		return nil
	}
	return []byte(out)
}

// persistDraft commits an entry's files on its draft branch, each merged
// into the file as the draft (or else the branch) has it.
func (g *gitRepo) persistDraft(b *Backend, collection string, files []dataFile, assets []asset, msg, status, prefix string) (any, error) {
	if collection == "" || strings.ContainsAny(collection, " ~^:?*[\\") || strings.Contains(files[0].Slug, "..") {
		return nil, refuse(http.StatusBadRequest, "a draft needs a collection name and a plain slug")
	}
	branch := draftBranch(collection, files[0].Slug)
	if _, err := g.run(nil, "check-ref-format", "refs/heads/"+branch); err != nil {
		return nil, refuse(http.StatusBadRequest, "%q cannot be a branch name", branch)
	}
	isNew := !g.exists(branch)
	parent := g.branch
	if !isNew {
		parent = branch
	}
	renames, err := b.checkRenames(files, func(p string) bool { return g.show(parent, p) != nil })
	if err != nil {
		return nil, err
	}
	composed, err := b.compose(files, func(name string) ([]byte, error) {
		if err := allowed(name, writeFile); err != nil {
			return nil, err
		}
		return g.show(parent, name), nil
	})
	if err != nil {
		return nil, err
	}
	writes := map[string][]byte{}
	for _, c := range composed {
		writes[c.path] = c.data
	}
	for _, a := range assets {
		name, data, err := b.prepareMedia(a, false)
		if err != nil {
			return nil, err
		}
		writes[name] = data
	}
	var removes []string
	for _, r := range renames {
		writes[r.to] = writes[r.from]
		if writes[r.to] == nil {
			writes[r.to] = g.show(parent, r.from)
		}
		delete(writes, r.from)
		removes = append(removes, r.from)
	}
	if msg == "" {
		msg = "Update " + branch
	}
	if err := g.commitFiles(branch, parent, writes, removes, msg); err != nil {
		return nil, err
	}
	if isNew {
		if status == "" {
			status = "draft"
		}
		if _, err := g.run(nil, "config", "--end-of-options", "branch."+branch+".description", labelPrefix(prefix)+status); err != nil {
			return nil, err
		}
	}
	// A draft may hold errors; it says so, and cannot be published
	// until they are mended.
	errs, err := g.draftErrors(b, branch)
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		w, err := editorWords(b.root.FS())
		if err != nil {
			return nil, err
		}
		files, _, _ := g.draftFiles(branch)
		return map[string]any{"message": w.Gate.Draft + " " + describeErrors(w, files, errs), "errors": len(errs)}, nil
	}
	return map[string]string{"message": "entry persisted"}, nil
}

// draftErrors judges the site as publishing the draft would leave it:
// the branch checked out with the files the draft changes.
func (g *gitRepo) draftErrors(b *Backend, branch string) (build.Diagnostics, error) {
	files, removed, err := g.draftFiles(branch)
	if err != nil {
		return nil, err
	}
	return b.gate(files, removed)
}

// draftFiles are the files a draft writes (their contents on its branch)
// and removes.
func (g *gitRepo) draftFiles(branch string) (map[string][]byte, []string, error) {
	diffs, err := g.diffs(branch)
	if err != nil {
		return nil, nil, err
	}
	files := map[string][]byte{}
	var removed []string
	for _, d := range diffs {
		if d.Status == "deleted" {
			removed = append(removed, d.Path)
			continue
		}
		if data := g.show(branch, d.Path); data != nil {
			files[d.Path] = data
		}
	}
	return files, removed, nil
}

// commitFiles makes a commit on branch whose parent is parent's tip and
// whose tree is parent's with files replaced and removes taken out,
// through a temporary index.
func (g *gitRepo) commitFiles(branch, parent string, files map[string][]byte, removes []string, msg string) error {
	idx, err := os.CreateTemp("", "kmopsite-index-*")
	if err != nil {
		return err
	}
	idx.Close()
	os.Remove(idx.Name()) // git wants to create it
	defer os.Remove(idx.Name())
	env := append([]string{"GIT_INDEX_FILE=" + idx.Name()}, g.identity()...)
	if _, err := g.run(env, "read-tree", "--end-of-options", heads(parent)); err != nil {
		return err
	}
	for name, data := range files {
		sha, err := g.runIn(env, data, "hash-object", "-w", "--stdin")
		if err != nil {
			return err
		}
		if _, err := g.run(env, "update-index", "--add", "--cacheinfo", "100644,"+strings.TrimSpace(sha)+","+name); err != nil {
			return err
		}
	}
	for _, name := range removes {
		if _, err := g.run(env, "update-index", "--force-remove", "--", name); err != nil {
			return err
		}
	}
	tree, err := g.run(env, "write-tree")
	if err != nil {
		return err
	}
	commit, err := g.run(env, "commit-tree", "-p", heads(parent), "-m", msg, "--end-of-options", strings.TrimSpace(tree))
	if err != nil {
		return err
	}
	_, err = g.run(env, "update-ref", "-m", msg, "--end-of-options", heads(branch), strings.TrimSpace(commit))
	return err
}

type diff struct {
	OldPath string `json:"oldPath"`
	NewPath string `json:"newPath"`
	Status  string `json:"status"`
	NewFile bool   `json:"newFile"`
	Path    string `json:"path"`
	ID      string `json:"id"`
	Binary  bool   `json:"binary"`
}

// diffs lists the files a draft changes since it left the branch.
func (g *gitRepo) diffs(branch string) ([]diff, error) {
	out, err := g.run(nil, "diff", "--name-status", "--no-renames", "--end-of-options", heads(g.branch)+"..."+heads(branch), "--")
	if err != nil {
		return nil, err
	}
	list := []diff{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		st, p, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		d := diff{OldPath: p, NewPath: p, Path: p, ID: p, Status: "modified"}
		switch st {
		case "A":
			d.Status, d.NewFile, d.OldPath = "added", true, ""
		case "D":
			d.Status, d.NewPath = "deleted", ""
		}
		_, media := mediaTypes[strings.ToLower(filepath.Ext(p))]
		d.Binary = media || strings.HasSuffix(p, ".svg")
		list = append(list, d)
	}
	return list, nil
}

// workflow answers the editorial-workflow actions.
func (g *gitRepo) workflow(b *Backend, action string, p json.RawMessage) (any, error) {
	var a struct {
		ID             string `json:"id"`
		Collection     string `json:"collection"`
		Slug           string `json:"slug"`
		Path           string `json:"path"`
		NewStatus      string `json:"newStatus"`
		CMSLabelPrefix string `json:"cmsLabelPrefix"`
	}
	if err := decode(p, &a); err != nil {
		return nil, err
	}
	if a.ID != "" && action == "unpublishedEntry" { // a content key; elsewhere id is a file's
		a.Collection, a.Slug, _ = strings.Cut(a.ID, "/")
	}
	branch := draftBranch(a.Collection, a.Slug)
	if action != "unpublishedEntries" {
		if _, err := g.run(nil, "check-ref-format", "refs/heads/"+branch); err != nil || a.Collection == "" {
			return nil, refuse(http.StatusBadRequest, "no such draft")
		}
	}
	switch action {
	case "unpublishedEntries":
		// %(refname), not :short, which a tag of the same name makes
		// "heads/cms/…".
		out, err := g.run(nil, "for-each-ref", "--format=%(refname)", "--end-of-options", "refs/heads/cms/")
		if err != nil {
			return nil, err
		}
		keys := []string{}
		for _, l := range strings.Fields(out) {
			keys = append(keys, strings.TrimPrefix(l, "refs/heads/cms/"))
		}
		return keys, nil
	case "unpublishedEntry":
		if !g.exists(branch) {
			return nil, &refusal{http.StatusNotFound, "Not Found"}
		}
		diffs, err := g.diffs(branch)
		if err != nil {
			return nil, err
		}
		label, _ := g.run(nil, "config", "--end-of-options", "branch."+branch+".description")
		date, _ := g.run(nil, "log", "-1", "--format=%cI", "--end-of-options", heads(branch), "--")
		return map[string]any{"collection": a.Collection, "slug": a.Slug,
			"status": strings.TrimPrefix(strings.TrimSpace(label), labelPrefix(a.CMSLabelPrefix)),
			"diffs":  diffs, "updatedAt": strings.TrimSpace(date)}, nil
	case "unpublishedEntryDataFile":
		if err := allowed(a.Path, read); err != nil {
			return nil, err
		}
		data := g.show(branch, a.Path)
		if data == nil {
			return map[string]any{"data": nil}, nil
		}
		return map[string]any{"data": string(data)}, nil
	case "unpublishedEntryMediaFile":
		if err := allowed(a.Path, read); err != nil {
			return nil, err
		}
		data := g.show(branch, a.Path)
		if data == nil {
			return nil, refuse(http.StatusNotFound, "%s: no such file in the draft", a.Path)
		}
		return mediaFile{ID: sha(data), Content: encode64(data), Encoding: "base64", Path: a.Path, Name: filepath.Base(a.Path)}, nil
	case "deleteUnpublishedEntry":
		if !g.exists(branch) {
			return nil, refuse(http.StatusNotFound, "no draft %s", branch)
		}
		if _, err := g.run(nil, "update-ref", "-d", "--end-of-options", heads(branch)); err != nil {
			return nil, err
		}
		g.run(nil, "config", "--unset", "--end-of-options", "branch."+branch+".description")
		return map[string]string{"message": "deleted branch: " + branch}, nil
	case "updateUnpublishedEntryStatus":
		switch a.NewStatus {
		case "draft", "pending_review", "pending_publish":
		default:
			return nil, refuse(http.StatusBadRequest, "unknown status %q", a.NewStatus)
		}
		if !g.exists(branch) {
			return nil, refuse(http.StatusNotFound, "no draft %s", branch)
		}
		label := labelPrefix(a.CMSLabelPrefix) + a.NewStatus
		if _, err := g.run(nil, "config", "--end-of-options", "branch."+branch+".description", label); err != nil {
			return nil, err
		}
		return map[string]string{"message": g.branch + " description was updated to " + label}, nil
	case "publishUnpublishedEntry":
		if !g.exists(branch) {
			return nil, refuse(http.StatusNotFound, "no draft %s", branch)
		}
		if errs, err := g.draftErrors(b, branch); err != nil {
			return nil, err
		} else if len(errs) > 0 {
			files, _, _ := g.draftFiles(branch)
			return nil, b.gateRefusal(true, files, errs)
		}
		if g.currentBranch() != g.branch {
			return nil, refuse(http.StatusConflict, "the site's folder is no longer on branch %s; switch back to it to publish", g.branch)
		}
		if _, err := g.run(g.identity(), "merge", "--no-ff", "--no-edit", "-m", "Publish "+branch, "--end-of-options", heads(branch)); err != nil {
			g.run(nil, "merge", "--abort")
			return nil, refuse(http.StatusConflict, "the draft could not be merged into %s: %v (a file it changes has unsaved changes in the folder?)", g.branch, err)
		}
		if _, err := g.run(nil, "update-ref", "-d", "--end-of-options", heads(branch)); err != nil {
			return nil, err
		}
		g.run(nil, "config", "--unset", "--end-of-options", "branch."+branch+".description")
		return map[string]string{"message": "branch " + branch + " merged to " + g.branch}, nil
	}
	return nil, errors.New("unknown workflow action " + action)
}
