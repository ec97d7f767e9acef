// The self-check page: the questionnaire, its result and the quote form.
// The rules themselves run in assess.wasm (see js/selfcheck/rules.js).
import { selfcheck } from "./js/selfcheck/app.js";

const root = document.getElementById("sc");
if (root) selfcheck(root);
