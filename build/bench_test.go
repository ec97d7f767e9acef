package build

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkBuild builds a generated trilingual corpus (scripts/gencorpus,
// the corpus of make bench) from source to an empty destination:
//
//	go test ./build -run '^$' -bench Build -cpuprofile cpu.out
//	go tool pprof -top build.test cpu.out
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			dir := corpus(b, n)
			src, dest := filepath.Join(dir, "kmopsite"), filepath.Join(dir, "out")
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				if err := os.RemoveAll(dest); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				r := Run(context.Background(), Options{Source: src, Dest: dest})
				if !r.OK() {
					b.Fatalf("the corpus does not build:\n%s", r.Diagnostics.Format(10))
				}
			}
		})
	}
}

// BenchmarkRebuild is serve's work for an editor's save: a Builder that
// has built the corpus builds again after one page changed (what make
// bench-serve times end to end, without the watcher and the browser):
// its text, which only that page shows, or its title, which its section,
// its translations and the sitemap show too.
func BenchmarkRebuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		for _, edit := range []string{"text", "title"} {
			b.Run(fmt.Sprint(n, "/", edit), func(b *testing.B) {
				src := filepath.Join(corpus(b, n), "kmopsite")
				page := "content/nl/sectie-1/pagina-1.md"
				orig, err := os.ReadFile(filepath.Join(src, page))
				if err != nil {
					b.Fatal(err)
				}
				builder := NewBuilder(Options{Source: src, Drafts: true, NoWasm: true})
				defer builder.Close()
				if r := builder.Build(context.Background(), Changes{}); !r.OK() {
					b.Fatalf("the corpus does not build:\n%s", r.Diagnostics.Format(10))
				}
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					i++
					b.StopTimer()
					edited := fmt.Appendf(orig, "\nEdit %d.\n", i)
					if edit == "title" {
						edited = bytes.Replace(orig, []byte("title: "), fmt.Appendf(nil, "title: %d ", i), 1)
					}
					if err := os.WriteFile(filepath.Join(src, page), edited, 0o644); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					r := builder.Build(context.Background(), Changes{Content: []string{page}})
					if edit == "text" && r.Rendered != 1 {
						b.Fatalf("rendered %d pages, want 1", r.Rendered)
					}
				}
			})
		}
	}
}

// corpus generates the corpus of make bench with n pages in a temporary
// folder.
func corpus(b *testing.B, n int) string {
	dir := b.TempDir()
	gen := exec.Command("go", "run", "kmopsite/scripts/gencorpus", "-pages", fmt.Sprint(n), "-out", dir)
	gen.Stderr = os.Stderr
	if err := gen.Run(); err != nil {
		b.Fatalf("generating the corpus: %v", err)
	}
	return dir
}
