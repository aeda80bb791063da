// "Présélection régionale": the pair of sites of a région that together
// best serve a set of sectors, with the runner-up pairs (POST /v1/shortlist).

/* global L */

import { api, ApiError, describe } from "./api.js";
import { clearFieldErrors, showFieldErrors } from "./fields.js";
import { KIND_LABELS, KINDS, REGIONS, esc, km, num } from "./format.js";
import { siteLine } from "./find.js";
import { fitTo, group, regionOutline } from "./map.js";

const $ = (id) => document.getElementById(id);
const DEFAULT_SECTORS = ["aeronautics", "chemistry", "automotive"];
const DEFAULT_KINDS = ["turnkey", "zone", "brownfield"];

let profiles = [];
let onChange = () => {};
let ctrl = null;
let last = null; // {res, sites}

export function setupShortlist(opts) {
  profiles = opts.profiles;
  onChange = opts.onChange;
  const region = $("sl-region");
  for (const [code, name] of REGIONS) region.add(new Option(`${name} (${code})`, code));
  region.value = "28";
  $("sl-sectors").innerHTML = profiles
    .map((p) => `<label><input type="checkbox" name="sl-sector" value="${esc(p.id)}" ${DEFAULT_SECTORS.includes(p.id) ? "checked" : ""}> ${esc(p.label)}</label>`)
    .join("");
  $("sl-kinds").innerHTML = KINDS.map(
    (k) => `<label><input type="checkbox" name="sl-kind" value="${k}" ${DEFAULT_KINDS.includes(k) ? "checked" : ""}> ${esc(KIND_LABELS[k])}</label>`,
  ).join("");
  $("shortlist-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    runShortlist(true);
  });
  $("sl-out").addEventListener("click", (ev) => {
    const b = ev.target.closest("[data-pair]");
    if (b) highlightPair(Number(b.dataset.pair));
  });
}

function readForm() {
  const checked = (name) => [...document.querySelectorAll(`input[name="${name}"]:checked`)].map((c) => c.value);
  return {
    region: $("sl-region").value,
    sectors: checked("sl-sector"),
    kinds: checked("sl-kind"),
    min_km: $("sl-minkm").value,
    runners_up: $("sl-runners").value,
  };
}

export function restore(params) {
  if (!params.get("region")) return false;
  $("sl-region").value = params.get("region");
  const list = (k) => (params.get(k) || "").split(",").filter(Boolean);
  if (params.has("sectors")) for (const cb of document.querySelectorAll('input[name="sl-sector"]')) cb.checked = list("sectors").includes(cb.value);
  if (params.has("kinds")) for (const cb of document.querySelectorAll('input[name="sl-kind"]')) cb.checked = list("kinds").includes(cb.value);
  if (params.has("min_km")) $("sl-minkm").value = params.get("min_km");
  if (params.has("runners_up")) $("sl-runners").value = params.get("runners_up");
  runShortlist(false);
  return true;
}

export async function runShortlist(push) {
  const f = readForm();
  const form = $("shortlist-form"), status = $("sl-status"), out = $("sl-out");
  clearFieldErrors(form);
  $("sl-errors").hidden = true;
  const local = [];
  if (!f.sectors.length) local.push({ field: "sectors", message: "cochez au moins une filière" });
  if (!f.kinds.length) local.push({ field: "kinds", message: "cochez au moins un type de site" });
  if (local.length) {
    showFieldErrors(form, $("sl-errors"), local)?.focus();
    return;
  }
  onChange({ region: f.region, sectors: f.sectors.join(","), kinds: f.kinds.join(","), min_km: f.min_km, runners_up: f.runners_up }, push);
  const req = { region: f.region, sectors: f.sectors, kinds: f.kinds };
  for (const k of ["min_km", "runners_up"]) {
    if (f[k] !== "") req[k] = Number.isFinite(Number(f[k])) ? Number(f[k]) : f[k];
  }
  status.className = "status loading";
  status.textContent = "Recherche de la meilleure paire…";
  $("sl-submit").disabled = true;
  out.setAttribute("aria-busy", "true");
  ctrl?.abort();
  const mine = (ctrl = new AbortController());
  try {
    const res = await api.shortlist(req, mine.signal);
    const sites = await resolveSites(res, mine.signal);
    last = { res, sites };
    status.className = "status";
    status.textContent = res.best ? "Paire recommandée trouvée." : "Aucune paire à proposer.";
    out.innerHTML = resultHTML(res, sites);
    out.hidden = false;
    draw(res, sites, f.region);
    out.querySelector("h2").focus({ preventScroll: true });
    out.scrollIntoView({ block: "start" });
  } catch (err) {
    if (err.name === "AbortError") return;
    status.className = "status error";
    status.textContent = describe(err);
    if (err instanceof ApiError && err.fields.length) showFieldErrors(form, $("sl-errors"), err.fields)?.focus();
    out.hidden = true;
    group("shortlist").clearLayers();
  } finally {
    if (mine === ctrl) {
      $("sl-submit").disabled = false;
      out.removeAttribute("aria-busy");
    }
  }
}

const pairs = (res) => [res.best, ...(res.runners_up || [])].filter(Boolean);
const idOf = (x) => (typeof x === "string" ? x : x?.id);

