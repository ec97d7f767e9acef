package build

import (
	"errors"
	"io/fs"
)

// symlinks reports every symbolic link under the folders an editor's
// tools write (content/, assets/), dot files included: the build reads
// through a link as if it were the file, so a link planted there (say, in
// a save's temporary file) could make the site show, or the CMS write,
// a file from elsewhere. Nothing in those folders needs one.
func symlinks(fsys fs.FS, roots ...string) Diagnostics {
	var diags Diagnostics
	for _, root := range roots {
		err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type()&fs.ModeSymlink == 0 {
				return nil
			}
			msg := "a symbolic link: the site takes no links in " + root + "/"
			if to, err := fs.ReadLink(fsys, p); err == nil {
				msg = "a symbolic link to " + to + ": the site takes no links in " + root + "/"
			}
			diags = append(diags, Diagnostic{File: p, Msg: msg, Hint: "put the file itself here, or remove the link"})
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			diags = append(diags, Diagnostic{File: root, Msg: err.Error()})
		}
	}
	return diags
}
