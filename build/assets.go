package build

import (
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"hash/maphash"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// Asset is a bundled file the templates link to.
type Asset struct {
	URL       string // /assets/site.4F2K3J.css
	Integrity string // sha384-…, for Subresource Integrity
}

// bundle is the result of the assets step.
type bundle struct {
	assets map[string]Asset  // entry name ("site.css", "site.js") → output
	files  map[string][]byte // output path → contents
}

// scanAssets lists the entry points, every top-level assets/*.js and
// assets/*.css, and copies every other file below assets/ that is not a JS
// or CSS module as it is.
func scanAssets(fsys fs.FS) (*bundle, []string, Diagnostics) {
	b := &bundle{assets: map[string]Asset{}, files: map[string][]byte{}}
	var entries []string
	err := fs.WalkDir(fsys, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := path.Ext(p)
		switch {
		case (ext == ".js" || ext == ".css") && path.Dir(p) == "assets":
			entries = append(entries, p)
		case ext == ".js" || ext == ".css" || strings.HasPrefix(d.Name(), "."):
			// a module imported by an entry, or a hidden file
		default:
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			b.files[p] = data
		}
		return nil
	})
	if err != nil && !isNotExist(err) {
		return b, nil, Diagnostics{{File: "assets", Msg: err.Error()}}
	}
	sort.Strings(entries)
	return b, entries, nil
}

// addBuild adds what esbuild made of the entry points.
func (b *bundle) addBuild(fsys fs.FS, res api.BuildResult) Diagnostics {
	var diags Diagnostics
	for _, m := range res.Errors {
		diags = append(diags, esbuildDiag(fsys, m))
	}
	if len(res.Errors) > 0 {
		return diags
	}
	outdir, _ := filepath.Abs("out")
	byOut := map[string][]byte{}
	for _, f := range res.OutputFiles {
		rel, _ := filepath.Rel(outdir, f.Path)
		byOut[filepath.ToSlash(rel)] = f.Contents
	}
	// The metafile ties each output to its entry; a CSS file imported from
	// JS is its entry's cssBundle.
	var meta struct {
		Outputs map[string]struct {
			EntryPoint string `json:"entryPoint"`
			CSSBundle  string `json:"cssBundle"`
		} `json:"outputs"`
	}
	if err := json.Unmarshal([]byte(res.Metafile), &meta); err != nil {
		return Diagnostics{{File: "assets", Msg: "reading esbuild's metafile: " + err.Error()}}
	}
	for out, o := range meta.Outputs {
		rel := strings.TrimPrefix(out, "out/")
		data, ok := byOut[rel]
		if !ok {
			continue
		}
		b.files[rel] = data
		if o.EntryPoint == "" {
			continue
		}
		name := path.Base(strings.TrimPrefix(o.EntryPoint, "site:"))
		b.assets[name] = assetFor(rel, data)
		if o.CSSBundle != "" {
			cssRel := strings.TrimPrefix(o.CSSBundle, "out/")
			if css, ok := byOut[cssRel]; ok {
				b.assets[strings.TrimSuffix(name, ".js")+".css"] = assetFor(cssRel, css)
			}
		}
	}
	return nil
}

func assetFor(rel string, data []byte) Asset {
	sum := sha512.Sum384(data)
	return Asset{URL: "/" + rel, Integrity: "sha384-" + base64.StdEncoding.EncodeToString(sum[:])}
}

func esbuildOptions(fsys fs.FS, entries []string) api.BuildOptions {
	return api.BuildOptions{
		EntryPoints:       entries,
		Bundle:            true,
		Write:             false,
		Metafile:          true,
		Outdir:            "out/assets",
		EntryNames:        "[name].[hash]",
		AssetNames:        "[name].[hash]",
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Format:            api.FormatIIFE,
		Target:            api.ES2020,
		Engines:           []api.Engine{{Name: api.EngineChrome, Version: "100"}, {Name: api.EngineFirefox, Version: "100"}, {Name: api.EngineSafari, Version: "15"}},
		Charset:           api.CharsetUTF8,
		LogLevel:          api.LogLevelSilent,
		Loader: map[string]api.Loader{
			".woff2": api.LoaderFile, ".woff": api.LoaderFile, ".svg": api.LoaderFile,
			".png": api.LoaderFile, ".jpg": api.LoaderFile, ".webp": api.LoaderFile,
		},
		Plugins: []api.Plugin{sitePlugin(fsys)},
	}
}

