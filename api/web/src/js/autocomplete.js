// A commune search box following the WAI-ARIA combobox pattern: type two
// letters, pick with the arrow keys and Enter (or the mouse); Escape
// closes the list. Suggestions come from GET /v1/communes?q=&limit=.

import { api } from "./api.js";
import { esc } from "./format.js";

let seq = 0;

export function communeLabel(c) {
  return c.departement ? `${c.name} (${c.departement})` : c.name;
}

// communeCombo turns input into a combobox; onPick receives the chosen
// commune ({code, name, departement, lon, lat}), or null when the text no
// longer names the chosen one.
export function communeCombo(input, onPick) {
  const id = `combo-${++seq}`;
  const wrap = document.createElement("div");
  wrap.className = "combo";
  input.replaceWith(wrap);
  wrap.append(input);
  const list = document.createElement("ul");
  list.id = `${id}-list`;
  list.className = "combo-list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Communes proposées");
  list.hidden = true;
  wrap.append(list);
  Object.assign(input, { autocomplete: "off", spellcheck: false });
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  let items = [], active = -1, timer = 0, ctrl = null, picked = input.value;
  let chose = false; // Enter picked a commune: its keypress must not submit

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (i) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute("aria-selected", String(j === i)));
    if (i >= 0 && list.children[i]) {
      input.setAttribute("aria-activedescendant", list.children[i].id);
      list.children[i].scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  };
  const choose = (i) => {
    const c = items[i];
    if (!c) return;
    input.value = picked = communeLabel(c);
    close();
    onPick(c);
  };
  const render = (msg) => {
    list.innerHTML = msg
      ? `<li class="combo-msg" role="option" aria-disabled="true" aria-selected="false" id="${id}-msg">${esc(msg)}</li>`
      : items.map((c, i) => `<li role="option" id="${id}-${i}" aria-selected="false" data-i="${i}">${esc(c.name)} <span class="muted">${esc(c.departement || "")} · ${esc(c.code)}</span></li>`).join("");
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    highlight(-1);
  };
  const search = async () => {
    const q = input.value.trim();
    ctrl?.abort();
    if (q.length < 2) return close();
    ctrl = new AbortController();
    try {
      const res = await api.communes(q, 8, ctrl.signal);
      items = Array.isArray(res) ? res : res?.communes || res?.items || [];
      if (items.length) render();
      else render("Aucune commune trouvée");
    } catch (err) {
      if (err.name === "AbortError") return;
      items = [];
      render("Recherche de communes indisponible");
    }
  };

  input.addEventListener("input", () => {
    if (input.value !== picked && picked) {
      picked = "";
      onPick(null);
    }
    clearTimeout(timer);
    timer = setTimeout(search, 180);
  });
  input.addEventListener("keydown", (ev) => {
    const open = !list.hidden && items.length > 0;
    switch (ev.key) {
      case "ArrowDown":
        ev.preventDefault();
        if (!open) search();
        else highlight((active + 1) % items.length);
        break;
      case "ArrowUp":
        if (open) {
          ev.preventDefault();
          highlight(active <= 0 ? items.length - 1 : active - 1);
        }
        break;
      case "Enter":
        if (open) {
          ev.preventDefault(); // never submit the form while choosing
          choose(active < 0 ? 0 : active);
          chose = true;
        }
        break;
      case "Escape":
        if (!list.hidden) {
          ev.preventDefault();
          ev.stopPropagation();
          close();
        }
        break;
    }
  });
  // Some input paths (DevTools' key events, some assistive tools) send the
  // Enter keypress separately from its keydown.
  input.addEventListener("keypress", (ev) => {
    if (ev.key === "Enter" && chose) ev.preventDefault();
  });
  input.addEventListener("keyup", (ev) => {
    if (ev.key === "Enter") chose = false;
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  list.addEventListener("mousedown", (ev) => {
    const li = ev.target.closest("li[data-i]");
    if (!li) return;
    ev.preventDefault(); // keep the focus in the input
    choose(Number(li.dataset.i));
  });
  return {
    set(label) {
      input.value = picked = label;
    },
  };
}
