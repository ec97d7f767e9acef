// One page of the questionnaire, as the template renders it
// (templates/partials/selfcheck-question.html): reads the answer from its
// inputs and puts a kept answer back into them. A page may hold a second
// question that one of its answers reveals: an optional text ("yes" reveals
// it) or a required date (registration_date, revealed by some choices).

export class Question {
  constructor(el) {
    this.el = el;
    this.id = el.dataset.q;
    this.kind = el.dataset.kind;
    this.error = el.dataset.error;
    this.plan = "planQ" in el.dataset;
    this.heading = el.querySelector(".sc-question");
    this.progress = el.querySelector(".sc-progress");
    const label = this.heading.querySelector("label");
    this.title = (label ? label.textContent : this.heading.textContent.replace(this.progress.textContent, "")).trim();
    this.message = el.querySelector("#sc-err-" + this.id);
    this.inputs = [...el.querySelectorAll(`input[name="${this.id}"]`)];
    this.reveal = el.querySelector(".sc-reveal");
    this.text = el.querySelector("[data-text-q]"); // the field "yes" reveals
    this.date = el.querySelector("[data-date-q]"); // the date some choices reveal
    // on: the answers that reveal the second question.
    this.on = [true];
    const field = this.text || this.date;
    if (field) {
      this.textID = field.dataset.textQ || field.dataset.dateQ;
      this.textMessage = el.querySelector("#sc-err-" + this.textID);
      this.textQuestion = field.dataset.question;
    }
    if (this.date) {
      this.on = this.reveal.dataset.revealOn.split(" ");
      this.dateInputs = ["day", "month", "year"].map((p) => el.querySelector(`#sc-${this.textID}-${p}`));
      this.text = this.dateInputs[0]; // what the errors point at
      this.text.dataset.error = this.date.dataset.error;
    }
    el.addEventListener("change", (e) => this.changed(e.target));
  }

  // The element that a screen reader describes the question by.
  get described() {
    return this.kind === "number" ? this.inputs[0] : this.el;
  }

  // The input to focus when the answer is missing or wrong.
  get first() {
    return this.inputs.find((i) => i.checked) || this.inputs[0];
  }

  changed(input) {
    if (this.kind === "multi_choice" && input.checked) {
      // "None of these" and the choices exclude each other.
      const none = "none" in input.dataset;
      for (const i of this.inputs) if (i !== input && ("none" in i.dataset) !== none) i.checked = false;
    }
    this.showReveal();
  }

  // revealed reports whether the page's answer value reveals the second
  // question.
  revealed(value) {
    return this.on.includes(value);
  }

  showReveal() {
    if (!this.reveal) return;
    const checked = this.inputs.find((i) => i.checked);
    const value = this.kind === "yes_no" ? checked?.value === "yes" : checked?.value;
    this.reveal.hidden = !checked || !this.revealed(value);
  }

  // read returns {value, text} or null when nothing usable is given;
  // text is the revealed field's answer, "" when empty or hidden: the
  // trimmed text, or for a date YYYY-MM-DD, or "invalid" when the three
  // fields do not make a real day.
  read() {
    let value;
    const checked = this.inputs.filter((i) => i.checked);
    switch (this.kind) {
      case "yes_no":
        if (checked.length) value = checked[0].value === "yes";
        break;
      case "readiness":
      case "choice":
        if (checked.length) value = checked[0].value;
        break;
      case "multi_choice":
        if (checked.length) value = checked.filter((i) => !("none" in i.dataset)).map((i) => i.value);
        break;
      case "number": {
        const raw = this.inputs[0].value.trim();
        if (/^[0-9]{1,9}$/.test(raw)) value = Number(raw);
        break;
      }
    }
    if (value === undefined) return null;
    let text = "";
    if (this.textID && this.revealed(value)) text = this.date ? this.readDate() : this.text.value.trim();
    return { value, text };
  }

  // readDate turns the day, month and year into YYYY-MM-DD: "" when all
  // three are empty, "invalid" when they do not make a day of the
  // calendar (31 April, 29 February 2025, a two-digit year).
  readDate() {
    const [d, m, y] = this.dateInputs.map((i) => i.value.trim());
    if (!d && !m && !y) return "";
    if (!/^[0-9]{1,2}$/.test(d) || !/^[0-9]{1,2}$/.test(m) || !/^[0-9]{4}$/.test(y)) return "invalid";
    const day = Number(d);
    const month = Number(m);
    const year = Number(y);
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (month < 1 || month > 12 || day < 1 || day > last) return "invalid";
    return `${y}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  }

  // write shows a kept answer (undefined: none) and the revealed text.
  write(value, text) {
    for (const i of this.inputs) {
      switch (this.kind) {
        case "yes_no":
          i.checked = value !== undefined && (i.value === "yes") === value;
          break;
        case "readiness":
        case "choice":
          i.checked = i.value === value;
          break;
        case "multi_choice":
          i.checked = Array.isArray(value) && ("none" in i.dataset ? value.length === 0 : value.includes(i.value));
          break;
        case "number":
          i.value = value === undefined ? "" : String(value);
          break;
      }
    }
    if (this.date) {
      const parts = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text || "");
      this.dateInputs[0].value = parts ? String(Number(parts[3])) : "";
      this.dateInputs[1].value = parts ? String(Number(parts[2])) : "";
      this.dateInputs[2].value = parts ? parts[1] : "";
    } else if (this.text) this.text.value = text || "";
    this.showReveal();
  }

  // label is the answer in words, for "check your answers".
  label(value) {
    if (this.kind === "number") return String(value);
    const values = Array.isArray(value) ? value : [value === true ? "yes" : value === false ? "no" : value];
    const labels = this.inputs
      .filter((i) => (Array.isArray(value) && value.length === 0 ? "none" in i.dataset : values.includes(i.value) && !("none" in i.dataset)))
      .map((i) => this.el.querySelector(`label[for="${i.id}"]`).textContent.trim());
    return labels.join(", ");
  }

  // textLabel is the revealed answer in words: a date as day/month/year.
  textLabel(text) {
    const parts = this.date && /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text || "");
    return parts ? `${Number(parts[3])}/${Number(parts[2])}/${parts[1]}` : text;
  }
}
