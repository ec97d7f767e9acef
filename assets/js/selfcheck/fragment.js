// The self-check keeps its state in the URL fragment, so that a reload, the
// back button and a shared link bring it back, and nothing leaves the
// browser:
//
//   #view=years_active&audit_body=no&services=training,advice&years_active=2
//
// view is the page shown (a question id, "check" or "result"); from=check
// marks a change made from the "check your answers" page. Every other key
// is a question id (docs/rules.md) with its answer: yes or no, a choice,
// a whole number, choices separated by commas (empty: none of them), a day
// YYYY-MM-DD, or text. Values that do not fit their question are dropped.

// isState reports whether a fragment holds state rather than naming an
// anchor such as #main.
export function isState(hash) {
  return hash.includes("=");
}

// parse reads the fragment. kinds lists the questions as the page
// describes them: [{id, kind, choices}].
export function parse(hash, kinds) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const answers = {};
  for (const q of kinds) {
    const raw = params.get(q.id);
    if (raw === null) continue;
    const value = decode(q, raw);
    if (value !== undefined) answers[q.id] = value;
  }
  return { answers, view: params.get("view") || "", from: params.get("from") || "" };
}

function decode(q, raw) {
  switch (q.kind) {
    case "yes_no":
      return raw === "yes" ? true : raw === "no" ? false : undefined;
    case "readiness":
    case "choice":
      return q.choices.includes(raw) ? raw : undefined;
    case "date":
      return /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(raw) ? raw : undefined;
    case "number":
      return /^[0-9]{1,9}$/.test(raw) ? Number(raw) : undefined;
    case "multi_choice": {
      const list = raw === "" ? [] : raw.split(",");
      return list.every((c) => q.choices.includes(c)) ? list : undefined;
    }
    case "text":
      return raw.trim() === "" ? undefined : raw;
  }
  return undefined;
}

// format writes the state as a fragment, without the "#", the answers in
// question order.
export function format({ answers, view = "", from = "" }, kinds) {
  const parts = [];
  if (view) parts.push("view=" + enc(view));
  if (from) parts.push("from=" + enc(from));
  for (const q of kinds) {
    const v = answers[q.id];
    if (v === undefined) continue;
    let raw;
    if (q.kind === "yes_no") raw = v ? "yes" : "no";
    else if (Array.isArray(v)) raw = v.join(",");
    else raw = String(v);
    parts.push(q.id + "=" + enc(raw));
  }
  return parts.join("&");
}

function enc(s) {
  return encodeURIComponent(s).replace(/%2C/g, ",");
}
