// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Action form: show only the fields the chosen action needs.
  const kind = document.querySelector("#id_kind[data-needs]");
  if (kind) {
    const needs = JSON.parse(kind.dataset.needs);
    const all = new Set(Object.values(needs).flat());
    const update = () => {
      const wanted = new Set(needs[kind.value] || []);
      if (kind.value === "create_unit") wanted.add("unit_purpose");
      if (kind.value === "create_unit") wanted.add("unit");
      all.add("unit_purpose");
      for (const name of all) {
        const wrapper = document.getElementById(`div_id_${name}`);
        if (wrapper) wrapper.hidden = !wanted.has(name);
      }
    };
    kind.addEventListener("change", update);
    update();
  }
  // Confirm before destructive or irreversible buttons.
  for (const button of document.querySelectorAll("[data-confirm]")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }
});
