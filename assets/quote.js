// The quote page: the quote form alone. When the URL fragment carries the
// self-check's answers (the self-check links here with them), they are sent
// along with the request.
import { isState, parse, format } from "./js/selfcheck/fragment.js";
import { quoteForm } from "./js/quote/form.js";

const section = document.getElementById("quote");
if (section) {
  const d = section.dataset;
  const kinds = JSON.parse(d.kinds);
  let answers = {};
  const intro = section.querySelector(".quote-intro");
  const update = () => {
    if (location.hash && !isState(location.hash)) return; // an anchor such as #main
    answers = parse(location.hash, kinds).answers;
    intro.hidden = Object.keys(answers).length === 0;
  };
  update();
  window.addEventListener("hashchange", update);
  quoteForm(section, {
    answers: () => answers,
    summary: () =>
      Object.keys(answers).length && d.selfcheck
        ? [d.answersLink + ": " + new URL(d.selfcheck + "#" + format({ answers, view: "result" }, kinds), location.href).href]
        : [],
  });
}
