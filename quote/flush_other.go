//go:build !linux

package quote

// flushBatch makes a batch's files and folders last: where there is no
// syncfs(2), by an fsync of each (flush_linux.go has the faster way).
func flushBatch(batch []*pending) error { return syncEach(batch) }
