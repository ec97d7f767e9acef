package build

import (
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
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			dir := b.TempDir()
			gen := exec.Command("go", "run", "kmopsite/scripts/gencorpus", "-pages", fmt.Sprint(n), "-out", dir)
			gen.Stderr = os.Stderr
			if err := gen.Run(); err != nil {
				b.Fatalf("generating the corpus: %v", err)
			}
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
