// Turns the activity form's 769-option "Type of activity" <select> into an accessible
// autocomplete (the GOV.UK one). Progressive: without this script the select is still a
// working select, and the form posts the select either way. A file, not an inline script:
// the content security policy allows only our own files (ADR 011).
import "../vendor/accessible-autocomplete/accessible-autocomplete.min.js";

const { accessibleAutocomplete } = self;

const escapeHtml = (text) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

// Best matches first: the label itself, then labels starting with the text, then a word of
// the label starting with it, then the text anywhere ("swim" puts Swimming before Aqua…).
function rank(label, query) {
  const text = label.toLowerCase();
  if (text === query) return 0;
  if (text.startsWith(query)) return 1;
  if (text.split(/[\s-]+/).some((word) => word.startsWith(query))) return 2;
  return text.includes(query) ? 3 : -1;
}

function rankedSource(labels) {
  return (query, populate) => {
    const wanted = query.trim().toLowerCase();
    const ranked = labels
      .map((label, index) => ({ label, index, score: rank(label, wanted) }))
      .filter((match) => match.score >= 0)
      .sort((a, b) => a.score - b.score || a.index - b.index);
    populate(ranked.map((match) => match.label));
  };
}

function enhance(select) {
  if (select.disabled) return; // a field the feed owns: read-only, nothing to choose
  const options = [...select.options];
  const labels = options.filter((option) => option.value).map((option) => option.text);
  const id = select.id;
  // What is typed must name a type on the list; anything else empties the choice, so the
  // server asks again instead of keeping a type the user has typed over.
  const choose = (label) => {
    const typed = label ?? document.getElementById(id)?.value ?? "";
    const match = options.find((option) => option.value && option.text.toLowerCase() === typed.trim().toLowerCase());
    select.value = match ? match.value : "";
  };
  const hasError = select.classList.contains("nhsuk-select--error");
  accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    defaultValue: "",
    source: rankedSource(labels),
    onConfirm: choose,
    minLength: 2,
    // Without autoselect the component draws no completion "hint" box, which has no label
    // (axe: "Form elements must have labels"); a choice is a click, arrows and Enter, or the
    // whole label typed (matched on leaving the box).
    autoselect: false,
    showNoOptionsFound: true,
    inputClasses: hasError ? "nhsuk-input nhsuk-input--error" : "nhsuk-input",
    templates: { inputValue: (label) => label ?? "", suggestion: (label) => escapeHtml(label ?? "") },
    tNoResults: () => "No type of activity matches: try another word",
  });
  // The field's hint and error message are read out with the new input too, until typing
  // starts (the component then drops its own description).
  const input = document.getElementById(id);
  const described = select.getAttribute("aria-describedby");
  if (input && described) input.setAttribute("aria-describedby", `${id}__assistiveHint ${described}`);
}

document.querySelectorAll('select[data-module="app-activity-type"]').forEach(enhance);
