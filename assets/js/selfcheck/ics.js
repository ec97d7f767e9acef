// An iCalendar file (RFC 5545) with one all-day event: the reminder six
// months before a follow-up or renewal audit is due. It is made in the
// page, in the page's language, and offered as a data: URL.

// escapeText escapes a TEXT value (RFC 5545 §3.3.11): backslash,
// semicolon, comma and line breaks.
export function escapeText(s) {
  return s.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r\n|\r|\n/g, "\\n");
}

// fold splits a content line into lines of at most 75 octets (RFC 5545
// §3.1), each continuation starting with a space, never inside a UTF-8
// sequence.
export function fold(line) {
  const enc = new TextEncoder();
  const out = [];
  let cur = "";
  let octets = 0;
  for (const ch of line) {
    const n = enc.encode(ch).length;
    const limit = out.length === 0 ? 75 : 74; // a continuation's space counts
    if (octets + n > limit) {
      out.push(cur);
      cur = "";
      octets = 0;
    }
    cur += ch;
    octets += n;
  }
  out.push(cur);
  return out.join("\r\n ");
}

const compact = (day) => day.replace(/-/g, "");

// nextDay returns the day after a YYYY-MM-DD day, compact (YYYYMMDD).
function nextDay(day) {
  const [y, m, d] = day.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + 1));
  return t.toISOString().slice(0, 10).replace(/-/g, "");
}

// calendar returns the text of the calendar: {product} names the site in
// PRODID, {uid} is stable for the same audit and due date, {now} a Date
// for DTSTAMP, {day} the reminder's YYYY-MM-DD, {summary} and
// {description} the event's words, {lang} the page's language.
export function calendar({ product, uid, now, day, summary, description, lang }) {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.[0-9]+/, "");
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//" + product.replace(/\/\//g, "/") + "//KMOP self-check//" + lang.toUpperCase(),
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    "UID:" + uid,
    "DTSTAMP:" + stamp,
    "DTSTART;VALUE=DATE:" + compact(day),
    "DTEND;VALUE=DATE:" + nextDay(day),
    "SUMMARY;LANGUAGE=" + lang + ":" + escapeText(summary),
    "DESCRIPTION;LANGUAGE=" + lang + ":" + escapeText(description),
    "TRANSP:TRANSPARENT",
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(fold).join("\r\n") + "\r\n";
}

// dataURL returns the calendar as a data: URL.
export function dataURL(text) {
  return "data:text/calendar;charset=utf-8," + encodeURIComponent(text);
}
