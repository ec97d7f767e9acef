package assess_test

import (
	"testing"

	"kmopsite/assess"
)

func BenchmarkEvaluate(b *testing.B) {
	a := baseline(day)
	for b.Loop() {
		assess.Evaluate(a)
	}
}
