package build_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
)

// TestCalendarParses runs the page's iCalendar code (assets/js/selfcheck/
// ics.js) in Node and reads what it makes with a real iCalendar parser,
// github.com/arran4/golang-ical: CRLF line endings, no line over 75
// octets, VERSION 2.0, PRODID, a stable UID, DTSTAMP, an all-day event on
// the reminder day whose texts come back unescaped as written (commas,
// semicolons, backslashes, accents and € across a fold).
func TestCalendarParses(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not on PATH: the page's calendar is not checked")
	}
	module, err := filepath.Abs(filepath.Join("..", "assets", "js", "selfcheck", "ics.js"))
	if err != nil {
		t.Fatal(err)
	}
	summary := "Planifier l’audit KMOP : au plus tard le 28 février 2026"
	description := "Votre audit de suivi doit avoir lieu au plus tard le 28 février 2026; demandez un devis, préparez vos documents (statuts, comptes) et 100 € de marge\\ ééééééééééééééééééééééééééééééééééééééééé: https://www.example.be/fr/autotest/"
	script := `import { calendar } from "` + "file://" + filepath.ToSlash(module) + `";
const [summary, description] = JSON.parse(process.argv[1]);
process.stdout.write(calendar({
  product: "Kiwa Belgium // audits", uid: "kmop-follow_up-20260228-reminder@www.example.be",
  now: new Date(Date.UTC(2026, 0, 10, 9, 30, 5, 120)), day: "2025-08-28",
  summary, description, lang: "fr",
}));`
	args, _ := json.Marshal([]string{summary, description})
	cmd := exec.Command(node, "--input-type=module", "-e", script, string(args))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	if os.Getenv("ICS_DUMP") != "" {
		t.Logf("%s", out)
	}

	text := string(out)
	if !strings.HasSuffix(text, "\r\n") || strings.Count(text, "\n") != strings.Count(text, "\r\n") || strings.Count(text, "\r") != strings.Count(text, "\r\n") {
		t.Error("lines must end in CRLF, and only there")
	}
	folded := 0
	for _, line := range strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("a line of %d octets: %q", len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("a fold splits a character: %q", line)
		}
		if strings.HasPrefix(line, " ") {
			folded++
		}
	}
	if folded < 3 {
		t.Errorf("only %d continuation lines: the long texts were not folded", folded)
	}

	cal, err := ics.ParseCalendar(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("the calendar does not parse: %v\n%s", err, out)
	}
	prop := func(p ics.Property) string {
		for _, cp := range cal.CalendarProperties {
			if cp.IANAToken == string(p) {
				return cp.Value
			}
		}
		return ""
	}
	if prop(ics.PropertyVersion) != "2.0" {
		t.Errorf("VERSION %q", prop(ics.PropertyVersion))
	}
	if got := prop(ics.PropertyProductId); !strings.HasPrefix(got, "-//Kiwa Belgium / audits//") {
		t.Errorf("PRODID %q", got)
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d events, want 1", len(events))
	}
	e := events[0]
	if e.Id() != "kmop-follow_up-20260228-reminder@www.example.be" {
		t.Errorf("UID %q", e.Id())
	}
	if stamp, err := e.GetDtStampTime(); err != nil || !stamp.Equal(time.Date(2026, 1, 10, 9, 30, 5, 0, time.UTC)) {
		t.Errorf("DTSTAMP %v, %v", stamp, err)
	}
	start := e.GetProperty(ics.ComponentPropertyDtStart)
	if start == nil || start.Value != "20250828" || len(start.ICalParameters["VALUE"]) != 1 || start.ICalParameters["VALUE"][0] != "DATE" {
		t.Errorf("DTSTART %+v, want an all-day 20250828", start)
	}
	if day, err := e.GetAllDayStartAt(); err != nil || day.Format("2006-01-02") != "2025-08-28" {
		t.Errorf("all-day start %v, %v", day, err)
	}
	if end, err := e.GetAllDayEndAt(); err != nil || end.Format("2006-01-02") != "2025-08-29" {
		t.Errorf("all-day end %v, %v", end, err)
	}
	for _, c := range []struct {
		p    ics.ComponentProperty
		want string
	}{{ics.ComponentPropertySummary, summary}, {ics.ComponentPropertyDescription, description}} {
		p := e.GetProperty(c.p)
		if p == nil || ics.FromText(p.Value) != c.want {
			t.Errorf("%s reads back as %q, want %q", c.p, p, c.want)
		}
	}
}
