// "Trouver un site": the project form, the ranked list, the sites on the map
// and the detail of one site.

/* global L */

import { api, ApiError, describe } from "./api.js";
import { communeCombo } from "./autocomplete.js";
import { clearFieldErrors, showFieldErrors } from "./fields.js";
import {
  CRITERIA, CRITERION_HELP, DEFAULTS, FRR_LABELS, IMPORTANCE_LABELS, KIND_LABELS, KINDS, MODE_DECAY, MODE_HELP, MODES,
  REGIONS, REQUIREMENTS, SCORE_RAMP, SEVESO_RULE_LABELS, SEVESO_TIERS, criterionLabel, esc, exclusionLabel,
  flagLabel, frMessage, km, modeLabel, num, pct, regionName, scoreStyle,
} from "./format.js";
import { fitTo, group, pick, setLegend } from "./map.js";
import { decodeState, encodeState } from "./state.js";

const $ = (id) => document.getElementById(id);

const MAX_COMPARE = 4;

const ctx = {
  profiles: [],
  trades: [],
  partners: { suppliers: [], customers: [] }, // {name, text, commune, lon, lat, weight}
  response: null, // last match response
  lastApplied: new Set(), // the criteria the last response scored some site on
  project: null, // last project sent
  request: null, // last /v1/match body (the exports send it again)
  state: "", // the address form of that project
  compare: new Set(), // site ids picked for the comparison
  sites: new Map(), // id → site, from every response seen
  ctrl: null,
  sectorCtrl: null, // the /v1/sectors lookup in flight
  sectorTimer: 0,
  onChange: () => {},
  onCompareChange: () => {},
};

export function setupFind({ profiles, trades, onChange, onCompareChange }) {
  Object.assign(ctx, { profiles, trades, onChange, onCompareChange });
  const sector = $("p-sector");
  for (const p of profiles) sector.add(new Option(p.label, p.id));
  sector.addEventListener("change", () => applyProfile(sector.value));

  $("p-trades").innerHTML = trades
    .map((t) => `<label><input type="checkbox" name="trade" value="${esc(t.id)}"> ${esc(t.label)}</label>`)
    .join("");

  // One slider per mode of /v1/profiles, with its decay distances.
  $("p-transport").innerHTML = MODES.map((m) => {
    const d = MODE_DECAY[m];
    const help = [MODE_HELP[m], d && `Pleine note jusqu'à ${num(d.near_km, 0)} km, nulle au-delà de ${num(d.far_km, 0)} km.`].filter(Boolean).join(" ");
    return `<div class="slider">
      <label for="tr-${m}">${esc(modeLabel(m))}</label>
      <input type="range" id="tr-${m}" min="0" max="4" step="1" value="0" data-mode="${m}" data-field="project.transport.${m}" aria-describedby="tr-${m}-help">
      <output for="tr-${m}" id="tr-${m}-out"></output>
      <p class="why" id="tr-${m}-help">${esc(help)}</p>
    </div>`;
  }).join("");
  $("p-transport").addEventListener("input", updateTransportOutputs);

  $("p-maxkm").innerHTML = `<p class="label">Distance maximale (km) à…</p><div class="row2">${MODES.map(
    (m) => `<div class="field"><label for="mk-${m}">${esc(modeLabel(m))}</label>
      <input id="mk-${m}" type="number" inputmode="decimal" step="any" min="0" data-maxkm="${m}" data-field="project.constraints.max_km.${m}" placeholder="sans limite"></div>`,
  ).join("")}</div>`;

  // One slider per criterion of /v1/profiles: a criterion the server
  // adds appears here by itself.
  $("p-weights").innerHTML = CRITERIA.map(
    (c) => `<div class="slider" id="w-${c}-box">
      <label for="w-${c}">${esc(criterionLabel(c))}</label>
      <input type="range" id="w-${c}" min="0" max="100" step="1" data-crit="${c}" data-field="project.weights.${c}" aria-describedby="w-${c}-help w-${c}-why">
      <output for="w-${c}" id="w-${c}-out"></output>
      <p class="why" id="w-${c}-help"${CRITERION_HELP[c] ? "" : " hidden"}>${esc(CRITERION_HELP[c] || "")}</p>
      <p class="why" id="w-${c}-why" hidden></p>
    </div>`,
  ).join("");
  // A slider the user moved keeps its value when a Seveso tier is chosen.
  $("p-weights").addEventListener("input", (ev) => {
    if (ev.target.dataset.crit) ev.target.dataset.touched = "true";
  });
  $("p-seveso").addEventListener("change", sevesoWeight);
  $("p-naf").addEventListener("input", () => {
    clearTimeout(ctx.sectorTimer);
    ctx.sectorTimer = setTimeout(showSector, 300);
  });
  $("p-naf").addEventListener("change", showSector);
  if (DEFAULTS.max_per_commune) $("p-per-commune").placeholder = `${DEFAULTS.max_per_commune} par défaut`;
  // The shares follow everything that decides which criteria apply:
  // partners, transport needs, jobs, land.
  $("project-form").addEventListener("input", updateWeightOutputs);
  $("project-form").addEventListener("change", updateWeightOutputs);

  const region = $("p-region");
  for (const [code, name] of REGIONS) region.add(new Option(name, code));
  $("p-kinds").innerHTML = KINDS.map(
    (k) => `<label><input type="checkbox" name="kind" value="${k}" checked> ${esc(KIND_LABELS[k])}</label>`,
  ).join("");

  for (const b of document.querySelectorAll("[data-add]")) {
    b.addEventListener("click", () => {
      ctx.partners[b.dataset.add].push(emptyPartner());
      renderPartners(b.dataset.add, true);
    });
  }

  $("project-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    run(true);
  });
  $("p-reset").addEventListener("click", () => {
    writeForm(defaultModel());
    clearFieldErrors($("project-form"));
    $("form-errors").hidden = true;
  });
  $("detail-back").addEventListener("click", closeDetail);
  $("results-list").addEventListener("click", onResultsClick);
  $("results-export").addEventListener("click", (ev) => {
    const b = ev.target.closest("[data-export]");
    if (b) exportResults(b.dataset.export);
  });
  $("results-list").addEventListener("change", onCompareToggle);
  writeForm(defaultModel());
}

function emptyPartner() {
  return { name: "", text: "", commune: "", lon: null, lat: null, weight: 1, naf: "" };
}

function defaultModel() {
  return {
    name: "Mon projet industriel", sector: "", naf: "", land_ha: "", jobs: "", trades: [],
    suppliers: [], customers: [], transport: { ...DEFAULTS.transport }, region: "", departements: "", kinds: [...KINDS],
    require_known_area: false, veto_below: "", max_km: {}, weights: { ...DEFAULTS.weights }, limit: 20, robustness: false,
    needed_by: "", seveso: "", include_unverified: false, include_non_industrial: false, include_committed: false,
    allow_other_landmass: false, supply_mode: "", supply_near_km: "", supply_far_km: "", max_per_commune: "",
  };
}

// sevesoWeight gives the criteria of a Seveso project the engine's
// default weights (/v1/profiles defaults.seveso_weights) when a Seveso
// tier is chosen and the user has not set those weights: the page sends
// every weight, so it must send the ones the engine would apply.
function sevesoWeight() {
  for (const [c, weight] of Object.entries(DEFAULTS.seveso_weights)) {
    const w = $(`w-${c}`);
    if (!w || w.dataset.touched) continue;
    if ($("p-seveso").value && Number(w.value) === 0) w.value = weight;
  }
  updateWeightOutputs();
}

