// Live reload while editing: only `kmopsite serve` answers /_reload, so on
// the published site the script stays silent.
const marker = document.querySelector('meta[name="kmopsite-dev"]');
if (marker) {
  const events = new EventSource("/_reload");
  events.addEventListener("reload", () => location.reload());
}
