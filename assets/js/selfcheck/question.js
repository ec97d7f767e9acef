// One page of the questionnaire, as the template renders it
// (templates/partials/selfcheck-question.html): reads the answer from its
// inputs and puts a kept answer back into them.

export class Question {
  constructor(el) {
    this.el = el;
    this.id = el.dataset.q;
    this.kind = el.dataset.kind;
    this.error = el.dataset.error;
    this.heading = el.querySelector(".sc-question");
    this.progress = el.querySelector(".sc-progress");
    const label = this.heading.querySelector("label");
    this.title = (label ? label.textContent : this.heading.textContent.replace(this.progress.textContent, "")).trim();
    this.message = el.querySelector("#sc-err-" + this.id);
    this.inputs = [...el.querySelectorAll(`input[name="${this.id}"]`)];
    this.text = el.querySelector("[data-text-q]"); // the field "yes" reveals
    this.reveal = el.querySelector(".sc-reveal");
    if (this.text) {
      this.textID = this.text.dataset.textQ;
      this.textMessage = el.querySelector("#sc-err-" + this.textID);
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

  showReveal() {
    if (this.reveal) this.reveal.hidden = !this.inputs.some((i) => i.value === "yes" && i.checked);
  }

  // read returns {value, text} or null when nothing usable is given;
  // text is the revealed field's trimmed text, "" when empty or hidden.
  read() {
    let value;
    const checked = this.inputs.filter((i) => i.checked);
    switch (this.kind) {
      case "yes_no":
        if (checked.length) value = checked[0].value === "yes";
        break;
      case "readiness":
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
    const text = this.text && value === true ? this.text.value.trim() : "";
    return { value, text };
  }

  // write shows a kept answer (undefined: none) and the revealed text.
  write(value, text) {
    for (const i of this.inputs) {
      switch (this.kind) {
        case "yes_no":
          i.checked = value !== undefined && (i.value === "yes") === value;
          break;
        case "readiness":
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
    if (this.text) this.text.value = text || "";
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
}
