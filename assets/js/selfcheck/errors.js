// Errors as the GOV.UK pattern shows them: a summary at the top that takes
// the focus and links to each field, the message again at the field, and
// the page title starting with the language's word for error.

const titles = new WeakMap(); // document → its title without the prefix

function baseTitle() {
  if (!titles.has(document)) titles.set(document, document.title);
  return titles.get(document);
}

// showSummary fills the summary box with one link per error ({text,
// target}: the message and the element it is about) and focuses it.
export function showSummary(box, errors, prefix) {
  const list = box.querySelector("ul");
  list.replaceChildren(
    ...errors.map(({ text, target }) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = "#" + target.id;
      a.textContent = text;
      a.addEventListener("click", (e) => {
        e.preventDefault();
        if (e.detail > 0) return focusField(target); // a pointer
        // From the keyboard: move once the key is up, or the rest of the
        // Enter would reach the field and send its form.
        let moved = false;
        const move = () => {
          if (!moved) focusField(target);
          moved = true;
        };
        a.addEventListener("keyup", move, { once: true });
        setTimeout(move, 600);
      });
      li.append(a);
      return li;
    }),
  );
  box.hidden = false;
  document.title = prefix + ": " + baseTitle();
  box.focus();
}

// hideSummary empties the box and gives the page its title back.
export function hideSummary(box) {
  box.hidden = true;
  box.querySelector("ul").replaceChildren();
  document.title = baseTitle();
}

// fieldError shows or (with text "") clears the message of a field:
// group is the element that gets the error style, message the element for
// the text, described the element whose aria-describedby names the
// message.
export function fieldError(group, message, described, text, prefix) {
  const ids = (described.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== message.id);
  if (text) {
    const hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = prefix + ": ";
    message.replaceChildren(hidden, text);
    ids.push(message.id);
  } else {
    message.replaceChildren();
  }
  message.hidden = !text;
  group.classList.toggle("has-error", Boolean(text));
  if (ids.length) described.setAttribute("aria-describedby", ids.join(" "));
  else described.removeAttribute("aria-describedby");
}

// focusField moves the focus to a field and shows its label or legend
// above it.
export function focusField(field) {
  const group = field.closest("fieldset, .sc-field, .sc-q, .sc-reveal") || field;
  group.scrollIntoView({ block: "start" });
  field.focus({ preventScroll: true });
}

// fill replaces {name} placeholders of a text.
export function fill(text, vars) {
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}
