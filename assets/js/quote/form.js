// The quote form (templates/partials/quote-form.html): sends the request
// as JSON to the endpoint with an idempotency key, shows the reference when
// it is accepted, the server's field errors with the form's words, and when
// sending fails, a mailto: link to the audit body with a short summary.
// Nothing typed or answered is lost: it all stays in the page.

import { showSummary, hideSummary, fieldError, fill } from "../selfcheck/errors.js";

const CONTACT = ["company", "enterprise_number", "name", "email", "phone", "message"];
// The questions about the audit itself, sent beside the contact details.
const AUDIT = ["preferred_period", "audit_language", "registration_number"];

// The summary in the mailto: link stays under this many characters, and
// the whole link under HREF_LIMIT, which mail programs open reliably.
export const SUMMARY_LIMIT = 1800;
const HREF_LIMIT = 2000;

// quoteForm wires the form of section. answers() gives the self-check's
// answers to send along ({} for none); summary() lines about them for the
// mailto: fallback.
export function quoteForm(section, { answers, summary }) {
  const d = section.dataset;
  const form = section.querySelector("form");
  const errors = section.querySelector(".error-summary");
  const status = section.querySelector(".sc-status");
  const outcome = section.querySelector(".quote-outcome");
  const fields = new Map([...form.querySelectorAll("[data-field]")].map((el) => [el.dataset.field, el]));
  const control = (name) => form.querySelector("#quote-" + name);
  const label = (name) => fields.get(name).querySelector("label").textContent.trim();
  let last = null; // the last request sent and its idempotency key
  let sending = false;

  addMonths(fields.get("preferred_period"), control("preferred_period"));
  // A field shown only for some audits (the registration number, for a
  // follow-up or renewal) follows the answers' audit_kind: when the form
  // is shown, and when the answers in the fragment change.
  const sync = () => {
    const kind = answers().audit_kind;
    for (const el of fields.values()) {
      if (el.dataset.showFor) el.hidden = !el.dataset.showFor.split(" ").includes(kind);
    }
  };
  sync();
  new MutationObserver(sync).observe(section, { attributes: true, attributeFilter: ["hidden"] });
  window.addEventListener("hashchange", () => queueMicrotask(sync));

  function clearErrors() {
    hideSummary(errors);
    for (const [name, el] of fields) {
      fieldError(el, el.querySelector(".sc-error-message"), control(name), "", d.errorPrefix);
    }
  }

  // showErrors shows [{field, code}] and reports whether it had words for
  // them all; when it has not, it shows nothing.
  function showErrors(list) {
    const shown = [];
    for (const { field, code } of list) {
      const name = field.replace(/^contact\./, "");
      const el = fields.get(name);
      const text = el?.getAttribute("data-error-" + code);
      if (!text) return false;
      if (!shown.some((s) => s.name === name)) shown.push({ name, el, text, target: control(name) });
    }
    for (const { el, text, target } of shown) {
      fieldError(el, el.querySelector(".sc-error-message"), target, text, d.errorPrefix);
    }
    showSummary(errors, shown, d.errorPrefix);
    return true;
  }

  function show(...children) {
    outcome.replaceChildren(...children);
    outcome.hidden = false;
    outcome.focus();
  }

  function accepted(id) {
    clearErrors();
    form.hidden = true;
    const [before, after] = d.accepted.split("{reference}");
    const p = document.createElement("p");
    const ref = document.createElement("strong");
    ref.className = "quote-reference";
    ref.textContent = id;
    p.append(before, ...(after === undefined ? [] : [ref, after]));
    outcome.className = "quote-outcome is-accepted";
    show(p);
  }

  function failed(message, contact) {
    const p = document.createElement("p");
    p.textContent = message;
    const a = document.createElement("a");
    a.className = "button button-secondary quote-mailto";
    a.href = mailto(contact);
    a.textContent = fill(d.mailtoText, { email: d.mailto });
    const q = document.createElement("p");
    q.append(a);
    outcome.className = "quote-outcome is-failed";
    show(p, q);
  }

  function mailto(contact) {
    const subject = fill(d.mailtoSubject, { company: contact.company.trim() });
    const lines = [d.mailtoIntro, ""];
    for (const name of CONTACT.slice(0, -1)) {
      if (contact[name].trim()) lines.push(label(name) + ": " + contact[name].trim());
    }
    for (const name of AUDIT) {
      const c = control(name);
      const value = c.tagName === "SELECT" ? c.selectedOptions[0]?.textContent.trim() : c.value.trim();
      if (value && !fields.get(name).hidden) lines.push(label(name) + ": " + value);
    }
    const more = summary();
    if (more.length) lines.push("", ...more);
    const href = (body) =>
      `mailto:${d.mailto}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
    const fits = (body) => body.length < SUMMARY_LIMIT && href(body).length <= HREF_LIMIT;
    const withMessage = (m, cut) =>
      (m ? [...lines, "", label("message") + ":", m + (cut ? "…" : "")] : lines).join("\r\n");
    let message = [...contact.message.trim()];
    let body = withMessage(message.join(""), false);
    while (!fits(body) && message.length) {
      message = message.slice(0, Math.floor(message.length * 0.8));
      body = withMessage(message.join(""), true);
    }
    while (!fits(body)) body = [...body].slice(0, Math.floor([...body].length * 0.9)).join("");
    return href(body);
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (sending) return;
    const contact = {};
    for (const name of CONTACT) contact[name] = control(name).value;
    const consent = control("consent").checked;
    const website = form.querySelector("#quote-website").value;

    sync();
    const audit = {};
    for (const name of AUDIT) {
      const value = control(name).value.trim();
      if (value && !fields.get(name).hidden) audit[name] = value;
    }

    clearErrors();
    const missing = [];
    for (const [name, el] of fields) {
      const c = control(name);
      const empty = c.type === "checkbox" ? !c.checked : c.value.trim() === "";
      if (c.required && empty) missing.push({ field: name, code: "required" });
    }
    if (missing.length) {
      showErrors(missing);
      return;
    }

    const body = JSON.stringify({ lang: d.lang, answers: answers(), contact, consent, website, ...audit });
    if (!last || last.body !== body) last = { body, key: newKey() };
    sending = true;
    status.textContent = d.sending;
    let res;
    try {
      res = await fetch(d.endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": last.key },
        body,
        credentials: "same-origin",
      });
    } catch {
      failed(d.failedNetwork, contact);
      return;
    } finally {
      sending = false;
      status.textContent = "";
    }
    const data = await res.json().catch(() => ({}));
    if (res.status === 202 && data.id) {
      accepted(data.id);
    } else if (res.status === 400 && Array.isArray(data.errors) && showErrors(data.errors)) {
      // the person can fix these
    } else if (res.status === 429) {
      const minutes = Math.max(1, Math.ceil(Number(res.headers.get("Retry-After")) / 60) || 1);
      failed(fill(d.failedBusy, { minutes }), contact);
    } else {
      failed(d.failedServer, contact);
    }
  });
}

// addMonths adds the next twelve months, from the visitor's day, to the
// preferred period's choices, after "as soon as possible": values YYYY-MM,
// labels from the field's month names and format.
function addMonths(field, select) {
  if (!field?.dataset.months || select.options.length > 1) return;
  const names = field.dataset.months.split("|");
  const now = new Date();
  for (let i = 1; i <= 12; i++) {
    const at = new Date(now.getFullYear(), now.getMonth() + i, 1);
    const month = at.getMonth();
    const option = document.createElement("option");
    option.value = at.getFullYear() + "-" + String(month + 1).padStart(2, "0");
    option.textContent = fill(field.dataset.period, { month: names[month], year: at.getFullYear() });
    select.append(option);
  }
}

// newKey makes an idempotency key: one per request, kept for its retries.
function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
}