// sitePlugin makes esbuild read the site's files from fsys, so that a build
// over an in-memory file system works the same as one over the disk.
func sitePlugin(fsys fs.FS) api.Plugin {
	return api.Plugin{Name: "site-fs", Setup: func(pb api.PluginBuild) {
		pb.OnResolve(api.OnResolveOptions{Filter: ".*"}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
			p := args.Path
			if args.Kind == api.ResolveEntryPoint {
				p = strings.TrimPrefix(p, "./")
			} else {
				if !strings.HasPrefix(p, "./") && !strings.HasPrefix(p, "../") && !strings.HasPrefix(p, "/") {
					return api.OnResolveResult{Errors: []api.Message{{Text: "cannot import " + quoted(p) + ": only files of assets/ can be imported, with a path starting with ./ or ../"}}}, nil
				}
				if strings.HasPrefix(p, "/") {
					p = strings.TrimPrefix(p, "/")
				} else {
					p = path.Join(path.Dir(args.Importer), p)
				}
			}
			if _, err := fs.Stat(fsys, p); err != nil {
				return api.OnResolveResult{Errors: []api.Message{{Text: "cannot find " + quoted(p)}}}, nil
			}
			return api.OnResolveResult{Path: p, Namespace: "site"}, nil
		})
		pb.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: "site"}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
			data, err := fs.ReadFile(fsys, args.Path)
			if err != nil {
				return api.OnLoadResult{}, err
			}
			s := string(data)
			loader := api.LoaderFile
			switch path.Ext(args.Path) {
			case ".js", ".mjs":
				loader = api.LoaderJS
			case ".css":
				loader = api.LoaderCSS
			case ".json":
				loader = api.LoaderJSON
			}
			return api.OnLoadResult{Contents: &s, Loader: loader}, nil
		})
	}}
}

func esbuildDiag(fsys fs.FS, m api.Message) Diagnostic {
	if m.Location == nil {
		return Diagnostic{File: "assets", Msg: m.Text}
	}
	file := strings.TrimPrefix(m.Location.File, "site:")
	return Diagnostic{File: file, Line: m.Location.Line, Col: m.Location.Column + 1, Msg: m.Text, Source: m.Location.LineText}
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// minifyJS minifies a script that is not bundled (Go's wasm_exec.js); on
// an error it returns the script as it is.
func minifyJS(src []byte) []byte {
	res := api.Transform(string(src), api.TransformOptions{
		Loader: api.LoaderJS, MinifyWhitespace: true, MinifySyntax: true, MinifyIdentifiers: true,
		Target: api.ES2020, Charset: api.CharsetUTF8,
	})
	if len(res.Errors) > 0 {
		return src
	}
	return res.Code
}

// addWasm adds the compiled self-check module and Go's wasm_exec.js,
// fingerprinted like the other assets.
func (b *bundle) addWasm(w Wasm) {
	for _, f := range []struct {
		name, ext string
		data      []byte
	}{{"assess", ".wasm", w.Module}, {"wasm_exec", ".js", minifyJS(w.Support)}} {
		sum := sha512.Sum384(f.data)
		tag := strings.ToUpper(base64.RawURLEncoding.EncodeToString(sum[:])[:8])
		tag = strings.NewReplacer("-", "0", "_", "1").Replace(tag)
		rel := "assets/" + f.name + "." + tag + f.ext
		b.files[rel] = f.data
		b.assets[f.name+f.ext] = assetFor(rel, f.data)
	}
}

// with is the bundle with the wasm added, when there is one: a new
// bundle, the assets' left as esbuild made them.
func (b *bundle) with(w *Wasm) *bundle {
	out := &bundle{assets: maps.Clone(b.assets), files: maps.Clone(b.files)}
	if w != nil {
		out.addWasm(*w)
	}
	return out
}

// key is the key of what templates see of the bundle: every asset's name,
// URL and integrity.
func (b *bundle) key(seed maphash.Seed) sum {
	h := hasher{seed: seed}
	for _, name := range sortedKeys(b.assets) {
		h.str(name)
		h.str(b.assets[name].URL)
		h.str(b.assets[name].Integrity)
	}
	return h.sum
}
