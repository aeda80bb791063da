// "Présélection régionale", a territory: an EPCI's or a Territoire
// d'industrie's supplier base and offer (GET /v1/territories/{code}).

import { api, ApiError, describe } from "./api.js";
import { clearFieldErrors, showFieldErrors } from "./fields.js";
import { KIND_LABELS, KINDS, MODES, esc, km, modeLabel, num } from "./format.js";

const $ = (id) => document.getElementById(id);

// MAX_BRANCHES is how many branches of the supplier base the view lists.
const MAX_BRANCHES = 10;

const KIND = { epci: "Intercommunalité (EPCI)", territoire_industrie: "Territoire d'industrie" };

let tradeLabels = {};
let ctrl = null;
let listed = false;

// setupTerritory wires the territory form; trades are /v1/profiles' trade
// families, for the training offer's labels.
export function setupTerritory({ trades }) {
  tradeLabels = Object.fromEntries((trades || []).map((t) => [t.id, t.label]));
  $("territory-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    showTerritory($("ter-code").value.trim());
  });
  $("ter-code").addEventListener("focus", listTerritories, { once: true });
}

// listTerritories fills the field's suggestions with the Territoires
// d'industrie (their OGC collection), once, when the field is first used.
async function listTerritories() {
  if (listed) return;
  listed = true;
  try {
    const res = await api.get("/collections/territoires_industrie/items?limit=1000&properties=id,name");
    $("ter-list").innerHTML = (res.features || [])
      .map((f) => `<option value="${esc(f.properties.id)}">${esc(f.properties.name)}</option>`).join("");
  } catch {
    listed = false; // the list is a help: the field works without it
  }
}

// showTerritory looks a code up and shows the territory, or the
// server's error under the field.
export async function showTerritory(code) {
  const form = $("territory-form"), status = $("ter-status"), out = $("ter-out");
  clearFieldErrors(form);
  if (!code) {
    showFieldErrors(form, null, [{ field: "code", message: "donnez le SIREN d'un EPCI ou l'identifiant d'un Territoire d'industrie" }])?.focus();
    return;
  }
  ctrl?.abort();
  const mine = (ctrl = new AbortController());
  status.className = "status loading";
  status.textContent = "Chargement du territoire…";
  try {
    const t = await api.territory(code, mine.signal);
    out.innerHTML = territoryHTML(t);
    out.hidden = false;
    $("ter-title").focus({ preventScroll: true });
    out.scrollIntoView({ block: "start" });
    status.className = "status";
    status.textContent = `${t.name} : ${num(t.communes, 0)} communes.`;
  } catch (err) {
    if (err.name === "AbortError") return;
    out.hidden = true;
    status.className = "status error";
    if (err instanceof ApiError && err.status === 404) {
      status.textContent = `Territoire inconnu « ${code} » : donnez le SIREN d'un EPCI (9 chiffres) ou l'identifiant d'un Territoire d'industrie (ti-…).`;
      showFieldErrors(form, null, [{ field: "code", message: "territoire inconnu" }]);
    } else {
      status.textContent = describe(err);
    }
  }
}

const dl = (rows) => `<dl class="facts">${rows.filter(Boolean).map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>`;

// territoryHTML shows what GET /v1/territories/{code} answers, in French.
export function territoryHTML(t) {
  const sb = t.supplier_base || {};
  const jobs = sb.jobs !== null && sb.jobs !== undefined;
  const branches = (sb.branches || []).slice(0, MAX_BRANCHES);
  const trades = Object.entries(t.training?.trades || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const modes = MODES.filter((m) => t.transport?.[m]).concat(Object.keys(t.transport || {}).filter((m) => !MODES.includes(m)));
  const land = t.land || {};
  return `
    <h2 id="ter-title" tabindex="-1">${esc(t.name)}</h2>
    <p class="muted">${esc(KIND[t.kind] || t.kind)} <code>${esc(t.code)}</code> · ${num(t.communes, 0)} communes · ${num(t.population, 0)} habitants</p>
    <h3>Tissu de fournisseurs</h3>
    ${dl([
      ["Grands établissements industriels (IREP)", num(sb.establishments, 0)],
      ["Emplois salariés privés (Urssaf)", jobs ? `${num(sb.jobs, 0)}${sb.jobs_year ? ` en ${esc(sb.jobs_year)}` : ""}` : "non connus : le fichier Urssaf importé ne couvre pas toutes ses communes"],
    ])}
    ${branches.length ? `<table class="ter-branches"><caption>Branches${jobs ? " par emplois salariés" : " par établissements IREP"} (${branches.length} premières)</caption>
      <thead><tr><th scope="col">Branche</th><th scope="col">Établissements IREP</th><th scope="col">Emplois salariés</th></tr></thead>
      <tbody>${branches.map((b) => `<tr data-branch="${esc(b.branch)}"><td>${esc(b.branch)} ${esc(b.label)}</td><td>${num(b.establishments, 0)}</td><td>${b.jobs === null || b.jobs === undefined ? "—" : num(b.jobs, 0)}</td></tr>`).join("")}</tbody></table>` : ""}
    <h3>Offre foncière</h3>
    ${dl([
      ...KINDS.filter((k) => land.sites?.[k] !== undefined).map((k) => [esc(KIND_LABELS[k] || k), num(land.sites[k], 0)]),
      ["Sites de surface connue", `${num(land.known_area, 0)}, ${num(land.known_area_ha, 1)} ha en tout`],
    ])}
    <h3>Main-d'œuvre et formation</h3>
    ${dl([
      ["Actifs de 15 à 64 ans", num(t.labour?.active, 0)],
      ["dont chômeurs", num(t.labour?.unemployed, 0)],
      ["Lycées professionnels", num(t.training?.lycees, 0)],
      trades.length && ["Métiers formés (lycées)", trades.map(([id, n]) => `${esc(tradeLabels[id] || id)} (${num(n, 0)})`).join(", ")],
    ])}
    <h3>Transports et réseau électrique</h3>
    ${dl([
      ...modes.map((m) => [esc(modeLabel(m)), `${esc(t.transport[m].name || t.transport[m].id)} à ${km(t.transport[m].km)}`]),
      ["Postes RTE de 225 kV ou plus", `${num(t.grid?.substations_225kv_or_more, 0)} à moins de ${km(t.grid?.within_km)} d'un centre de commune`],
      ["Établissements Seveso seuil haut", num(t.seveso, 0)],
    ])}
    <p class="hint">Transports : le nœud le plus proche d'un centre de commune du territoire.</p>
    ${t.gaps?.length ? `<details class="sub"><summary>Limites des données</summary><ul>${t.gaps.map((g) => `<li>${esc(g)}</li>`).join("")}</ul></details>` : ""}
    ${t.sources ? `<details class="sub"><summary>Sources</summary><ul>${Object.values(t.sources).map((s) => `<li>${esc(s)}</li>`).join("")}</ul></details>` : ""}`;
}