// showSector looks the typed NAF code up (GET /v1/sectors/{naf}) and
// shows, under the field, its A38 branch and main supplier branches, or
// the server's error in French.
async function showSector() {
  clearTimeout(ctx.sectorTimer);
  const input = $("p-naf"), info = $("p-naf-info"), code = input.value.trim();
  if (info.dataset.naf === code) return;
  ctx.sectorCtrl?.abort();
  info.dataset.naf = code;
  setNafError("");
  if (!code) {
    info.innerHTML = "";
    return;
  }
  const ctrl = (ctx.sectorCtrl = new AbortController());
  try {
    const s = await api.sector(code, ctrl.signal);
    const sup = (s.suppliers || []).slice(0, 5);
    info.innerHTML = `<p class="naf-branch" data-branch="${esc(s.branch)}"><strong>${esc(s.naf)}</strong> : branche ${esc(s.branch)}, ${esc(s.branch_label)}.</p>
      ${sup.length ? `<p class="hint">Principales branches fournisseuses (part de ses achats) :</p>
      <ul class="compact naf-suppliers">${sup.map((b) => `<li data-branch="${esc(b.branch)}">${esc(b.branch)} ${esc(b.label)} <span class="muted">(${pct(b.share)})</span></li>`).join("")}</ul>` : ""}
      ${s.profiles?.length ? `<p class="hint naf-profiles">Filière${s.profiles.length > 1 ? "s" : ""} de sitematch pour cette division : ${s.profiles.map((id) => esc(ctx.profiles.find((p) => p.id === id)?.label || id)).join(", ")}.</p>` : ""}
      ${s.source ? `<p class="hint">Source : ${esc(s.source)}.</p>` : ""}`;
  } catch (err) {
    if (err.name === "AbortError") return;
    info.innerHTML = "";
    const f = err instanceof ApiError && err.fields.find((e) => e.field === "naf");
    setNafError(f ? frMessage(f.message) : describe(err));
  }
}

// setNafError shows (or, with "", removes) the lookup's error under the
// NAF field.
function setNafError(msg) {
  const input = $("p-naf");
  $("p-naf-error")?.remove();
  const ids = (input.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== "p-naf-error");
  if (msg) {
    const p = document.createElement("p");
    p.className = "field-error";
    p.id = "p-naf-error";
    p.dataset.for = "project.naf";
    p.textContent = msg;
    input.after(p);
    ids.push(p.id);
    input.setAttribute("aria-invalid", "true");
  } else if (!input.closest("form").querySelector('.field-error[data-for="project.naf"]')) {
    input.removeAttribute("aria-invalid");
  }
  input.setAttribute("aria-describedby", ids.join(" "));
}

function applyProfile(id) {
  const p = ctx.profiles.find((x) => x.id === id);
  const hint = $("p-sector-hint");
  supplyPlaceholders(p);
  if (!p) {
    hint.textContent = "";
    return;
  }
  setWeights({ ...DEFAULTS.weights, ...zeroed(CRITERIA), ...p.weights });
  sevesoWeight();
  setTransport({ ...zeroed(MODES), ...p.transport });
  for (const cb of document.querySelectorAll('input[name="trade"]')) cb.checked = (p.trades || []).includes(cb.value);
  $("p-land").placeholder = p.land_ha ? `ex. ${num(p.land_ha, 1)}` : "ex. 12";
  $("p-jobs").placeholder = p.jobs ? `ex. ${num(p.jobs, 0)}` : "ex. 150";
  hint.textContent = "Pondérations, transports et métiers de la filière préremplis : modifiez-les librement.";
}

// SUPPLY_MODES name the supply chain's scoring modes (supply_chain.mode).
const SUPPLY_MODES = { decay: "distance à chaque partenaire", centrality: "centralité" };

// supplyPlaceholders shows the profile's supply-chain decay in the
// distance inputs, the values an empty input leaves to the engine.
function supplyPlaceholders(p) {
  const d = p?.supply_chain || {};
  $("p-supply-mode").options[0].text = d.mode ? `selon la filière (${SUPPLY_MODES[d.mode] || d.mode})` : "selon la filière";
  $("p-supply-near").placeholder = d.near_km !== undefined ? `filière : ${num(d.near_km, 0)}` : "";
  $("p-supply-far").placeholder = d.far_km !== undefined ? `filière : ${num(d.far_km, 0)}` : "";
}

const zeroed = (keys) => Object.fromEntries(keys.map((k) => [k, 0]));

function setWeights(w) {
  for (const c of CRITERIA) $(`w-${c}`).value = w[c] ?? 0;
  updateWeightOutputs();
}

function setTransport(t) {
  for (const m of MODES) $(`tr-${m}`).value = Math.round((t[m] ?? 0) * 4);
  updateTransportOutputs();
}

function updateTransportOutputs() {
  for (const m of MODES) {
    const v = Number($(`tr-${m}`).value);
    $(`tr-${m}-out`).textContent = IMPORTANCE_LABELS[v];
    $(`tr-${m}`).setAttribute("aria-valuetext", IMPORTANCE_LABELS[v]);
  }
}

// MISSING says, in French, what a criterion lacks when the project does
// not give one of its inputs (/v1/profiles requirements, the engine's
// criteria table).
const MISSING = {
  partners: "aucun fournisseur ni client renseigné",
  transport: "aucun besoin de transport (tous les modes à « inutile »)",
  jobs: "nombre d'emplois non renseigné",
  land_ha: "surface nécessaire non renseignée",
  naf: "code NAF du projet non renseigné",
  seveso: "le projet n'est pas déclaré Seveso (Options avancées)",
  weight: "poids nul (donnez-lui un poids pour qu'il compte)",
};
const MISSING_OTHER = "il s'applique quand le projet lui donne sa donnée ; le classement le dira";

// SITE_NOTES say when an applicable criterion still leaves some sites out
// (requirements' sites).
const SITE_NOTES = {
  mainland: "Sites de métropole seulement : en Corse et outre-mer, sa part va aux autres critères.",
};

// given reports whether the form gives a project input, as the engine
// reads it; undefined for an input this page does not know.
function given(input, c) {
  const positive = (id) => Number($(id)?.value) > 0;
  switch (input) {
    case "partners":
      return ctx.partners.suppliers.concat(ctx.partners.customers).some((p) => !isBlank(p));
    case "transport":
      return MODES.some((m) => Number($(`tr-${m}`).value) > 0);
    case "jobs":
      return positive("p-jobs");
    case "land_ha":
      return positive("p-land");
    case "naf":
      return $("p-naf").value.trim() !== "";
    case "seveso":
      return $("p-seveso").value !== "";
    case "weight":
      return positive(`w-${c}`);
  }
  return undefined;
}

// applies reports whether criterion c applies to the form's project, by
// the rule /v1/profiles publishes (requirements): every input it requires
// is given. A criterion or an input the page has no rule for (one the
// server added since) applies when the last answer scored a site on it.
function applies(c) {
  const r = REQUIREMENTS[c];
  if (!r) return ctx.lastApplied.has(c);
  return r.requires.every((input) => given(input, c) ?? ctx.lastApplied.has(c));
}

// applicableCriteria lists the criteria that apply to the form's project.
function applicableCriteria() {
  return new Set(CRITERIA.filter(applies));
}

// whyNot says in French why criterion c does not apply to the form's
// project: the inputs it lacks.
function whyNot(c) {
  const missing = (REQUIREMENTS[c]?.requires || []).filter((input) => given(input, c) === false);
  return missing.length ? missing.map((input) => MISSING[input] || MISSING_OTHER).join(" ; ") : MISSING_OTHER;
}

