// "Catalogue": the OGC API Features collections, drawn from their vector
// tiles (OGC API Tiles, mvt.js): every feature at every zoom, grouped into
// counted cells at low zoom; a click reads the feature from its items.

/* global L */

import { api, describe } from "./api.js";
import { esc, num } from "./format.js";
import { group, leaflet, setLegend } from "./map.js";
import { vectorTiles } from "./mvt.js";

const $ = (id) => document.getElementById(id);

export const LAYERS = [
  ["turnkey", "Sites clés en main", "#d7191c"],
  ["zones", "Zones d'activité", "#f28e2b"],
  ["brownfields", "Friches", "#8c510a"],
  ["towns", "Villes (Cœur de Ville, Petites villes)", "#6a3d9a"],
  ["territoires_industrie", "Territoires d'industrie", "#1a9850"],
  ["motorway_interchanges", "Échangeurs (autoroutes, voies express)", "#e6550d"],
  ["rail_freight", "Fret ferroviaire", "#3f3f3f"],
  ["rail_terminal", "Transport combiné rail-route", "#7f2704"],
  ["stations", "Gares voyageurs", "#2b8cbe"],
  ["airports", "Aéroports (vols réguliers)", "#41b6c4"],
  ["airfields", "Aérodromes, bases aériennes", "#99d8c9"],
  ["seaports", "Ports de commerce", "#08306b"],
  ["river_port", "Ports fluviaux", "#4292c6"],
  ["training", "Lycées professionnels", "#c51b7d"],
];

const state = new Map(); // id → {on, layer}
let meta = {}; // id → collection document
let onChange = () => {};

export function setupCatalogue(opts) {
  onChange = opts.onChange;
  $("cat-layers").innerHTML = LAYERS.map(
    ([id, label, colour]) => `<li><label><input type="checkbox" data-layer="${id}"> <span class="swatch" style="background:${colour}"></span> ${esc(label)}</label>
      <span class="count muted" id="cat-count-${id}"></span></li>`,
  ).join("");
  for (const [id] of LAYERS) state.set(id, { on: false, layer: null });
  $("cat-layers").addEventListener("change", (ev) => {
    const cb = ev.target.closest("[data-layer]");
    if (!cb) return;
    toggle(cb.dataset.layer, cb.checked);
    onChange({ layers: activeIds().join(",") }, false);
  });
  api.collections().then(
    (res) => {
      for (const c of res?.collections || []) meta[c.id] = c;
      for (const id of activeIds()) $(`cat-count-${id}`).textContent = num(meta[id]?.numberOfItems ?? 0, 0);
    },
    () => {},
  );
}

const activeIds = () => LAYERS.map(([id]) => id).filter((id) => state.get(id).on);

export function restore(params) {
  const want = (params.get("layers") || "").split(",").filter(Boolean);
  for (const cb of document.querySelectorAll("[data-layer]")) {
    cb.checked = want.includes(cb.dataset.layer);
    toggle(cb.dataset.layer, cb.checked);
  }
}

function toggle(id, on) {
  const st = state.get(id);
  if (!st) return;
  st.on = on;
  const active = LAYERS.filter(([x]) => x === id ? on : state.get(x).on);
  setLegend(active.length ? `<strong>Catalogue</strong><ul>${active.map(([, label, colour]) => `<li><span class="swatch" style="background:${colour}"></span> ${esc(label)}</li>`).join("")}</ul>` : "", "catalogue");
  if (!on) {
    st.layer?.remove();
    st.layer = null;
    $(`cat-count-${id}`).textContent = "";
    return;
  }
  load(id);
}

// refresh is kept for the page's tabs: the tiles follow the view and the
// zoom by themselves.
export function refresh() {
  for (const id of activeIds()) load(id);
}

// load shows a layer from the server's vector tiles: every feature, at
// every zoom (grouped into counted cells below zoom 10), with no cap.
function load(id) {
  const st = state.get(id);
  if (st.layer) return; // tiles follow the view by themselves
  const [, label, colour] = LAYERS.find(([x]) => x === id);
  const radius = id === "turnkey" || id === "airports" || id === "seaports" ? 7 : 4.5;
  st.layer = vectorTiles(id, {
    colour,
    radius,
    onError: (err) => setStatus(`${label} : ${describe(err)}`),
    onClick: (props, at, z) => {
      if (props.count > 1) {
        leaflet().setView(at, Math.min(z + 2, 18));
        return;
      }
      if (props.id === undefined) return;
      api.get(`/collections/${encodeURIComponent(id)}/items/${encodeURIComponent(props.id)}`).then(
        (f) => showFeature(id, f),
        (err) => setStatus(`${label} : ${describe(err)}`),
      );
    },
  }).addTo(group("catalogue"));
  st.layer.getContainer()?.setAttribute("data-collection", id);
  const n = meta[id]?.numberOfItems;
  $(`cat-count-${id}`).textContent = n === undefined ? "" : num(n, 0);
  setStatus();
}

function setStatus(msg) {
  const el = $("cat-status");
  el.className = msg ? "status error" : "status";
  el.textContent = msg || "";
}

function titleOf(f) {
  const p = f.properties || {};
  return p.name || p.nom || p.label || String(f.id ?? "");
}

const SKIP = new Set(["name"]);

function showFeature(id, f) {
  const box = $("cat-feature");
  const p = f.properties || {};
  const coll = meta[id];
  const layerLabel = LAYERS.find(([x]) => x === id)[1];
  // Unknown registry fields come as null: list only what is known, and say
  // how many are not filled in.
  const known = Object.entries(p).filter(([k, v]) => !SKIP.has(k) && v !== null && v !== undefined && v !== "");
  const unknown = Object.entries(p).filter(([k]) => !SKIP.has(k)).length - known.length;
  const rows = known
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${fmt(v)}</dd>`)
    .join("");
  const g = f.geometry;
  const where = g?.type === "Point" ? `${num(g.coordinates[1], 5)} N, ${num(g.coordinates[0], 5)} E` : esc(g?.type || "");
  const src = p.source || coll?.attribution || "";
  box.innerHTML = `<h2 id="cat-feature-title" tabindex="-1">${esc(titleOf(f))}</h2>
    <p class="muted">${esc(layerLabel)} · <code>${esc(f.id ?? "")}</code> · ${where}</p>
    ${src ? `<p><strong>Source :</strong> ${fmt(src)}</p>` : ""}
    ${coll?.description ? `<p class="hint">${esc(coll.description)}</p>` : ""}
    <dl class="facts">${rows}</dl>
    ${unknown > 0 ? `<p class="hint">${num(unknown, 0)} champ${unknown > 1 ? "s" : ""} non renseigné${unknown > 1 ? "s" : ""}.</p>` : ""}
    <p><a href="/collections/${encodeURIComponent(id)}/items/${encodeURIComponent(f.id ?? "")}" target="_blank" rel="noopener">Objet en GeoJSON</a></p>`;
  box.hidden = false;
  box.querySelector("h2").focus({ preventScroll: false });
}

function fmt(v) {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "number") return num(v, 4);
  if (typeof v === "boolean") return v ? "oui" : "non";
  if (typeof v === "object") return `<code>${esc(JSON.stringify(v))}</code>`;
  const s = String(v);
  if (/^https?:\/\/\S+$/.test(s)) return `<a href="${esc(s)}" target="_blank" rel="noopener noreferrer">${esc(s)}</a>`;
  return esc(s);
}
