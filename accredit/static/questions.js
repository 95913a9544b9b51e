// Reveal and hide a question page's conditional questions as answers change. The server
// decides without this script (a save re-shows the page with what now applies); this only
// saves a round trip. Inputs in hidden questions are disabled so they are not sent.
function fieldValue(form, name) {
  const inputs = form.querySelectorAll(`[name="${name}"]`);
  const checkable = [...inputs].filter((i) => i.type === "radio" || i.type === "checkbox");
  if (checkable.length) {
    const checked = checkable.filter((i) => i.checked && !i.disabled).map((i) => i.value);
    return inputs[0].type === "checkbox" ? checked : (checked[0] ?? null);
  }
  const value = inputs.length && !inputs[0].disabled ? inputs[0].value.trim() : "";
  return value === "" ? null : value;
}

function holds(form, condition) {
  if (condition.all) return condition.all.every((c) => holds(form, c));
  if (condition.any) return condition.any.some((c) => holds(form, c));
  if (condition.not) return !holds(form, condition.not);
  const value = fieldValue(form, condition.field);
  const answered = Array.isArray(value) ? true : value !== null;
  switch (condition.op) {
    case "answered": return answered === condition.value;
    case "equals": return String(value) === String(condition.value);
    case "in": return condition.value.map(String).includes(String(value));
    case "includes": return Array.isArray(value) && value.includes(String(condition.value));
    case "at_least": return value !== null && Number(value) >= condition.value;
    case "at_most": return value !== null && Number(value) <= condition.value;
    default: return true;
  }
}

function refresh(form) {
  // Later questions may depend on earlier ones: go in page order.
  for (const block of form.querySelectorAll("[data-show-if]")) {
    const show = holds(form, JSON.parse(block.dataset.showIf));
    block.hidden = !show;
    for (const input of block.querySelectorAll("input, textarea, select")) input.disabled = !show;
  }
}

for (const form of document.querySelectorAll("form.app-question-form")) {
  // Tell the server this page revealed questions as they applied, so it need not re-ask them.
  const scripted = document.createElement("input");
  Object.assign(scripted, { type: "hidden", name: "scripted", value: "yes" });
  form.append(scripted);
  refresh(form);
  form.addEventListener("change", () => refresh(form));
  form.addEventListener("input", () => refresh(form));
}