// updateWeightOutputs shows each weight's share of the score as the engine
// will apply it: the weight over the sum of the weights of the criteria
// that apply. A criterion without input reads "non applicable", with why.
function updateWeightOutputs() {
  const applies = applicableCriteria();
  const w = Object.fromEntries(CRITERIA.map((c) => [c, Number($(`w-${c}`).value)]));
  const sum = CRITERIA.filter((c) => applies.has(c)).reduce((s, c) => s + w[c], 0);
  for (const c of CRITERIA) {
    const out = $(`w-${c}-out`), why = $(`w-${c}-why`), on = applies.has(c);
    $(`w-${c}-box`).classList.toggle("na", !on);
    let text;
    if (!on) {
      text = "non applicable";
      why.textContent = `Non applicable : ${whyNot(c)}. Sa part va aux autres critères.`;
      out.dataset.share = "";
    } else {
      const share = sum > 0 ? w[c] / sum : 0;
      text = sum > 0 ? pct(share) : "—";
      why.textContent = SITE_NOTES[REQUIREMENTS[c]?.sites] || "";
      out.dataset.share = sum > 0 ? String(share) : "";
    }
    why.hidden = why.textContent === "";
    out.textContent = text;
    $(`w-${c}`).setAttribute("aria-valuetext", `${w[c]}, soit ${text}`);
  }
}

// ---- partners ----------------------------------------------------------

function renderPartners(role, focusLast = false) {
  const list = $(`p-${role}`);
  const noun = role === "suppliers" ? "fournisseur" : "client";
  list.innerHTML = "";
  ctx.partners[role].forEach((p, i) => {
    const li = document.createElement("li");
    li.className = "partner";
    const n = i + 1;
    li.innerHTML = `
      <div class="row2">
        <div class="field"><label for="${role}-${i}-name">Nom du ${noun} ${n}</label>
          <input id="${role}-${i}-name" class="p-name" value="${esc(p.name)}" placeholder="facultatif"></div>
        <div class="field narrow"><label for="${role}-${i}-naf">Code NAF</label>
          <input id="${role}-${i}-naf" class="p-naf" value="${esc(p.naf || "")}" placeholder="facultatif" autocomplete="off" spellcheck="false" title="NAF rév. 2 de son activité : vérifié et gardé dans la demande, pas encore noté"></div>
        <div class="field narrow"><label for="${role}-${i}-weight">Poids</label>
          <input id="${role}-${i}-weight" class="p-weight" type="number" inputmode="decimal" step="any" value="${esc(p.weight)}"></div>
      </div>
      <div class="field"><label for="${role}-${i}-place">Commune du ${noun} ${n}</label>
        <input id="${role}-${i}-place" class="p-place" value="${esc(p.text)}" placeholder="Tapez un nom de commune…"></div>
      <div class="partner-actions">
        <button type="button" class="link" data-pick>Placer sur la carte</button>
        <button type="button" class="link danger" data-remove aria-label="Retirer le ${noun} ${n}">Retirer</button>
      </div>`;
    list.append(li);
    const name = li.querySelector(".p-name");
    name.addEventListener("input", () => (p.name = name.value));
    const nafIn = li.querySelector(".p-naf");
    nafIn.addEventListener("input", () => (p.naf = nafIn.value.trim()));
    const weight = li.querySelector(".p-weight");
    weight.addEventListener("input", () => (p.weight = weight.value));
    const place = li.querySelector(".p-place");
    const combo = communeCombo(place, (c) => {
      p.text = place.value;
      if (c) Object.assign(p, { commune: c.code, lon: c.lon, lat: c.lat, picked: false });
      else Object.assign(p, { commune: "", lon: null, lat: null, picked: false });
      drawPartners();
    });
    place.addEventListener("input", () => (p.text = place.value));
    li.querySelector("[data-pick]").addEventListener("click", async () => {
      const pt = await pick(`Cliquez sur la carte pour placer le ${noun} ${n}`);
      if (!pt) return place.focus();
      Object.assign(p, { commune: "", lon: pt.lon, lat: pt.lat, picked: true, text: `Point ${num(pt.lat, 4)} N, ${num(pt.lon, 4)} E` });
      combo.set(p.text);
      drawPartners();
      place.focus();
    });
    li.querySelector("[data-remove]").addEventListener("click", () => {
      ctx.partners[role].splice(i, 1);
      renderPartners(role);
      const next = list.querySelectorAll(".p-place")[Math.min(i, ctx.partners[role].length - 1)];
      (next || document.querySelector(`[data-add="${role}"]`)).focus();
    });
  });
  if (focusLast) list.querySelector(".partner:last-child .p-place")?.focus();
  drawPartners();
}

function drawPartners() {
  updateWeightOutputs(); // a partner placed or removed changes the shares
  const g = group("partners");
  g.clearLayers();
  for (const role of ["suppliers", "customers"]) {
    for (const p of ctx.partners[role]) {
      if (p.lon === null || p.lat === null) continue;
      const icon = L.divIcon({ className: "", html: `<span class="partner-pin ${role}" aria-hidden="true">${role === "suppliers" ? "F" : "C"}</span>`, iconSize: [22, 22] });
      L.marker([p.lat, p.lon], { icon, keyboard: false, title: `${role === "suppliers" ? "Fournisseur" : "Client"} : ${p.name || p.text}` }).addTo(g);
    }
  }
}

// ---- the form's model ----------------------------------------------------

function readModel() {
  const checked = (name) => [...document.querySelectorAll(`input[name="${name}"]:checked`)].map((c) => c.value);
  const max_km = {};
  for (const el of document.querySelectorAll("[data-maxkm]")) if (el.value !== "") max_km[el.dataset.maxkm] = el.value;
  return {
    name: $("p-name").value, sector: $("p-sector").value, naf: $("p-naf").value.trim(), land_ha: $("p-land").value, jobs: $("p-jobs").value,
    trades: checked("trade"),
    suppliers: ctx.partners.suppliers.map((p) => ({ ...p })), customers: ctx.partners.customers.map((p) => ({ ...p })),
    transport: Object.fromEntries(MODES.map((m) => [m, Number($(`tr-${m}`).value) / 4])),
    region: $("p-region").value, departements: $("p-deps").value, kinds: checked("kind"), require_known_area: $("p-known-area").checked,
    veto_below: $("p-veto").value, max_km,
    weights: Object.fromEntries(CRITERIA.map((c) => [c, Number($(`w-${c}`).value)])),
    limit: Number($("p-limit").value), robustness: $("p-robust").checked,
    needed_by: $("p-needed-by").value.trim(), seveso: $("p-seveso").value,
    include_unverified: $("p-inc-unverified").checked, include_non_industrial: $("p-inc-nonindustrial").checked,
    include_committed: $("p-inc-committed").checked, allow_other_landmass: $("p-other-landmass").checked,
    supply_mode: $("p-supply-mode").value, supply_near_km: $("p-supply-near").value, supply_far_km: $("p-supply-far").value,
    max_per_commune: $("p-per-commune").value,
  };
}

function writeForm(m) {
  m = { ...defaultModel(), ...m };
  $("p-name").value = m.name;
  $("p-sector").value = ctx.profiles.some((p) => p.id === m.sector) ? m.sector : "";
  supplyPlaceholders(ctx.profiles.find((p) => p.id === m.sector));
  $("p-naf").value = m.naf || "";
  showSector();
  $("p-land").value = m.land_ha ?? "";
  $("p-jobs").value = m.jobs ?? "";
  for (const cb of document.querySelectorAll('input[name="trade"]')) cb.checked = m.trades.includes(cb.value);
  for (const cb of document.querySelectorAll('input[name="kind"]')) cb.checked = m.kinds.includes(cb.value);
  setTransport(m.transport);
  $("p-region").value = m.region || "";
  $("p-deps").value = m.departements || "";
  $("p-known-area").checked = Boolean(m.require_known_area);
  $("p-needed-by").value = m.needed_by || "";
  $("p-seveso").value = SEVESO_TIERS[m.seveso] ? m.seveso : "";
  $("p-inc-unverified").checked = Boolean(m.include_unverified);
  $("p-inc-nonindustrial").checked = Boolean(m.include_non_industrial);
  $("p-inc-committed").checked = Boolean(m.include_committed);
  $("p-other-landmass").checked = Boolean(m.allow_other_landmass);
  $("p-supply-mode").value = SUPPLY_MODES[m.supply_mode] ? m.supply_mode : "";
  $("p-supply-near").value = m.supply_near_km ?? "";
  $("p-supply-far").value = m.supply_far_km ?? "";
  $("p-per-commune").value = m.max_per_commune ?? "";
  $("p-advanced").open ||= hasAdvanced(m);
  $("p-veto").value = m.veto_below ?? "";
  for (const el of document.querySelectorAll("[data-maxkm]")) el.value = m.max_km?.[el.dataset.maxkm] ?? "";
  $("p-limit").value = String(m.limit);
  $("p-robust").checked = Boolean(m.robustness);
  for (const role of ["suppliers", "customers"]) {
    ctx.partners[role] = (m[role] || []).map((p) => ({ ...emptyPartner(), ...p }));
    renderPartners(role);
  }
  for (const el of document.querySelectorAll("#p-weights [data-crit]")) delete el.dataset.touched;
  setWeights(m.weights);
}

