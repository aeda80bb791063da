// "Catalogue": the OGC API Features collections, loaded for the visible
// part of the map, a page at a time up to a cap per layer.

/* global L */

import { api, describe } from "./api.js";
import { esc, num } from "./format.js";
import { group, leaflet, setLegend } from "./map.js";

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

const PAGE = 500; // features per request
const CAP = 2000; // features per layer and view

const state = new Map(); // id → {on, layer, ctrl, matched, shown}
let meta = {}; // id → collection document
let timer = 0;
let onChange = () => {};

export function setupCatalogue(opts) {
  onChange = opts.onChange;
  $("cat-layers").innerHTML = LAYERS.map(
    ([id, label, colour]) => `<li><label><input type="checkbox" data-layer="${id}"> <span class="swatch" style="background:${colour}"></span> ${esc(label)}</label>
      <span class="count muted" id="cat-count-${id}"></span></li>`,
  ).join("");
  for (const [id] of LAYERS) state.set(id, { on: false, layer: null, ctrl: null });
  $("cat-layers").addEventListener("change", (ev) => {
    const cb = ev.target.closest("[data-layer]");
    if (!cb) return;
    toggle(cb.dataset.layer, cb.checked);
    onChange({ layers: activeIds().join(",") }, false);
  });
  leaflet().on("moveend", () => {
    clearTimeout(timer);
    timer = setTimeout(reloadAll, 250);
  });
  api.collections().then(
    (res) => {
      for (const c of res?.collections || []) meta[c.id] = c;
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
    st.ctrl?.abort();
    st.layer?.remove();
    st.layer = null;
    $(`cat-count-${id}`).textContent = "";
    return;
  }
  load(id);
}

// reloadAll refreshes the active layers for the new view, when the
// catalogue's layers are on the map.
function reloadAll() {
  if (!leaflet().hasLayer(group("catalogue"))) return;
  for (const id of activeIds()) load(id);
}

export function refresh() {
  reloadAll();
}

function bbox() {
  const b = leaflet().getBounds();
  const c = (x, lo, hi) => Math.min(hi, Math.max(lo, x)).toFixed(5);
  return [c(b.getWest(), -180, 180), c(b.getSouth(), -90, 90), c(b.getEast(), -180, 180), c(b.getNorth(), -90, 90)].join(",");
}

async function load(id) {
  const st = state.get(id);
  const colour = LAYERS.find(([x]) => x === id)[2];
  st.ctrl?.abort();
  const ctrl = (st.ctrl = new AbortController());
  const count = $(`cat-count-${id}`);
  count.textContent = "chargement…";
  setStatus();
  const features = [];
  let matched = null;
  let url = `/collections/${id}/items?bbox=${bbox()}&limit=${PAGE}`;
  try {
    while (url && features.length < CAP) {
      const page = await api.get(url, ctrl.signal);
      features.push(...(page.features || []));
      matched ??= page.numberMatched ?? null;
      const next = (page.links || []).find((l) => l.rel === "next");
      url = next ? sameOrigin(next.href) : null;
    }
  } catch (err) {
    if (err.name === "AbortError") return;
    count.textContent = "erreur";
    setStatus(`${LAYERS.find(([x]) => x === id)[1]} : ${describe(err)}`);
    return;
  }
  if (!st.on || ctrl !== st.ctrl) return;
  st.layer?.remove();
  st.layer = L.geoJSON(
    { type: "FeatureCollection", features },
    {
      pointToLayer: (f, at) => L.circleMarker(at, { radius: id === "turnkey" || id === "airports" || id === "seaports" ? 7 : 4.5, color: "#fff", weight: 1, fillColor: colour, fillOpacity: 0.9 }),
      // points get their style in pointToLayer; lines and areas here
      style: (f) => (f.geometry?.type?.endsWith("Point") ? {} : { color: colour, weight: 1.5, fillColor: colour, fillOpacity: 0.15 }),
      onEachFeature: (f, layer) => {
        layer.bindTooltip(esc(titleOf(f)), { direction: "top" });
        layer.on("click", () => showFeature(id, f));
      },
    },
  ).addTo(group("catalogue"));
  const total = matched ?? features.length;
  count.textContent = total > features.length ? `${num(features.length, 0)} sur ${num(total, 0)} — zoomez` : `${num(features.length, 0)}`;
  setStatus();
}

// sameOrigin keeps a link's path and query, so that a server configured
// with another public URL is still called on this page's origin.
function sameOrigin(href) {
  const u = new URL(href, location.href);
  return u.pathname + u.search;
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
