package quote

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// The outbox holds personal data (names, addresses, phone numbers, the
// answers): it is kept no longer than the site's retention period, and an
// applicant's requests are deleted on request (GDPR, art. 17).

// Purge deletes the requests received before cutoff, with their mails,
// wherever they are (waiting, sent, failed), and returns their ids.
// kmopsite host runs it once a day with site.yaml's quote.retention_days.
func Purge(dir string, cutoff time.Time) ([]string, error) {
	return removeWhere(dir, func(rec storedRecord) bool {
		t, err := time.Parse(time.RFC3339, rec.Received)
		return err == nil && t.Before(cutoff)
	})
}

// Forget deletes every request of the applicant with this e-mail address
// (compared as mail systems do: the domain in any case), with its mails,
// and returns their ids: `kmopsite quotes forget`, for an erasure request.
func Forget(dir, email string) ([]string, error) {
	want := CapKey(strings.TrimSpace(email))
	return removeWhere(dir, func(rec storedRecord) bool {
		return CapKey(rec.Contact.Email) == want
	})
}

// storedRecord is what Purge and Forget read of a request.json.
type storedRecord struct {
	Received string  `json:"received"`
	Contact  Contact `json:"contact"`
}

// removeWhere deletes the stored requests that match, in outbox/<id>,
// outbox/sent/<id> and outbox/failed/<id>. A request the sender moves
// while it looks is looked for again, so that none slips through.
func removeWhere(dir string, match func(storedRecord) bool) ([]string, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, err
	}
	removed := map[string]bool{}
	for pass := 0; pass < 2; pass++ {
		for _, sub := range []string{"", sentDir, failedDir} {
			parent := filepath.Join(dir, sub)
			es, err := os.ReadDir(parent)
			if err != nil {
				if os.IsNotExist(err) {
					continue
				}
				return sortedKeys(removed), err
			}
			for _, e := range es {
				if !e.IsDir() || !validID(e.Name()) {
					continue
				}
				p := filepath.Join(parent, e.Name())
				data, err := os.ReadFile(filepath.Join(p, recordName))
				if err != nil {
					continue // moved meanwhile: the next pass finds it
				}
				var rec storedRecord
				if json.Unmarshal(data, &rec) != nil || !match(rec) {
					continue
				}
				if err := os.RemoveAll(p); err != nil {
					return sortedKeys(removed), err
				}
				removed[e.Name()] = true
			}
		}
	}
	if len(removed) > 0 {
		for _, sub := range []string{"", sentDir, failedDir} {
			syncDir(filepath.Join(dir, sub))
		}
	}
	return sortedKeys(removed), nil
}

func sortedKeys(m map[string]bool) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