// hasAdvanced reports whether a model sets an advanced option, so that a
// shared address shows them.
const hasAdvanced = (m) => Boolean(m.needed_by || m.seveso || m.include_unverified || m.include_non_industrial ||
  m.include_committed || m.allow_other_landmass || m.supply_mode || m.supply_near_km || m.supply_far_km || m.max_per_commune);

const isBlank = (p) => !p.name && !p.text && !p.commune && p.lon === null;

// toProject turns the model into the API's project, and labels the inputs
// with the JSON paths they produce (partner rows left blank are not sent,
// which shifts the indices).
function toProject(m) {
  const numOrRaw = (s) => (s === "" || s === null || s === undefined ? undefined : Number.isFinite(Number(s)) ? Number(s) : s);
  const project = { name: m.name };
  if (m.sector) project.sector = m.sector;
  if (m.naf) project.naf = m.naf;
  const land = numOrRaw(m.land_ha), jobs = numOrRaw(m.jobs);
  if (land !== undefined) project.land_ha = land;
  if (jobs !== undefined) project.jobs = jobs;
  if (m.trades.length) project.trades = m.trades;
  for (const role of ["suppliers", "customers"]) {
    const rows = document.querySelectorAll(`#p-${role} > .partner`);
    const out = [];
    m[role].forEach((p, i) => {
      const row = rows[i];
      if (isBlank(p)) {
        row?.querySelectorAll("[data-field]").forEach((el) => el.removeAttribute("data-field"));
        return;
      }
      const at = `project.${role}[${out.length}]`;
      if (row) {
        row.querySelector(".p-name").dataset.field = `${at}.name`;
        row.querySelector(".p-weight").dataset.field = `${at}.weight`;
        row.querySelector(".p-naf").dataset.field = `${at}.naf`;
        row.querySelector(".p-place").dataset.field = `${at} ${at}.commune ${at}.lon ${at}.lat`;
      }
      const q = {};
      if (p.name) q.name = p.name;
      else if (p.text && !p.picked) q.name = p.text;
      if (p.commune) q.commune = p.commune;
      else if (p.lon !== null && p.lat !== null) Object.assign(q, { lon: p.lon, lat: p.lat });
      const w = numOrRaw(p.weight);
      if (w !== undefined && w !== 1) q.weight = w;
      if (p.naf) q.naf = p.naf;
      out.push(q);
    });
    if (out.length) project[role] = out;
  }
  project.transport = m.transport;
  const c = {};
  if (m.region) c.regions = [m.region];
  const deps = String(m.departements || "").split(",").map((d) => d.trim()).filter(Boolean);
  if (deps.length) c.departements = deps;
  for (const k of ["include_unverified", "include_non_industrial", "include_committed", "allow_other_landmass"]) if (m[k]) c[k] = true;
  if (m.kinds.length && m.kinds.length < KINDS.length) c.kinds = m.kinds;
  if (m.require_known_area) c.require_known_area = true;
  const veto = numOrRaw(m.veto_below);
  if (veto !== undefined) c.veto_below = veto;
  const mk = Object.fromEntries(Object.entries(m.max_km).map(([k, v]) => [k, numOrRaw(v)]));
  if (Object.keys(mk).length) c.max_km = mk;
  if (Object.keys(c).length) project.constraints = c;
  project.weights = m.weights;
  if (m.seveso) project.seveso = m.seveso;
  if (m.needed_by) project.needed_by = m.needed_by;
  const near = numOrRaw(m.supply_near_km), far = numOrRaw(m.supply_far_km);
  if (near !== undefined || far !== undefined || m.supply_mode) {
    project.supply_chain = {};
    if (near !== undefined) project.supply_chain.near_km = near;
    if (far !== undefined) project.supply_chain.far_km = far;
    if (m.supply_mode) project.supply_chain.mode = m.supply_mode;
  }
  return project;
}

// matchOptions are the request's options besides the project.
function matchOptions(m) {
  const opts = { limit: m.limit, robustness: m.robustness };
  const per = m.max_per_commune === "" || m.max_per_commune === undefined ? undefined : Number(m.max_per_commune);
  if (per !== undefined) opts.max_per_commune = Number.isFinite(per) ? per : m.max_per_commune;
  return opts;
}

// localErrors catches what the API cannot see: a number field holding
// text the browser refuses to give us, and no kind ticked.
function localErrors(m) {
  const errs = [];
  for (const el of document.querySelectorAll('#project-form input[type="number"]')) {
    if (el.validity.badInput && el.dataset.field) errs.push({ field: el.dataset.field.split(" ")[0], message: "doit être un nombre" });
  }
  if (!m.kinds.length) errs.push({ field: "project.constraints.kinds", message: "cochez au moins un type de site" });
  return errs;
}

// currentProject is the form's project (the comparison scores it).
export function currentProject() {
  return toProject(readModel());
}

// showProjectErrors marks the form's fields named by an API problem (from
// the comparison, say); it returns how many it could place.
export function showProjectErrors(errors) {
  const mine = errors.filter((e) => e.field.startsWith("project"));
  if (mine.length) {
    $("project-box").open = true;
    showFieldErrors($("project-form"), $("form-errors"), mine);
  }
  return mine.length;
}

// formState is the address form of the form as it stands.
export function formState() {
  return encodeState(slimModel(readModel()));
}

// loadState fills the form from an address's project without ranking it.
export function loadState(p) {
  const m = decodeState(p);
  if (!m) return false;
  writeForm(m);
  return true;
}

// slimModel drops what the address does not need.
function slimModel(m) {
  const strip = (ps) => ps.filter((p) => !isBlank(p)).map(({ name, text, commune, lon, lat, weight, picked, naf }) => ({ name, text, commune, lon, lat, weight, picked, naf }));
  return { ...m, suppliers: strip(m.suppliers), customers: strip(m.customers) };
}

// ---- running a match -----------------------------------------------------

