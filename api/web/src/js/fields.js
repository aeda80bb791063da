// Shows an API problem's invalid fields next to the inputs they name.
//
// Inputs declare the JSON paths they edit in data-field (space-separated
// when one input edits several, as a partner's place edits commune, lon and
// lat). An error for "project.suppliers[1].lat" lands on the element whose
// data-field lists that path; failing that, on the nearest ancestor path
// ("project.suppliers[1]", then "project.suppliers", then "project"), so a
// message never goes unseen.

import { esc, frMessage } from "./format.js";

let seq = 0;

// parentPath drops the last segment of a path: "a.b[1].c" → "a.b[1]" →
// "a.b" → "a" → "".
export function parentPath(path) {
  if (path.endsWith("]")) return path.slice(0, path.lastIndexOf("["));
  const dot = path.lastIndexOf(".");
  return dot < 0 ? "" : path.slice(0, dot);
}

function findTarget(root, path) {
  for (let p = path; p; p = parentPath(p)) {
    const el = root.querySelector(`[data-field~="${CSS.escape(p)}"]`);
    if (el) return el;
  }
  return null;
}

export function clearFieldErrors(root) {
  root.querySelectorAll(".field-error").forEach((el) => el.remove());
  root.querySelectorAll("[aria-invalid]").forEach((el) => {
    el.removeAttribute("aria-invalid");
    const ids = (el.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && !id.startsWith("ferr-"));
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
    else el.removeAttribute("aria-describedby");
  });
  root.querySelectorAll(".invalid").forEach((el) => el.classList.remove("invalid"));
}

// showFieldErrors places each error next to its input and fills the summary
// element (role=alert) with the list; it returns the first invalid control.
export function showFieldErrors(root, summary, errors) {
  clearFieldErrors(root);
  let first = null;
  const items = [];
  for (const e of errors) {
    const target = findTarget(root, e.field);
    const id = `ferr-${++seq}`;
    const msg = frMessage(e.message);
    items.push(`<li><code>${esc(e.field)}</code> : ${esc(msg)}</li>`);
    if (!target) continue;
    // a field folded away (Options avancées) is unfolded to show its error
    for (let d = target.closest("details"); d; d = d.parentElement?.closest("details")) d.open = true;
    const p = document.createElement("p");
    p.className = "field-error";
    p.id = id;
    p.dataset.for = e.field;
    p.textContent = msg;
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) {
      target.setAttribute("aria-invalid", "true");
      target.setAttribute("aria-describedby", `${target.getAttribute("aria-describedby") || ""} ${id}`.trim());
      // after the control, or after the label wrapping a checkbox
      const anchor = target.closest("label") && target.type === "checkbox" ? target.closest("label") : target.closest(".combo") || target;
      anchor.after(p);
      first ??= target;
    } else {
      target.classList.add("invalid");
      const legend = target.querySelector(":scope > legend, :scope > .label");
      if (legend) legend.after(p);
      else target.prepend(p);
      first ??= target.querySelector("input, select, textarea, button") || target;
    }
  }
  if (summary) {
    summary.innerHTML = `<p><strong>${errors.length === 1 ? "Un champ est invalide." : `${errors.length} champs sont invalides.`}</strong></p><ul>${items.join("")}</ul>`;
    summary.hidden = false;
  }
  return first;
}
