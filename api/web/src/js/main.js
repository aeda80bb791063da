// sitematch's web map: start-up, tabs and the page's address.

import { api, describe } from "./api.js";
import { setModel } from "./format.js";
import { setupCatalogue, restore as restoreCatalogue, refresh as refreshCatalogue } from "./catalogue.js";
import { refreshPicked, runCompare, setupCompare } from "./compare.js";
import { compareSet, loadState, restore as restoreFind, setupFind, syncCompareBoxes } from "./find.js";
import { initMap, refreshSize, showView } from "./map.js";
import { setupShortlist, restore as restoreShortlist } from "./shortlist.js";
import { setupTerritory } from "./territory.js";
import { VIEWS, readHash, writeHash } from "./state.js";

const $ = (id) => document.getElementById(id);
const lastParams = {}; // per view, what its address last held

async function start() {
  // A page served at / (browsers asking the server's root) moves to /app/,
  // so that every shared address has one form.
  if (location.pathname !== "/app/") history.replaceState(null, "", "/app/" + location.search + location.hash);

  const config = await api.config();
  initMap(config);
  setupTabs();
  setupMapSwitch();

  let profiles, trades;
  try {
    const res = await api.profiles();
    profiles = (res.profiles || res || []).map((p) => ({ ...p, label: p.label || p.name || p.id }));
    trades = (res.trade_families || res.trades || []).map((t) => ({ ...t, label: t.label || t.name || t.id }));
    setModel(res); // the criteria, modes and defaults the form is built from
  } catch (err) {
    const box = $("boot-error");
    box.innerHTML = `<p><strong>Impossible de charger les filières.</strong> ${describe(err)}</p><button type="button" id="boot-retry">Réessayer</button>`;
    box.hidden = false;
    $("boot-retry").addEventListener("click", () => location.reload());
    return;
  }

  const changed = (view) => (params, push) => {
    lastParams[view] = params;
    writeHash(view, params, push);
  };
  setupFind({ profiles, trades, onChange: changed("trouver"), onCompareChange: refreshPicked });
  setupCompare({ onChange: changed("comparer") });
  setupShortlist({ profiles, onChange: changed("preselection") });
  setupTerritory({ trades });
  setupCatalogue({ onChange: changed("catalogue") });

  window.addEventListener("popstate", applyHash);
  window.addEventListener("hashchange", applyHash);
  await applyHash();
  document.body.dataset.ready = "true";
}

// applyHash shows what the address names (on load, Back and Forward).
async function applyHash() {
  const { view, params } = readHash();
  lastParams[view] = Object.fromEntries(params);
  activate(view, false);
  switch (view) {
    case "trouver":
      await restoreFind(params);
      break;
    case "comparer": {
      if (params.get("p")) loadState(params.get("p"));
      const ids = (params.get("ids") || "").split(",").filter(Boolean).slice(0, 4);
      if (ids.length) {
        compareSet().clear();
        ids.forEach((id) => compareSet().add(id));
        syncCompareBoxes();
        refreshPicked();
        if (ids.length >= 2) await runCompare(false);
      }
      break;
    }
    case "preselection":
      restoreShortlist(params);
      break;
    case "catalogue":
      restoreCatalogue(params);
      break;
  }
}

// ---- tabs (WAI-ARIA tabs: arrows move, Home/End jump) --------------------

function setupTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  for (const tab of tabs) {
    tab.addEventListener("click", () => {
      activate(tab.dataset.tab, true);
      writeHash(tab.dataset.tab, lastParams[tab.dataset.tab] || {}, true);
    });
    tab.addEventListener("keydown", (ev) => {
      const i = tabs.indexOf(tab);
      const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[ev.key];
      if (to === undefined) return;
      ev.preventDefault();
      const next = tabs[(to + tabs.length) % tabs.length];
      next.focus();
      next.click();
    });
  }
}

function activate(view, byUser) {
  if (!VIEWS.includes(view)) view = "trouver";
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const on = tab.dataset.tab === view;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(tab.getAttribute("aria-controls")).hidden = !on;
  }
  document.body.dataset.view = view;
  showView(view);
  setTimeout(refreshSize, 0); // the comparison widens the panel
  if (view === "catalogue") refreshCatalogue();
  if (byUser) $("panel").scrollTop = 0;
}

// ---- phone: switch between the panel and a full-screen map ---------------

function setupMapSwitch() {
  const b = $("map-switch");
  b.addEventListener("click", () => {
    const on = document.body.classList.toggle("map-only");
    b.setAttribute("aria-pressed", String(on));
    b.textContent = on ? "Panneau" : "Carte";
    setTimeout(refreshSize, 50);
  });
  window.addEventListener("resize", () => setTimeout(refreshSize, 50));
}

start().catch((err) => {
  console.error(err);
  const box = $("boot-error");
  box.textContent = `La page n'a pas pu démarrer : ${err.message}`;
  box.hidden = false;
});