// run ranks the form's project; push adds a history entry.
export async function run(push) {
  const form = $("project-form");
  const m = readModel();
  clearFieldErrors(form);
  $("form-errors").hidden = true;
  const local = localErrors(m);
  if (local.length) {
    showFieldErrors(form, $("form-errors"), local)?.focus();
    return;
  }
  const project = toProject(m);
  ctx.state = encodeState(slimModel(m));
  ctx.onChange({ p: ctx.state }, push);
  const box = $("results"), status = $("results-status");
  box.hidden = false;
  box.setAttribute("aria-busy", "true");
  status.className = "status loading";
  status.textContent = "Classement en cours…";
  $("p-submit").disabled = true;
  closeDetail(false);
  ctx.ctrl?.abort();
  const ctrl = (ctx.ctrl = new AbortController());
  try {
    const opts = matchOptions(m);
    const res = await api.match(project, opts, ctrl.signal);
    ctx.project = project;
    ctx.request = { project, ...opts };
    $("results-export").hidden = false;
    ctx.response = res;
    ctx.lastApplied = new Set(res.results.flatMap((r) => Object.keys(r.criteria || {})));
    for (const r of res.results) ctx.sites.set(r.site.id, r.site);
    status.className = "status";
    status.textContent = `${res.results.length} sites classés.`;
    renderResults(res);
    $("project-box").open = window.matchMedia("(min-width: 1500px)").matches;
    $("project-summary").textContent = summarise(m);
    $("results-title").focus({ preventScroll: true });
    box.scrollIntoView({ block: "start" });
  } catch (err) {
    if (err.name === "AbortError") return;
    status.className = "status error";
    status.textContent = describe(err);
    if (err instanceof ApiError && err.fields.length) {
      $("project-box").open = true;
      const first = showFieldErrors(form, $("form-errors"), err.fields);
      first?.focus();
    }
    group("results").clearLayers();
    $("results-list").innerHTML = "";
    $("results-summary").innerHTML = "";
  } finally {
    if (ctrl === ctx.ctrl) {
      box.removeAttribute("aria-busy");
      $("p-submit").disabled = false;
    }
  }
}

// exportResults downloads the ranking shown in a GIS format (GeoJSON,
// CSV, GeoPackage): the same request to /v1/match with ?f=, so that the
// file says what the page says. The element keeps what it exported
// (data-exported: format and size) for the browser test.
const EXPORT_NAMES = { geojson: "sitematch-classement.geojson", csv: "sitematch-classement.csv", gpkg: "sitematch-classement.gpkg" };

async function exportResults(f) {
  const status = $("results-export-status");
  if (!ctx.request) return;
  status.textContent = "export en cours…";
  try {
    const blob = await api.export("/v1/match", f, ctx.request);
    let rows = null;
    if (f === "geojson") rows = JSON.parse(await blob.text()).features.length;
    if (f === "csv") rows = (await blob.text()).trimEnd().split("\n").length - 1;
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = EXPORT_NAMES[f];
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60000);
    $("results-export").dataset.exported = `${f}:${blob.size}`;
    $("results-export").dataset.rows = rows ?? "";
    const what = rows === null ? "" : `${rows} site${rows > 1 ? "s" : ""}, `;
    status.textContent = `${EXPORT_NAMES[f]} (${what}${Math.max(1, Math.round(blob.size / 1024))} ko)`;
  } catch (err) {
    status.textContent = describe(err);
  }
}

function summarise(m) {
  const parts = [];
  const p = ctx.profiles.find((x) => x.id === m.sector);
  if (p) parts.push(p.label);
  if (m.naf) parts.push(`NAF ${m.naf}`);
  if (m.land_ha) parts.push(`${m.land_ha} ha`);
  if (m.jobs) parts.push(`${m.jobs} emplois`);
  const n = m.suppliers.filter((x) => !isBlank(x)).length + m.customers.filter((x) => !isBlank(x)).length;
  if (n) parts.push(`${n} partenaire${n > 1 ? "s" : ""}`);
  if (m.region) parts.push(regionName(m.region));
  if (m.seveso) parts.push(`Seveso ${SEVESO_TIERS[m.seveso] || m.seveso}`);
  if (m.needed_by) parts.push(`avant ${m.needed_by}`);
  return parts.length ? `— ${parts.join(" · ")}` : "";
}

