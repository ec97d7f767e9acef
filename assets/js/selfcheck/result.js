// The result page: copies the words of each code of the rules' result from
// its <template> (templates/partials/selfcheck-result.html) into the
// section, and hides the parts a result leaves empty. It decides nothing.

function words(section, code) {
  const t = document.getElementById(`sc-t-${section}-${code}`);
  return t ? t.content.cloneNode(true) : document.createDocumentFragment();
}

// render shows result in the section and returns the verdict's and the
// track's titles, for the summary of a quote request sent by email.
export function render(el, result) {
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

  const title = (sel) => el.querySelector(sel)?.textContent.trim() ?? "";
  return { verdict: title(".sc-verdict-title"), track: result.track ? title(".sc-track-title") : "" };
}
