// The result page: copies the words of each code of the rules' result from
// its <template> (templates/partials/selfcheck-result.html) into the
// section, and hides the parts a result leaves empty. It decides nothing.

import { calendar, dataURL } from "./ics.js";
import { fill } from "./errors.js";

function words(section, code) {
  const t = document.getElementById(`sc-t-${section}-${code}`);
  return t ? t.content.cloneNode(true) : document.createDocumentFragment();
}

// render shows result in the section and returns the verdict's and the
// track's titles, for the summary of a quote request sent by email.
export function render(el, result, answers = {}) {
  const slot = (name) => el.querySelector(`[data-slot="${name}"]`);
  const part = (name) => el.querySelector(`[data-part="${name}"]`);
  const list = (name, codes) => {
    slot(name).replaceChildren(...codes.map((c) => words(name, c)));
    part(name).hidden = codes.length === 0;
  };

  el.dataset.verdict = result.verdict;
  el.dataset.track = result.track;
  el.querySelector("#sc-verdict").className = "sc-panel sc-verdict-" + result.verdict;
  slot("verdicts").replaceChildren(words("verdicts", result.verdict));
  list("blockers", result.blockers);
  list("warnings", result.warnings);
  list("exemptions", result.possible_exemptions);
  list("steps", result.steps);
  slot("tracks").replaceChildren(result.track ? words("tracks", result.track) : "");
  part("tracks").hidden = !result.track;

  const statuses = document.getElementById("sc-t-statuses").content;
  for (const { id, status } of result.requirements) {
    const tag = el.querySelector(`[data-status-of="${id}"]`);
    if (!tag) continue;
    tag.textContent = statuses.querySelector(`[data-status="${status}"]`)?.textContent ?? status;
    tag.className = "sc-tag sc-tag-" + status;
    tag.closest("[data-req]").dataset.status = status;
  }
  // Before anything about them is answered (a blocker came first), the
  // five requirements have nothing to say.
  part("requirements").hidden = result.requirements.every((r) => r.status === "unknown");

  renderPlan(el, result, answers);

  const title = (sel) => el.querySelector(sel)?.textContent.trim() ?? "";
  return { verdict: title(".sc-verdict-title"), track: result.track ? title(".sc-track-title") : "" };
}

// renderPlan fills the plan (the part with data-plan) from result.plan:
// the audit, what it tests, the exemptions to claim, the documents as a
// checklist in order, the due date with a calendar reminder. It shows the
// plan only after a prepare or ready verdict.
export function renderPlan(el, result, answers = {}, now = new Date()) {
  const part = el.querySelector("[data-plan]");
  const plan = result.plan;
  const shown = result.verdict === "prepare" || result.verdict === "ready";
  part.hidden = !shown || !plan.audit;
  if (part.hidden) return;
  const d = part.dataset;
  const lang = document.documentElement.lang || "nl";

  part.querySelector('[data-slot="audits"]').replaceChildren(words("audits", plan.audit));
  const auditTitle = part.querySelector(".sc-audit-title")?.textContent.trim() ?? plan.audit;
  part.querySelector("[data-plan-audited]").replaceChildren(
    ...plan.audited.map((id) => {
      const li = document.createElement("li");
      li.textContent = el.querySelector(`[data-req="${id}"] .sc-item-title`)?.textContent ?? id;
      return li;
    }),
  );
  const exemptions = part.querySelector("[data-plan-exemptions]");
  exemptions.hidden = result.possible_exemptions.length === 0;
  part.querySelector("[data-plan-exemption-list]").replaceChildren(
    ...result.possible_exemptions.map((c) => {
      const li = document.createElement("li");
      li.textContent = document.getElementById(`sc-t-exemptions-${c}`)?.content.querySelector(".sc-item-title")?.textContent ?? c;
      return li;
    }),
  );
  part.querySelector("[data-plan-documents]").replaceChildren(...plan.documents.map((c) => words("documents", c)));
  renderEstimate(part, plan.audit, answers, lang);

  const due = part.querySelector("[data-plan-due]");
  due.hidden = !plan.reminder_date;
  const link = due.querySelector("[data-plan-ics]");
  if (!plan.reminder_date) {
    link.removeAttribute("href");
    return;
  }
  const day = (s) => {
    const [y, m, dd] = s.split("-").map(Number);
    return new Intl.DateTimeFormat(lang, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(
      new Date(Date.UTC(y, m - 1, dd)),
    );
  };
  const audit = auditTitle.toLowerCase();
  const vars = { audit, due: day(plan.due_date), reminder: day(plan.reminder_date), url: location.origin + location.pathname };
  const overdue = result.warnings.includes("audit_overdue");
  due.querySelector("[data-plan-due-text]").textContent = fill(overdue ? d.overdueText : d.dueText, vars);
  link.textContent = fill(d.reminderLink, vars);
  const text = calendar({
    product: d.product,
    uid: `kmop-${plan.audit}-${plan.due_date.replace(/-/g, "")}-reminder@${location.hostname || "localhost"}`,
    now,
    day: plan.reminder_date,
    summary: fill(d.icsSummary, vars),
    description: fill(d.icsDescription, vars),
    lang,
  });
  link.href = dataURL(text);
  link.download = `kmop-${plan.audit}-${plan.due_date}.ics`;
}

// renderEstimate fills the plan's indicative cost (docs/rules.md, "the
// estimate"; site.yaml's estimate: section, in data-estimate): the range
// for the audit, the services and the sites in Belgium, excluding VAT (the
// element's data-estimate-low and data-estimate-high, whole euro), the
// VAT and the range including it.
function renderEstimate(part, audit, answers, lang) {
  const box = part.querySelector("[data-plan-estimate]");
  if (!box) return;
  const e = JSON.parse(box.dataset.estimate);
  const hours = e.hours[audit];
  const range = box.querySelector("[data-estimate-range]");
  box.hidden = !hours;
  if (!hours) return;
  const services = Math.max(1, (answers.services || []).length);
  const sites = Math.max(1, answers.sites_belgium || 1);
  const [hLow, hHigh] = [0, 1].map((i) => hours[i] + e.extra_service[i] * (services - 1) + e.extra_site[i] * (sites - 1));
  const [low, high] = [hLow * e.hourly_rate, hHigh * e.hourly_rate];
  const vat = (n) => Math.round((n * e.vat_percent) / 100);
  const money = new Intl.NumberFormat(lang, { style: "currency", currency: "EUR", maximumFractionDigits: 0, minimumFractionDigits: 0 });
  const m = (n) => money.format(n);
  const vars = {
    low: m(low), high: m(high), vat: e.vat_percent, vat_low: m(vat(low)), vat_high: m(vat(high)),
    incl_low: m(low + vat(low)), incl_high: m(high + vat(high)),
    hours_low: hLow, hours_high: hHigh, rate: m(e.hourly_rate),
  };
  range.dataset.estimateLow = String(low);
  range.dataset.estimateHigh = String(high);
  range.querySelector("strong").textContent = fill(box.dataset.excl, vars);
  box.querySelector("[data-estimate-vat]").textContent = fill(box.dataset.vatText, vars);
  box.querySelector("[data-estimate-incl]").textContent = fill(box.dataset.incl, vars);
  box.querySelector("[data-estimate-basis]").textContent = fill(box.dataset.basis, vars);
}