// exclusionsHTML lists the sites each hard constraint removed, in French,
// largest first, with the Seveso gate's rules under its line.
function exclusionsHTML(res) {
  const excluded = Object.entries(res.excluded || {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  if (!excluded.length) return "";
  const seveso = Object.entries(res.excluded_seveso || {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const items = excluded.map(([k, n]) => {
    const sub = k === "seveso" && seveso.length
      ? `<ul>${seveso.map(([r, m]) => `<li data-seveso-rule="${esc(r)}">${num(m, 0)} ${esc(SEVESO_RULE_LABELS[r] || r)}</li>`).join("")}</ul>`
      : "";
    return `<li data-reason="${esc(k)}"><strong>${num(n, 0)}</strong> ${esc(exclusionLabel(k))}${sub}</li>`;
  });
  const total = excluded.reduce((t, [, n]) => t + n, 0);
  const [top, topN] = excluded[0];
  return `<details class="sub exclusions" id="results-excluded"><summary>${num(total, 0)} sites écartés, surtout ${esc(exclusionLabel(top))} (${num(topN, 0)}) : le détail par motif</summary>
    <p class="hint">Chaque site est compté sous la première contrainte qu'il ne respecte pas.</p>
    <ul class="excluded">${items.join("")}</ul></details>`;
}

function renderResults(res) {
  const na = res.not_applicable || [];
  const shown = res.results.length;
  const detailed = res.detailed_results ?? shown;
  $("results-summary").innerHTML = `
    <p><strong>${num(res.eligible, 0)}</strong> sites éligibles sur ${num(res.considered, 0)} examinés${res.max_per_commune ? `, au plus ${num(res.max_per_commune, 0)} par commune` : ""}.</p>
    ${exclusionsHTML(res)}
    ${na.length ? `<p class="muted">Critères non pris en compte&nbsp;: ${na.map((c) => `${esc(criterionLabel(c))} (${esc(whyNot(c))})`).join(" ; ")}.</p>` : ""}
    ${detailed < shown ? `<p class="muted">Les chiffres détaillés accompagnent les ${num(detailed, 0)} premiers sites ; les suivants gardent leurs notes et leurs explications.</p>` : ""}
    ${res.coverage_gaps?.length ? `<details class="sub"><summary>Limites des données</summary><ul>${res.coverage_gaps.map((g) => `<li>${esc(g)}</li>`).join("")}</ul></details>` : ""}`;
  const list = $("results-list");
  if (!res.results.length) {
    list.innerHTML = `<li class="empty">Aucun site ne remplit toutes les contraintes. Élargissez la région, les types de sites ou les distances maximales.</li>`;
    group("results").clearLayers();
    setLegend("");
    return;
  }
  const [lo, hi] = scoreRange(res.results);
  list.innerHTML = res.results.map((r) => resultCard(r, lo, hi)).join("");
  drawResults(res.results, lo, hi);
}

function scoreRange(results) {
  const s = results.map((r) => r.score);
  const lo = Math.min(...s), hi = Math.max(...s);
  return hi - lo < 1e-9 ? [lo - 1, hi] : [lo, hi];
}

const rel = (score, lo, hi) => (score - lo) / (hi - lo);

export function siteLine(site) {
  const bits = [KIND_LABELS[site.kind] || site.kind, `${site.commune?.name || ""} (${site.departement || "?"})`];
  if (site.area_ha !== null && site.area_ha !== undefined) bits.push(`${num(site.area_ha, 1)} ha`);
  else if (site.kind !== "town") bits.push("surface inconnue");
  return bits.map(esc).join(" · ");
}

function resultCard(r, lo, hi) {
  const s = r.site;
  const bars = criteriaOf(r)
    .map((c) => {
      const k = r.criteria[c];
      return `<li title="${esc(k.explain)}" data-crit="${esc(c)}"><span class="lbl">${esc(criterionLabel(c))}</span>
        <span class="bar" role="img" aria-label="${esc(criterionLabel(c))} : ${num(k.score, 2)} sur 1"><span style="width:${(100 * k.score).toFixed(1)}%"></span></span>
        <span class="val">${num(k.score, 2)}</span></li>`;
    })
    .join("");
  const rb = r.robustness
    ? `<p class="robust muted">Robustesse : dans le haut du classement ${pct(r.robustness.p_top_k)} des tirages (rangs ${r.robustness.rank_p5} à ${r.robustness.rank_p95}).</p>`
    : "";
  const checked = ctx.compare.has(s.id);
  const full = !checked && ctx.compare.size >= MAX_COMPARE;
  return `<li class="card" data-id="${esc(s.id)}">
    <div class="card-head">
      <span class="rank" aria-label="Rang ${r.rank}">${r.rank}</span>
      <div class="title">
        <button type="button" class="link site-name" data-open="${esc(s.id)}">${esc(s.name)}</button>
        <div class="muted">${siteLine(s)}</div>
      </div>
      <span class="score" style="${scoreStyle(rel(r.score, lo, hi))}" aria-label="Note ${num(r.score, 1)} sur 100">${num(r.score, 1)}</span>
    </div>
    ${flagsHTML(r.flags)}
    ${r.twins?.length ? `<p class="twins muted">+ ${r.twins.length} autre${r.twins.length > 1 ? "s" : ""} site${r.twins.length > 1 ? "s" : ""} aux mêmes coordonnées, regroupé${r.twins.length > 1 ? "s" : ""} ici.</p>` : ""}
    <ul class="bars">${bars}</ul>
    ${rb}
    <div class="card-actions">
      <label><input type="checkbox" data-compare="${esc(s.id)}" ${checked ? "checked" : ""} ${full ? "disabled" : ""}> Comparer</label>
      <button type="button" data-open="${esc(s.id)}" aria-label="Détails de ${esc(s.name)}">Détails</button>
      <button type="button" class="link" data-locate="${esc(s.id)}" aria-label="Voir ${esc(s.name)} sur la carte">Sur la carte</button>
    </div>
  </li>`;
}

// criteriaOf lists a result's criteria in the server's order, then any
// the server listed that the page does not know.
export function criteriaOf(r) {
  const known = CRITERIA.filter((c) => r.criteria?.[c]);
  return known.concat(Object.keys(r.criteria || {}).filter((c) => !CRITERIA.includes(c)));
}

// flagsHTML shows a result's warnings: a short label, the server's French
// sentence on hover and for screen readers.
function flagsHTML(flags) {
  if (!flags?.length) return "";
  return `<ul class="flags" aria-label="À vérifier">${flags
    .map((f) => `<li class="flag" data-flag="${esc(f.id)}" title="${esc(f.explain)}"><span aria-hidden="true">⚠</span> ${esc(flagLabel(f.id))}<span class="visually-hidden"> : ${esc(f.explain)}</span></li>`)
    .join("")}</ul>`;
}

const markers = new Map();

function drawResults(results, lo, hi) {
  const g = group("results");
  g.clearLayers();
  markers.clear();
  // draw the best last, so it sits on top
  for (const r of [...results].reverse()) {
    const s = r.site;
    const icon = L.divIcon({
      className: "",
      html: `<span class="pin" style="${scoreStyle(rel(r.score, lo, hi))}">${r.rank}</span>`,
      iconSize: [26, 26],
      iconAnchor: [13, 13],
    });
    const m = L.marker([s.lat, s.lon], {
      icon, title: `${r.rank}. ${s.name} — ${num(r.score, 1)}/100`, alt: s.name, riseOnHover: true,
      zIndexOffset: 1000 * (results.length - r.rank), // the best on top
      baseZ: 1000 * (results.length - r.rank),
    });
    m.bindTooltip(`<strong>${r.rank}. ${esc(s.name)}</strong><br>${siteLine(s)}<br>Note ${num(r.score, 1)} / 100`, { direction: "top", offset: [0, -12] });
    m.on("click", () => openDetail(s.id));
    m.addTo(g);
    markers.set(s.id, m);
  }
  fitTo(g, 10);
  const stops = SCORE_RAMP.map((c) => `<span style="background:${c}"></span>`).join("");
  const d = hi - lo < 5 ? 1 : 0;
  setLegend(`<strong>Note des sites</strong><div class="ramp">${stops}</div><div class="ramp-labels"><span>${num(lo, d)}</span><span>${num(hi, d)}</span></div>
    <div class="legend-partners"><span class="partner-pin suppliers">F</span> fournisseur <span class="partner-pin customers">C</span> client</div>`);
}

function onResultsClick(ev) {
  const open = ev.target.closest("[data-open]");
  if (open) return openDetail(open.dataset.open);
  const loc = ev.target.closest("[data-locate]");
  if (loc) {
    const m = markers.get(loc.dataset.locate);
    if (m) {
      m.openTooltip();
      fitTo(L.latLngBounds([m.getLatLng()]), 11);
    }
  }
}

function onCompareToggle(ev) {
  const cb = ev.target.closest("[data-compare]");
  if (!cb) return;
  if (cb.checked) ctx.compare.add(cb.dataset.compare);
  else ctx.compare.delete(cb.dataset.compare);
  syncCompareBoxes();
  ctx.onCompareChange();
}

export function syncCompareBoxes() {
  for (const cb of document.querySelectorAll("[data-compare]")) {
    cb.checked = ctx.compare.has(cb.dataset.compare);
    cb.disabled = !cb.checked && ctx.compare.size >= MAX_COMPARE;
  }
}

export const compareSet = () => ctx.compare;
export const knownSite = (id) => ctx.sites.get(id);
export const rememberSite = (site) => ctx.sites.set(site.id, site);

// ---- detail ----------------------------------------------------------------

export function openDetail(id, push = true) {
  const r = ctx.response?.results.find((x) => x.site.id === id);
  if (!r) return;
  $("results").hidden = true;
  const box = $("detail");
  box.hidden = false;
  $("detail-body").innerHTML = detailHTML(r, ctx.response);
  $("detail-title").focus();
  box.scrollIntoView({ block: "start" });
  for (const [mid, m] of markers) {
    m.getElement()?.classList.toggle("selected", mid === id);
    m.setZIndexOffset(mid === id ? 1e6 : m.options.baseZ);
  }
  drawLinks(r);
  const m = markers.get(id);
  if (m) fitTo(group("links").getLayers().length ? group("links") : L.latLngBounds([m.getLatLng()]), 11);
  ctx.onChange({ p: ctx.state, site: id }, push);
}

function closeDetail(restore = true) {
  if ($("detail").hidden) return;
  $("detail").hidden = true;
  $("results").hidden = false;
  group("links").clearLayers();
  for (const m of markers.values()) {
    m.getElement()?.classList.remove("selected");
    m.setZIndexOffset(m.options.baseZ);
  }
  if (restore) {
    ctx.onChange({ p: ctx.state }, true);
    $("results-title").focus();
    fitTo(group("results"), 10);
  }
}

// drawLinks draws the site's links to the partners placed on the map.
function drawLinks(r) {
  const g = group("links");
  g.clearLayers();
  const at = [r.site.lat, r.site.lon];
  for (const role of ["suppliers", "customers"]) {
    for (const p of ctx.partners[role]) {
      if (p.lat === null || p.lon === null) continue;
      L.polyline([at, [p.lat, p.lon]], { color: role === "suppliers" ? "#7b3294" : "#d95f02", weight: 2, dashArray: "6 6", interactive: false }).addTo(g);
    }
  }
}

export function detailHTML(r, res) {
  const s = r.site;
  const facts = [
    ["Identifiant", `<code>${esc(s.id)}</code>`],
    ["Type", esc(KIND_LABELS[s.kind] || s.kind)],
    ["Commune", `${esc(s.commune?.name)} (${esc(s.commune?.code)})`],
    ["Département, région", `${esc(s.departement)}, ${esc(regionName(s.region))}`],
    ["Surface", s.kind === "town" ? "sans objet (ville)" : s.area_ha === null || s.area_ha === undefined ? "inconnue" : `${num(s.area_ha, 1)} ha`],
    s.status && ["Statut", esc(s.status)],
    s.programme && ["Programme", esc(s.programme)],
    s.territoire_industrie && ["Territoire d'industrie", esc(r.criteria?.territory?.detail?.territoire_industrie?.name || s.territoire_industrie)],
    s.epci && ["EPCI (SIREN)", esc(s.epci)],
    s.placement && ["Localisation", esc(s.placement)],
    s.site_type && ["Ancien usage", esc(s.site_type)],
    s.zone_type && ["Zone du PLU", esc(s.zone_type)],
    s.activity && ["Activité passée", esc(s.activity)],
    s.owner && ["Propriétaire", esc(s.owner)],
    s.pollution && ["Pollution", esc(s.pollution)],
    s.unverified && ["Vérification", "fiche BASIAS/BASOL non vérifiée par le Cerema"],
    s.availability && ["Disponibilité", esc(s.availability)],
    s.committed_to && ["Réservé à", esc(s.committed_to)],
    s.frr && ["France ruralités revitalisation", esc(FRR_LABELS[s.frr] || s.frr)],
    ["Source", esc(s.source)],
    s.source_detail && ["Source de la fiche", linkify(s.source_detail)],
    s.note && ["Note", esc(s.note)],
    ["Coordonnées", `${num(s.lat, 5)} N, ${num(s.lon, 5)} E`],
  ].filter(Boolean);
  const crits = criteriaOf(r)
    .map((c) => criterionHTML(c, r.criteria[c]))
    .join("");
  const na = (res?.not_applicable || []).concat(r.not_applicable || []).map(criterionLabel);
  const flags = r.flags?.length
    ? `<section class="warn" aria-labelledby="detail-flags"><h3 id="detail-flags">À vérifier</h3><ul>${r.flags
      .map((f) => `<li class="flag-detail" data-flag="${esc(f.id)}"><strong>${esc(flagLabel(f.id))}</strong> : ${esc(f.explain)}</li>`).join("")}</ul></section>`
    : "";
  const twins = r.twins?.length
    ? `<p class="twins">Aux mêmes coordonnées, regroupé${r.twins.length > 1 ? "s" : ""} dans ce résultat : ${r.twins
      .map((id) => `<a href="/v1/sites/${encodeURIComponent(id)}" target="_blank" rel="noopener"><code>${esc(id)}</code></a>`).join(", ")}.</p>`
    : "";
  const rb = r.robustness
    ? `<p>Robustesse : dans le haut du classement pour ${pct(r.robustness.p_top_k)} des pondérations tirées au hasard (rang entre ${r.robustness.rank_p5} et ${r.robustness.rank_p95}).</p>`
    : "";
  return `
    <h2 id="detail-title" tabindex="-1">${esc(s.name)}</h2>
    <p class="muted">${siteLine(s)}</p>
    <p class="bigscore"><span class="score">${num(r.score, 1)}</span> / 100 ${r.rank ? `· rang ${r.rank}` : ""}</p>
    ${rb}
    ${flags}
    ${twins}
    <dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>
    <h3>Critères</h3>
    <p class="hint">Note du critère (0 à 1) × part du critère = points sur 100.</p>
    ${crits}
    ${na.length ? `<p class="muted">Non pris en compte : ${na.map(esc).join(", ")}.</p>` : ""}
    <p><a href="/v1/sites/${encodeURIComponent(s.id)}" target="_blank" rel="noopener">Fiche complète du site (JSON)</a></p>`;
}

function criterionHTML(c, k) {
  return `<section class="crit" data-crit="${esc(c)}">
    <h4>${esc(criterionLabel(c))} <span class="crit-num">${num(k.score, 2)} × ${pct(k.weight)} = ${num(k.contribution, 1)} pts</span></h4>
    <div class="bar wide" aria-hidden="true"><span style="width:${(100 * k.score).toFixed(1)}%"></span></div>
    <p class="explain">${esc(k.explain)}</p>
    ${k.detail === null ? `<p class="muted">Chiffres détaillés réservés aux 100 premiers résultats : la comparaison ou la fiche du site les donne.</p>` : detailTable(c, k.detail)}
  </section>`;
}

function linkify(s) {
  const m = /^(https?:\/\/\S+)(.*)$/.exec(s || "");
  return m ? `<a href="${esc(m[1])}" target="_blank" rel="noopener noreferrer">${esc(m[1])}</a>${esc(m[2])}` : esc(s);
}

const ROLE = { supplier: "fournisseur", customer: "client", suppliers: "fournisseur", customers: "client" };

const LAND_FLAGS = {
  unknown_area: "surface inconnue : note attendue d'après les surfaces connues du même type",
  implausible_area: "surface douteuse (plus de 300 ha : l'unité foncière entière), lue comme inconnue",
  town: "ville : note tirée des terrains connus à moins de 10 km",
};

const substation = (x) => (x ? `${esc(x.name || x.id)} (${num(x.voltage_kv, 0)} kV) à ${km(x.km)}` : "aucun dans les données");

export function detailTable(c, d) {
  if (!d || typeof d !== "object") return "";
  switch (c) {
    case "supply_chain":
      return `<table><caption>${d.mode === "centrality"
        ? `Centralité : distance moyenne pondérée ${km(d.mean_km)}, la plus faible des sites retenus ${km(d.best_mean_km)} ; note 2 − ${num(d.mean_km, 1)} / ${num(Math.max(d.best_mean_km, d.near_km), 1)}, nulle au double ; la colonne Note donne pour information la note de chaque partenaire par la décroissance (1 jusqu'à ${num(d.near_km, 0)} km, 0 au-delà de ${num(d.far_km, 0)} km), qui n'entre pas dans la note`
        : `Note 1 jusqu'à ${num(d.near_km, 0)} km, 0 au-delà de ${num(d.far_km, 0)} km`}</caption>
        <thead><tr><th scope="col">Partenaire</th><th scope="col">Rôle</th><th scope="col">Distance</th><th scope="col">Poids</th><th scope="col">Note</th></tr></thead>
        <tbody>${(d.partners || []).map((p) => `<tr><td>${esc(p.name || p.commune || "—")}</td><td>${esc(ROLE[p.role] || p.role)}</td><td>${km(p.km)}</td><td>${num(p.weight, 2)}</td><td>${num(p.score, 2)}</td></tr>`).join("")}
        ${d.others ? `<tr><td>${num(d.others.count, 0)} autres partenaires</td><td>—</td><td>${km(d.others.mean_km)} en moyenne</td><td>${num(d.others.weight, 2)}</td><td>${num(d.others.score, 2)}</td></tr>` : ""}</tbody></table>`;
    case "transport": {
      const modes = MODES.filter((m) => d[m]).concat(Object.keys(d).filter((m) => !MODES.includes(m)));
      return `<table><thead><tr><th scope="col">Mode</th><th scope="col">Le plus proche</th><th scope="col">Distance</th><th scope="col">Importance</th><th scope="col">Note</th></tr></thead>
        <tbody>${modes
          .map((m) => {
            const x = d[m];
            return `<tr><td>${esc(modeLabel(m))}</td><td>${esc(x.name || x.id || "aucun dans les données")}${x.class ? ` <span class="muted">(${esc(x.class)})</span>` : ""}</td><td>${km(x.km)}</td><td>${num(x.importance, 2)}</td><td>${num(x.score, 2)} <span class="muted">(1 à ${num(x.near_km, 0)} km, 0 à ${num(x.far_km, 0)} km)</span></td></tr>`;
          })
          .join("")}</tbody></table>`;
    }
    case "labour":
      return dl([
        ["Rayon", km(d.radius_km)], ["Actifs de 15 à 64 ans", num(d.active, 0)], ["dont chômeurs", num(d.unemployed, 0)],
        ["Communes comptées", num(d.communes, 0)], ["Vivier (chômeurs et actifs qui changent d'employeur)", num(d.pool, 0)],
        ["Embauches des autres employeurs", num(d.competing_hires, 0)], ["Emplois du projet", num(d.jobs, 0)], ["Candidats restants par poste", num(d.ratio, 1)],
      ]);
    case "training":
      return dl([
        ["Rayon", km(d.radius_km)], ["Lycées professionnels", num(d.count, 0)], ["Nombre visé", num(d.needed, 0)],
        ["Métiers trouvés", (d.matched || []).map(esc).join(", ") || "—"], ["Métiers absents", (d.unmatched || []).map(esc).join(", ") || "—"],
      ]) + (d.nearest?.length ? `<p class="label">Les plus proches</p><ul class="compact">${d.nearest.map((l) => `<li>${esc(l.name)}, ${esc(l.commune)} — ${km(l.km)}${l.trades?.length ? ` <span class="muted">(${l.trades.map(esc).join(", ")})</span>` : ""}</li>`).join("")}</ul>` : "");
    case "land":
      return dl([
        ["Surface du site", d.area_ha === null || d.area_ha === undefined ? "inconnue" : `${num(d.area_ha, 1)} ha`],
        ["Surface demandée", d.required_ha === null || d.required_ha === undefined ? "—" : `${num(d.required_ha, 1)} ha`],
        d.flag && ["Signalement", esc(LAND_FLAGS[d.flag] || d.flag)],
        d.pass_probability !== undefined && ["Chance d'être assez grand", `${pct(d.pass_probability)}${d.sample ? ` (sur ${num(d.sample, 0)} surfaces connues)` : ""}`],
        d.plot_count && ["Terrains à moins de 10 km", num(d.plot_count, 0)],
      ]) + (d.plots?.length ? `<ul class="compact">${d.plots.map((p) => `<li>${esc(p.name || p.id)} — ${num(p.area_ha, 1)} ha à ${km(p.km)}</li>`).join("")}</ul>` : "");
    case "territory":
      return dl([
        ["Territoire d'industrie", d.territoire_industrie ? esc(d.territoire_industrie.name || d.territoire_industrie.id) : "non"],
        ["France ruralités revitalisation", d.frr ? esc(FRR_LABELS[d.frr] || d.frr) : "—"],
        ["Ville Action Cœur de Ville à 20 km", d.acv_town ? `${esc(d.acv_town.name)} (${km(d.acv_town.km)})` : "non"],
        ["Site prêt (clé en main, friche sans projet)", d.ready_site ? esc(READY[d.ready_site] || d.ready_site) : "non"],
      ]);
    case "energy": {
      const src = d.source;
      return dl([
        ["Poste RTE de 225 kV ou plus", substation(d.substation?.hv)],
        ["Poste RTE le plus proche", substation(d.substation?.any)],
        ["Poste source (Caparéseau)", src ? `${esc(src.name || src.id)} à ${km(src.km)}` : "aucun dans les données"],
        src && ["Capacité réservée restante", `${num(src.remaining_mw, 1)} MW <span class="muted">(capacité d'injection, indicative)</span>`],
        src && src.transformer_mva > 0 && ["Transformation", `${num(src.transformer_mva, 0)} MVA`],
      ]);
    }
    case "ecosystem":
      return ecosystemHTML(d);
    case "seveso_platform": {
      const n = d.nearest;
      return dl([["Établissement Seveso seuil haut le plus proche", n ? `${esc(n.name || n.id)} à ${km(n.km)}` : "aucun dans les données"]]);
    }
  }
  return `<pre class="raw">${esc(JSON.stringify(d, null, 2))}</pre>`;
}

// ECO_SOURCES say what the ecosystem criterion counted, and its limits.
const ECO_SOURCES = {
  establishments: "établissements IREP (registre des émissions polluantes) : les grands établissements industriels déclarants seulement, pas les PME ni les services",
  jobs: "emplois salariés Urssaf par commune et activité, dans les départements que couvre le fichier importé ; au-delà, les grands établissements IREP, chacun compté pour l'effectif moyen de sa branche : pas de liste d'établissements",
};

// clusterLabel names the level the own branch is counted at ("g:303":
// NAF group 30.3, "d:30": division 30).
function clusterLabel(key) {
  const m = /^([gd]):(\d+)$/.exec(key || "");
  if (!m) return esc(key || "—");
  return m[1] === "g" ? `groupe NAF ${esc(m[2].slice(0, 2))}.${esc(m[2].slice(2))}` : `division NAF ${esc(m[2])}`;
}

// ecosystemHTML shows the ecosystem criterion's numbers: the supplier
// branches found around the site, the nearest establishments, the source
// and its limits, the cluster and the references.
function ecosystemHTML(d) {
  const refs = d.reference_plants > 0
    ? `médiane autour de ${num(d.reference_plants, 0)} établissements IREP du ${clusterLabel(d.reference_basis)}`
    : "90e centile des sites candidats (moins de 5 établissements IREP de référence)";
  return dl([
    ["Activité", `NAF ${esc(d.naf)} : branche ${esc(d.branch)}, ${esc(d.branch_label)}`],
    ["Source", esc(ECO_SOURCES[d.source] || d.source)],
    ["Achats visibles", `${pct(d.observed_share)} des consommations intermédiaires de la branche (produits industriels, énergie, déchets : sections B à E) ; le reste (services…) n'est pas compté`],
    ["Fournisseurs comptés", `pleinement jusqu'à ${km(d.near_km)}, plus du tout au-delà de ${km(d.far_km)}`],
    ["Votre filière", `comptée comme grappe au niveau du ${clusterLabel(d.cluster)}, de ${km(d.cluster_near_km)} à ${km(d.cluster_far_km)}`],
    ["Références", refs],
  ]) + (d.branches?.length ? `<table class="eco-branches"><caption>Branches fournisseuses trouvées (présence : ${d.source === "jobs" ? "emplois salariés" : "établissements"} pondérés par la distance)</caption>
    <thead><tr><th scope="col">Branche</th><th scope="col">Part des achats</th><th scope="col">Présence</th><th scope="col">Référence</th><th scope="col">Note</th></tr></thead>
    <tbody>${d.branches.map((b) => `<tr data-branch="${esc(b.branch)}"><td>${esc(b.branch)} ${esc(b.label)}${b.own_branch ? ` <span class="muted">(votre branche)</span>` : ""}</td><td>${pct(b.share)}</td><td>${num(b.presence, 1)}</td><td>${num(b.reference, 1)}</td><td>${num(b.score, 2)}</td></tr>`).join("")}</tbody></table>` : "")
    + (d.nearest?.length ? `<p class="label">Établissements les plus proches</p><ul class="compact eco-nearest">${d.nearest.map((n) => `<li data-branch="${esc(n.branch)}">${esc(n.name || n.id)} <span class="muted">(${esc(n.activity || n.naf)}, branche ${esc(n.branch)})</span>, commune ${esc(n.commune)} — ${km(n.km)}</li>`).join("")}</ul>`
      : d.source === "jobs" ? `<p class="muted">Pas de liste d'établissements : la source est l'emploi salarié.</p>` : "");
}

const READY = { turnkey: "site clé en main", brownfield_without_project: "friche sans projet" };

function dl(rows) {
  return `<dl class="facts">${rows.filter(Boolean).map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>`;
}

// ---- restoring from the address -------------------------------------------

// restore fills the form from the address and ranks it again; site opens a
// site's detail once the results are in.
export async function restore(params) {
  const p = params.get("p");
  if (!p) return false;
  const m = decodeState(p);
  if (!m) return false;
  if (JSON.stringify(slimModel(readModel())) !== JSON.stringify(slimModel({ ...defaultModel(), ...m })) || !ctx.response) {
    writeForm(m);
    await run(false);
  }
  const site = params.get("site");
  if (site && ctx.response) openDetail(site, false);
  else if (!site) closeDetail(false);
  return true;
}
