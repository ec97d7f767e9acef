// walk finds the questions asked, in order, by asking the rules: with no
// answers, the first of result.next is the first question; with its
// answer, the first of next is the one after; and so on, until a question
// has no answer yet (stop) or the result is complete. Only the rules in
// assess.wasm know which question follows which; this just replays them.
//
// assess is kmopAssess; answers are all the answers kept, also those to
// questions no longer asked; reveals maps a yes/no question to the
// optional text question that its "yes" reveals.
//
// It returns:
//   path     the ids asked, in order; the last is stop when there is one
//   stop     the first question asked without an answer, or ""
//   given    the answers along the path: what the result is made of
//   result   the rules' result for given
//   total    how many questions the path has as far as it is known
//   dropped  ids whose kept answer the rules refused (a hand-edited link)
export function walk(assess, answers, reveals) {
  const path = [];
  const given = {};
  const dropped = [];
  let result = assess(given);
  for (let guard = 0; guard < 100; guard++) {
    const id = result.next[0];
    if (result.complete || !id) {
      return { path, stop: "", given, result, total: path.length, dropped };
    }
    if (!(id in answers) || path.includes(id)) break;
    const text = reveals[id];
    const tried = { ...given, [id]: answers[id] };
    if (text && answers[id] === true && answers[text] !== undefined) tried[text] = answers[text];
    const next = assess(tried);
    if (next.error) {
      dropped.push(id);
      break;
    }
    Object.assign(given, tried);
    path.push(id);
    result = next;
  }
  const stop = result.next[0];
  return { path: [...path, stop], stop, given, result, total: path.length + result.next.length, dropped };
}
