// Searchable pickers: every <select data-searchable> (metodservice/common/widgets.py, SearchableSelect) becomes a
// Tom Select control (static/vendor/tom-select): type a part of a name, move with the arrow keys, pick with Enter;
// a multiple select keeps its list open for the next name and shows each choice with a remove button.
// Without this script, or without Tom Select, the select stays a plain one with all its options: the form posts the
// same values either way. The picker's words come from the select's data attributes, translated by the server.
(() => {
  "use strict";

  const SEPARATOR = " — ";

  // «Фамилия И.О. — position, unit» → ["Фамилия И.О.", "position, unit"]; a text without the separator is all name.
  const split = (text) => {
    const at = text.indexOf(SEPARATOR);
    return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at + SEPARATOR.length)];
  };

  const enhance = (select) => {
    if (select.tomselect || typeof window.TomSelect !== "function") return;
    const words = select.dataset;
    const multiple = select.multiple;
    const settings = {
      maxOptions: null, // every option, as the plain select has them
      refreshThrottle: 0, // filter at each key: the options are all here, and a late refresh would take the focus back
      // The names that begin with what was typed first, then the other matches; each in the select's own order
      // (people by surname), not by Tom Select's score, which puts short labels first.
      score(query) {
        const matches = this.getScoreFunction(query);
        const start = query.trim().toLocaleLowerCase();
        return (item) => (matches(item) > 0 ? (item.text.toLocaleLowerCase().startsWith(start) ? 2 : 1) : 0);
      },
      sortField: [{ field: "$score", direction: "desc" }, { field: "$order" }],
      allowEmptyOption: !multiple && !select.required, // «all» / «— choose —» stays a choice of an optional select
      closeAfterSelect: !multiple,
      clearAfterSelect: true, // the next name is typed afresh
      hidePlaceholder: true, // a chosen item stands alone; the placeholder shows when nothing is chosen
      placeholder: words.placeholder || "",
      render: {
        option: (data, escape) => {
          const [name, details] = split(data.text);
          const more = details ? `<div class="small ts-details">${escape(details)}</div>` : "";
          return `<div><div>${escape(name)}</div>${more}</div>`;
        },
        item: (data, escape) => `<div title="${escape(data.text)}">${escape(split(data.text)[0])}</div>`,
        no_results: (_data, escape) => `<div class="no-results">${escape(words.noResults || "")}</div>`,
      },
    };
    if (multiple) settings.plugins = { remove_button: { title: words.removeLabel || "" } };
    let control;
    try {
      control = new window.TomSelect(select, settings);
    } catch (error) {
      console.warn("searchable select left plain:", error); // the plain select still works
      return;
    }
    // Tom Select points the field's <label> at its search box; the hidden select keeps the label's name too.
    const label = document.getElementById(`${control.inputId}-ts-label`);
    if (label) select.setAttribute("aria-labelledby", label.id);
  };

  const start = () => document.querySelectorAll("select[data-searchable]").forEach(enhance);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
