// The questionnaire (templates/partials/selfcheck-app.html), in the spirit
// of the GOV.UK question pages: one question at a time, a Back link, then
// "check your answers" with a change link per answer, then the result and
// the quote form. The state is the URL fragment (fragment.js); every view
// is drawn from it, so reload, back and a shared link all work the same.
// Which question comes next is the rules' answer (walk.js), never the
// page's.

import { isState, parse, format } from "./fragment.js";
import { loadRules } from "./rules.js";
import { walk } from "./walk.js";
import { Question } from "./question.js";
import { showSummary, hideSummary, fieldError, fill } from "./errors.js";
import { render as renderResult } from "./result.js";
import { quoteForm } from "../quote/form.js";

export function selfcheck(root) {
  const byID = (id) => document.getElementById(id);
  const d = root.dataset;
  const kinds = JSON.parse(d.kinds);
  const questions = new Map([...root.querySelectorAll("[data-q]")].map((el) => [el.dataset.q, new Question(el)]));
  const reveals = {};
  for (const q of questions.values()) if (q.textID) reveals[q.id] = { id: q.textID, on: q.on };
  const firstID = [...questions.keys()][0];
  const form = byID("sc-form");
  const back = byID("sc-back");
  const status = byID("sc-status");
  const errors = byID("sc-errors");
  const check = byID("sc-check");
  const result = byID("sc-result");
  const quote = byID("quote");
  const intro = byID("sc-intro");

  let state = parse(location.hash, kinds);
  let view = questions.has(state.view) ? state.view : firstID;
  let assess = null;
  let sent = {}; // the answers the result is made of: what a quote sends
  // Every answer given in this visit. An earlier page in the history holds
  // only the answers given before it; going on from there brings the later
  // ones back, as a person expects.
  const memory = {};
  let summary = [];

  // The rules load when they are needed (rules.js): now for a page that
  // holds answers (a reload, a shared link), else when the visitor first
  // reaches for the form. Nothing else costs the main thread at load.
  // data-rules tells tests and tools where the loading is: "waiting" for a
  // first touch, then "ready".
  let rules = null;
  const startRules = () => {
    rules ??= loadRules(d.wasm, d.wasmIntegrity).then(
      (f) => {
        assess = f;
        root.dataset.rules = "ready";
      },
      () => unavailable(),
    );
    return rules;
  };
  root.dataset.rules = "waiting";
  if (isState(location.hash)) startRules();
  else
    for (const type of ["pointerover", "focusin", "pointerdown", "keydown"])
      form.addEventListener(type, startRules, { once: true, passive: true });
  if (quote) quoteForm(quote, { answers: () => sent, summary: () => summary });

  // ready waits for the rules; quiet is false when someone waits for them
  // and should be told.
  async function ready(quiet) {
    if (!assess) {
      if (!quiet) status.textContent = d.loading;
      await startRules();
      if (assess && !quiet) status.textContent = "";
    }
    return assess;
  }

  // unavailable: the browser cannot run the rules. Show the checklist that
  // visitors without JavaScript get, and how to reach the audit body.
  function unavailable() {
    status.textContent = d.loadFailed;
    const noscript = root.querySelector("noscript");
    if (noscript && !root.querySelector(".sc-nojs")) {
      const t = document.createElement("template");
      t.innerHTML = noscript.textContent; // our own markup, from the template
      status.after(t.content);
    }
    for (const el of [form, back, check, result]) el.hidden = true;
    if (quote) quote.hidden = true;
  }

  function go(next) {
    const hash = "#" + format(next, kinds);
    if (hash === location.hash) show(true);
    else location.hash = hash; // → hashchange → show
  }

  // show draws the view the fragment names. moved: the visitor went
  // somewhere (the focus follows); false on the first load.
  async function show(moved) {
    state = parse(location.hash, kinds);
    Object.assign(memory, state.answers);
    let quiet = moved;
    if (!assess && !moved) {
      // The first load: a question shows at once; "check" and "result"
      // wait for the rules. A first visit shows the first question, which
      // needs no rules: they load when the visitor reaches for the form.
      if (!isState(location.hash)) return draw(firstID, null, false);
      if (questions.has(state.view)) {
        draw(state.view, null, false);
        quiet = true;
      } else {
        form.hidden = true;
      }
    }
    const f = await ready(quiet);
    if (!f) return;
    const w = walk(f, state.answers, reveals);
    for (const id of w.dropped) delete state.answers[id];

    let next = state.view;
    let from = state.from;
    if (questions.has(next)) {
      if (!w.path.includes(next) && !w.plan.includes(next)) next = w.stop || "check";
    } else if (next === "check" || next === "result") {
      if (w.stop) next = w.stop;
    } else {
      next = w.stop || "check";
    }
    if (!questions.has(next)) from = "";
    if (isState(location.hash) && (next !== state.view || from !== state.from || w.dropped.length)) {
      history.replaceState(null, "", "#" + format({ answers: state.answers, view: next, from }, kinds));
      state = { answers: state.answers, view: next, from };
    }
    draw(next, w, moved);
  }

  // draw shows one view: a question, "check", or "result". w is the walk
  // of the answers (null before the rules have loaded).
  function draw(next, w, moved) {
    view = next;
    const answers = state.answers;
    const link = (v, from = "") => "#" + format({ answers, view: v, from }, kinds);
    hideSummary(errors);
    for (const q of questions.values()) {
      q.el.hidden = q.id !== view;
      if (q.id === view) {
        q.write(answers[q.id], answers[q.textID]);
        clearErrors(q);
      }
    }
    form.hidden = !questions.has(view);
    check.hidden = view !== "check";
    result.hidden = view !== "result";
    if (quote) quote.hidden = view !== "result";
    if (intro) intro.hidden = view !== firstID;
    if (!w) return;

    const i = w.path.indexOf(view);
    const j = w.plan.indexOf(view);
    let backTo = "";
    if (j >= 0) {
      // A plan question, after the result: its own count, back to the
      // plan question before it or to the result.
      backTo = j > 0 ? link(w.plan[j - 1]) : link("result");
      const total = w.plan.length + w.result.plan.next.length - (w.planStop ? 1 : 0);
      questions.get(view).progress.textContent = fill(d.progress, { n: j + 1, total: Math.max(total, j + 1) });
    } else if (questions.has(view)) {
      backTo = state.from === "check" ? link("check") : i > 0 ? link(w.path[i - 1]) : "";
      questions.get(view).progress.textContent = fill(d.progress, { n: i + 1, total: Math.max(w.total, i + 1) });
    } else if (view === "check") {
      backTo = link(w.path[w.path.length - 1]);
      drawCheck(w, link);
    } else {
      backTo = link("check");
      sent = w.given;
      const titles = renderResult(result, w.result, w.given);
      const invite = result.querySelector("[data-plan-invite]");
      invite.hidden = !w.planStop;
      invite.querySelector("a").href = w.planStop ? link(w.planStop) : "#";
      summary = [
        result.querySelector(".sc-verdict-heading").textContent.trim() + ": " + titles.verdict,
        ...(titles.track ? [result.querySelector('[data-part="tracks"] h3').textContent.trim() + ": " + titles.track] : []),
        quote.dataset.answersLink + ": " + location.href,
      ];
    }
    back.hidden = !backTo;
    back.href = backTo || "#";
    carryAnswers();
    if (moved) {
      const heading = questions.get(view)?.heading ?? (view === "check" ? byID("sc-check-title") : byID("sc-result-title"));
      heading.focus();
    }
  }

  function drawCheck(w, link) {
    const answers = state.answers;
    const row = byID("sc-t-row").content;
    const rows = [];
    const add = (question, answer, id) => {
      const r = row.cloneNode(true);
      r.querySelector(".sc-summary-key").textContent = question;
      r.querySelector(".sc-summary-value").textContent = answer;
      const a = r.querySelector("a");
      a.href = link(id, "check");
      a.querySelector(".visually-hidden").textContent = " " + question;
      rows.push(r);
    };
    for (const id of w.path) {
      const q = questions.get(id);
      add(q.title, q.label(answers[id]), id);
      if (q.textID && q.revealed(answers[id])) add(q.textQuestion, q.textLabel(answers[q.textID]) || d.notGiven, id);
    }
    byID("sc-summary").replaceChildren(...rows);
    byID("sc-see-result").href = link("result");
  }

  // carryAnswers keeps the answers in the links to this page in other
  // languages and to the quote page.
  function carryAnswers() {
    const hash = Object.keys(state.answers).length ? format({ answers: state.answers, view }, kinds) : "";
    for (const a of document.querySelectorAll(".lang-switch a[hreflang]")) a.hash = hash;
    if (d.quote) {
      const answersOnly = format({ answers: sent }, kinds);
      for (const a of document.querySelectorAll("a[href]")) {
        if (a.pathname === d.quote && a.origin === location.origin) a.hash = view === "result" ? answersOnly : "";
      }
    }
  }

  function clearErrors(q) {
    fieldError(q.el, q.message, q.described, "", d.errorPrefix);
    if (q.text) fieldError(q.reveal, q.textMessage, q.text, "", d.errorPrefix);
  }

  // fail shows the error of the page's question, or of the field it
  // reveals (onText); code picks the field's message for a problem code of
  // the rules (a date after today, before 2014) when it has one.
  function fail(q, onText, code = "") {
    const fieldText = (q.date && code && q.date.dataset[code]) || q.text?.dataset.error;
    const [group, message, described, text, target] = onText
      ? [q.reveal, q.textMessage, q.text, fieldText, q.text]
      : [q.el, q.message, q.described, q.error, q.first];
    fieldError(group, message, described, text, d.errorPrefix);
    showSummary(errors, [{ text, target }], d.errorPrefix);
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const q = questions.get(view);
    if (!q) return;
    clearErrors(q);
    const read = q.read();
    if (!read) return fail(q, false);
    // A revealed date is required and must be a real day.
    if (q.date && q.revealed(read.value) && (read.text === "" || read.text === "invalid")) return fail(q, true);
    const f = await ready();
    if (!f) return;
    const answers = { ...memory, ...state.answers, [q.id]: read.value };
    if (q.textID) {
      if (read.text) answers[q.textID] = read.text;
      else delete answers[q.textID];
      delete memory[q.textID];
    }
    // The rules may refuse the answer (a number too large) or find the
    // revealed text invalid; answers a hand-edited link broke are dropped.
    let r = f(answers);
    for (let guard = 0; r.error && guard < 50; guard++) {
      const keys = r.error.map((p) => p.key);
      if (keys.includes(q.id)) return fail(q, false);
      if (q.textID && keys.includes(q.textID)) return fail(q, true, r.error.find((p) => p.key === q.textID).code);
      for (const k of keys) delete answers[k];
      r = f(answers);
    }
    if (r.error) return fail(q, false);
    if (q.textID && read.text && r.blockers.includes(q.text.dataset.blocker)) return fail(q, true);

    const w = walk(f, answers, reveals);
    const i = w.path.indexOf(q.id);
    let next = state.from === "check" || i < 0 ? w.stop || "check" : w.path[i + 1] || "check";
    if (q.plan) next = w.planStop || "result";
    // This page keeps its answer in the history, for the back button.
    history.replaceState(null, "", "#" + format({ answers, view: q.id, from: state.from }, kinds));
    go({ answers, view: next, from: next === "check" ? "" : state.from });
  });

  window.addEventListener("hashchange", () => {
    if (isState(location.hash) || location.hash === "") show(true);
  });

  // Links to an anchor of this page move the focus there without touching
  // the fragment, which holds the answers.
  document.addEventListener("click", (e) => {
    const a = e.target.closest?.('a[href^="#"]');
    if (!a || e.defaultPrevented || isState(a.hash) || a.hash.length < 2) return;
    const target = document.getElementById(decodeURIComponent(a.hash.slice(1)));
    if (!target) return;
    e.preventDefault();
    const focusable = target.matches("a, button, input, select, textarea, [tabindex]")
      ? target
      : target.querySelector('[tabindex="-1"]') || target;
    focusable.focus();
    if (focusable !== target) target.scrollIntoView({ block: "start" });
  });

  byID("sc-print").addEventListener("click", () => window.print());

  show(false);
}
