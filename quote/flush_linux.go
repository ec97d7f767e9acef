package quote

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// flushBatch makes a batch's files and folders last with one syncfs(2) of
// the outbox's file system: it writes out every dirty file of that file
// system and commits its journal, and waits, at the cost of one fsync
// for the whole batch. fsyncs of each file, even all at once, cost the
// file system a write and a wait each: a few hundred of them took ten
// times as long as one syncfs on an ext4 disk. It also writes out what
// other programs have left dirty on the same file system, which is why
// the outbox is best kept where little else writes (docs/deploy.md).
// Since Linux 5.8 syncfs reports write-back errors.
func flushBatch(batch []*pending) error {
	if len(batch) == 0 {
		return nil
	}
	d, err := os.Open(filepath.Dir(batch[0].tmp))
	if err != nil {
		return err
	}
	defer d.Close()
	for {
		err = unix.Syncfs(int(d.Fd()))
		if err != unix.EINTR {
			return err
		}
	}
}