// resolveSites collects the sites of the pairs (site_a, site_b), fetching
// any the answer names only by id.
async function resolveSites(res, signal) {
  const sites = new Map();
  const ids = new Set();
  for (const p of pairs(res)) {
    for (const [x, site] of [[p.a, p.site_a], [p.b, p.site_b]]) {
      if (site?.id) sites.set(site.id, site);
      else if (typeof x === "object" && x) sites.set(x.id, x.site || x);
      else if (x) ids.add(x);
    }
  }
  for (const id of sites.keys()) ids.delete(id);
  await Promise.all(
    [...ids].map(async (id) => {
      try {
        const r = await api.site(id, signal);
        sites.set(id, r.site || r);
      } catch (err) {
        if (err.name === "AbortError") throw err;
        sites.set(id, { id, name: id });
      }
    }),
  );
  return sites;
}

function sectorLabel(id) {
  return profiles.find((p) => p.id === id)?.label || id;
}

function siteBlock(letter, site) {
  return `<div class="pair-site"><span class="letter">${letter}</span> <strong>${esc(site?.name || "?")}</strong>
    <div class="muted">${site?.kind ? siteLine(site) : ""}</div><div class="muted"><code>${esc(site?.id)}</code></div></div>`;
}

function resultHTML(res, sites) {
  const head = `<h2 tabindex="-1">${esc(res.region?.name || "")}&nbsp;: paire recommandée</h2>
    <p class="muted">${num(res.considered, 0)} sites de la région pour ces types, ${num(res.scored, 0)} capables d'accueillir au moins une filière.</p>`;
  if (!res.best) return `${head}<p>${esc(res.explain)}</p>`;
  const b = res.best;
  const A = sites.get(idOf(b.a)), B = sites.get(idOf(b.b));
  const rows = (b.sectors || [])
    .map((s) => `<tr><th scope="row">${esc(sectorLabel(s.sector))}</th>
      <td class="${s.best === "a" ? "best" : ""}">${num(s.score_a, 1)}</td><td class="${s.best === "b" ? "best" : ""}">${num(s.score_b, 1)}</td></tr>`)
    .join("");
  const runners = (res.runners_up || [])
    .map((p, i) => {
      const a = sites.get(idOf(p.a)), c = sites.get(idOf(p.b));
      return `<li><button type="button" class="link" data-pair="${i + 1}">${esc(a?.name || idOf(p.a))} + ${esc(c?.name || idOf(p.b))}</button>
        <span class="muted">— ${num(p.value, 1)} / 100, ${km(p.km)}</span><p class="explain">${esc(p.explain)}</p></li>`;
    })
    .join("");
  return `${head}
    <div class="pair">${siteBlock("A", A)}${siteBlock("B", B)}</div>
    <p><strong>Note moyenne ${num(b.value, 1)} / 100</strong> · appui ${num(b.backup, 1)} · ${km(b.km)} entre les deux sites
      <button type="button" class="link" data-pair="0">voir sur la carte</button></p>
    <table><caption>Note de chaque site pour le projet type de chaque filière (sur 100)</caption>
      <thead><tr><th scope="col">Filière</th><th scope="col">A</th><th scope="col">B</th></tr></thead><tbody>${rows}</tbody></table>
    <h3>Raisonnement</h3>
    <p class="explain">${esc(res.explain)}</p>
    ${runners ? `<h3>Paires suivantes</h3><ol class="runners" start="2">${runners}</ol>` : ""}`;
}

function draw(res, sites, region) {
  const g = group("shortlist");
  g.clearLayers();
  const outline = regionOutline(region);
  outline?.addTo(g);
  const all = pairs(res);
  all.forEach((p, i) => {
    const a = sites.get(idOf(p.a)), b = sites.get(idOf(p.b));
    if (!a?.lat || !b?.lat) return;
    const best = i === 0;
    L.polyline([[a.lat, a.lon], [b.lat, b.lon]], {
      color: best ? "#b2182b" : "#888", weight: best ? 4 : 2, dashArray: best ? null : "4 6", className: `pair-line pair-${i}`,
    })
      .bindTooltip(`${best ? "Paire recommandée" : `Paire n° ${i + 1}`} : ${num(p.value, 1)} / 100, ${km(p.km)}`)
      .addTo(g);
    if (best) {
      for (const [letter, s] of [["A", a], ["B", b]]) {
        const icon = L.divIcon({ className: "", html: `<span class="pin letter-pin best">${letter}</span>`, iconSize: [30, 30], iconAnchor: [15, 15] });
        L.marker([s.lat, s.lon], { icon, title: `${letter}. ${s.name}`, alt: s.name, zIndexOffset: 1000 })
          .bindTooltip(`<strong>${letter}. ${esc(s.name)}</strong><br>${siteLine(s)}`, { direction: "top", offset: [0, -14] })
          .addTo(g);
      }
    } else {
      for (const s of [a, b]) L.circleMarker([s.lat, s.lon], { radius: 5, color: "#555", weight: 1, fillColor: "#ddd", fillOpacity: 1 }).bindTooltip(esc(s.name)).addTo(g);
    }
  });
  fitTo(outline || g, 11);
}

function highlightPair(i) {
  if (!last) return;
  const p = pairs(last.res)[i];
  const a = last.sites.get(idOf(p?.a)), b = last.sites.get(idOf(p?.b));
  if (!a?.lat || !b?.lat) return;
  group("shortlist").eachLayer((l) => {
    if (l instanceof L.Polyline) {
      const mine = l.options.className === `pair-line pair-${i}`;
      l.setStyle({ opacity: mine ? 1 : 0.35 });
      if (mine) l.bringToFront().openTooltip();
    }
  });
  fitTo(L.latLngBounds([[a.lat, a.lon], [b.lat, b.lon]]), 11);
}
