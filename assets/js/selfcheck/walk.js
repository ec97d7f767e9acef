// walk finds the questions asked, in order, by asking the rules: with no
// answers, the first of result.next is the first question; with its
// answer, the first of next is the one after; and so on, until a question
// has no answer yet (stop) or the result is complete. Then it goes on the
// same way through the plan questions (result.plan.next), which follow a
// prepare or ready verdict. Only the rules in assess.wasm know which
// question follows which; this just replays them.
//
// assess is kmopAssess; answers are all the answers kept, also those to
// questions no longer asked; reveals maps a question to the question its
// page also holds: {id, on}, the answers of the first that reveal the
// second (an optional text for "yes", registration_date for a follow-up
// or renewal).
//
// It returns:
//   path      the ids asked, in order; the last is stop when there is one
//   stop      the first question asked without an answer, or ""
//   plan      the plan questions answered, in order, then planStop if any
//   planStop  the first plan question unanswered, or ""
//   given     the answers along both paths: what the result is made of
//   result    the rules' result for given
//   total     how many questions the path has as far as it is known
//   dropped   ids whose kept answer the rules refused (a hand-edited link)
export function walk(assess, answers, reveals) {
  const path = [];
  const plan = [];
  const given = {};
  const dropped = [];
  let result = assess(given);
  // step adds the answer to id (and what its page reveals); false when it
  // cannot: unanswered, refused, or its page's own field missing.
  const step = (id) => {
    if (!(id in answers) || path.includes(id) || plan.includes(id)) return false;
    const r = reveals[id];
    const tried = { ...given, [id]: answers[id] };
    if (r && r.on.includes(answers[id]) && answers[r.id] !== undefined) tried[r.id] = answers[r.id];
    let next = assess(tried);
    if (next.error && r && r.id in tried && next.error.some((p) => p.key === r.id)) {
      dropped.push(r.id);
      delete tried[r.id];
      next = assess(tried);
    }
    if (next.error) {
      dropped.push(id);
      return false;
    }
    if (r && next.next[0] === r.id) return false; // the page is not done
    Object.assign(given, tried);
    result = next;
    return true;
  };
  for (let guard = 0; guard < 100; guard++) {
    const id = result.next[0];
    if (result.complete || !id) break;
    if (!step(id)) {
      const stop = result.next[0];
      return { path: [...path, stop], stop, plan, planStop: "", given, result, total: path.length + result.next.length, dropped };
    }
    path.push(id);
  }
  for (let guard = 0; guard < 10; guard++) {
    const id = result.plan.next[0];
    if (!id || !step(id)) break;
    plan.push(id);
  }
  const planStop = result.plan.next[0] || "";
  return { path, stop: "", plan: planStop ? [...plan, planStop] : plan, planStop, given, result, total: path.length, dropped };
}
