// The map: Leaflet over the région and département outlines that sitematch
// serves. No tile is fetched from outside unless a base map is configured
// (server config.json, or ?basemap=URL in the page's address).

/* global L */

const FRANCE = [[41.3, -5.3], [51.2, 9.7]];

let lmap = null;
const groups = {}; // named layer groups, one set per view
let legendEl, hintEl;
let picking = null; // {resolve} while waiting for a click

export function initMap(config) {
  const calm = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  lmap = L.map("map", {
    zoomAnimation: !calm,
    fadeAnimation: !calm,
    markerZoomAnimation: !calm,
    preferCanvas: true, // thousands of catalogue points draw fast on a canvas
    zoomSnap: 0.25,
    minZoom: 3,
    maxZoom: 17,
    attributionControl: true,
  });
  window.__sitematchMap = lmap; // for the browser test and the console
  lmap.attributionControl.setPrefix('<a href="https://leafletjs.com" title="Bibliothèque de cartes">Leaflet</a>');
  lmap.createPane("outlines").style.zIndex = 250;
  lmap.fitBounds(FRANCE);
  L.control.scale({ imperial: false }).addTo(lmap);
  legendEl = document.getElementById("legend");
  hintEl = document.getElementById("map-hint");

  const basemap = baseMapURL(config);
  if (basemap) {
    L.tileLayer(basemap.url, { maxZoom: 19, attribution: basemap.attribution }).addTo(lmap);
    document.getElementById("map").classList.add("has-basemap");
  }
  loadOutlines(Boolean(basemap));

  lmap.on("click", (ev) => {
    if (!picking) return;
    const p = picking;
    stopPicking();
    p.resolve({ lon: round(ev.latlng.lng, 5), lat: round(ev.latlng.lat, 5) });
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && picking) {
      const p = picking;
      stopPicking();
      p.resolve(null);
    }
  });
  return lmap;
}

function baseMapURL(config) {
  const fromPage = new URLSearchParams(location.search).get("basemap");
  const url = fromPage || config?.basemap;
  if (!url || !/^https?:\/\/[^ ]+\{z\}/.test(url)) return null;
  const attribution = fromPage ? "Fond de carte : " + new URL(url.replace(/[{}]/g, "")).host : config.basemap_attribution || "";
  return { url, attribution };
}

async function loadOutlines(withBaseMap) {
  const style = (level) =>
    level === "regions"
      ? { pane: "outlines", color: "#6b6358", weight: 1.4, fillColor: "#f7f4ee", fillOpacity: withBaseMap ? 0 : 1, interactive: false }
      : { pane: "outlines", color: "#b9b0a2", weight: 0.6, fill: false, interactive: false };
  const attribution = "Contours : IGN Admin Express 2018 (simplifiés)";
  for (const level of ["regions", "departements"]) {
    try {
      const res = await fetch(`/app/outlines/${level}.geojson`);
      if (!res.ok) throw new Error(String(res.status));
      const gj = await res.json();
      const layer = L.geoJSON(gj, { style: style(level), attribution: level === "regions" ? attribution : undefined }).addTo(lmap);
      if (level === "regions") outlines.regions = layer;
      else layer.bringToFront();
    } catch (err) {
      console.warn(`contours ${level} indisponibles`, err);
    }
  }
}

const outlines = { regions: null };

// regionOutline returns a highlighted copy of a metropolitan région's
// outline, or null (overseas régions have none).
export function regionOutline(code) {
  let out = null;
  outlines.regions?.eachLayer((l) => {
    if (l.feature?.properties?.code === code) {
      out = L.geoJSON(l.feature, { pane: "outlines", interactive: false, style: { color: "#b2182b", weight: 2.5, fill: false } });
    }
  });
  return out;
}

export function group(name) {
  if (!groups[name]) groups[name] = L.featureGroup();
  return groups[name];
}

// The layer groups and legend each view shows.
const VIEW_GROUPS = {
  trouver: ["partners", "results", "links"],
  comparer: ["compare"],
  preselection: ["shortlist"],
  catalogue: ["catalogue"],
};
const legends = {};
let view = "trouver";

// showView keeps on the map only the view's groups and legend.
export function showView(name) {
  view = name;
  for (const g of VIEW_GROUPS[name] || []) group(g);
  for (const [gname, g] of Object.entries(groups)) {
    if ((VIEW_GROUPS[name] || []).includes(gname)) g.addTo(lmap);
    else g.remove();
  }
  renderLegend();
}

export function fitTo(layerOrBounds, maxZoom = 11) {
  const b = layerOrBounds.getBounds ? layerOrBounds.getBounds() : layerOrBounds;
  if (b && b.isValid()) lmap.fitBounds(b, { padding: [30, 30], maxZoom });
}

export function leaflet() {
  return lmap;
}

// setLegend sets a view's legend (the results' view by default).
export function setLegend(html, forView = "trouver") {
  legends[forView] = html || "";
  renderLegend();
}

function renderLegend() {
  const html = legends[view] || "";
  legendEl.innerHTML = html;
  legendEl.hidden = !html;
}

// pick waits for a click on the map and resolves with {lon, lat}, or null
// when cancelled (Escape, or another pick).
export function pick(message) {
  if (picking) {
    const p = picking;
    stopPicking();
    p.resolve(null);
  }
  hintEl.textContent = message + " (Échap pour annuler)";
  hintEl.hidden = false;
  lmap.getContainer().classList.add("picking");
  document.body.classList.add("picking");
  return new Promise((resolve) => {
    picking = { resolve };
  });
}

function stopPicking() {
  picking = null;
  hintEl.hidden = true;
  lmap.getContainer().classList.remove("picking");
  document.body.classList.remove("picking");
}

export function refreshSize() {
  lmap?.invalidateSize();
}

function round(x, d) {
  const p = 10 ** d;
  return Math.round(x * p) / p;
}
