// "Comparer": 2 to 4 sites of the list side by side, criterion by
// criterion (POST /v1/compare).

/* global L */

import { api, ApiError, describe } from "./api.js";
import { CRITERIA, criterionLabel, esc, exclusionLabel, frMessage, num, pct, scoreStyle } from "./format.js";
import { compareSet, currentProject, detailTable, formState, knownSite, rememberSite, showProjectErrors, siteLine, syncCompareBoxes } from "./find.js";
import { fitTo, group } from "./map.js";

const $ = (id) => document.getElementById(id);
const LETTERS = ["A", "B", "C", "D"];

let ctrl = null;
let onChange = () => {};

export function setupCompare(opts) {
  onChange = opts.onChange;
  $("compare-run").addEventListener("click", () => runCompare(true));
  $("compare-clear").addEventListener("click", () => {
    compareSet().clear();
    syncCompareBoxes();
    refreshPicked();
    $("compare-out").hidden = true;
    group("compare").clearLayers();
  });
  $("compare-picked").addEventListener("click", (ev) => {
    const b = ev.target.closest("[data-unpick]");
    if (!b) return;
    compareSet().delete(b.dataset.unpick);
    syncCompareBoxes();
    refreshPicked();
    $("compare-run").focus();
  });
  refreshPicked();
}

// refreshPicked redraws the chosen sites and the tab's counter.
export function refreshPicked() {
  const ids = [...compareSet()];
  $("compare-picked").innerHTML = ids.length
    ? ids.map((id) => `<li><span>${esc(knownSite(id)?.name || id)}</span> <button type="button" class="link" data-unpick="${esc(id)}" aria-label="Retirer ${esc(knownSite(id)?.name || id)} de la comparaison">×</button></li>`).join("")
    : `<li class="muted">Aucun site choisi.</li>`;
  $("compare-run").disabled = ids.length < 2;
  const badge = $("compare-count");
  badge.textContent = String(ids.length);
  badge.hidden = ids.length === 0;
}

export async function runCompare(push) {
  const ids = [...compareSet()];
  const status = $("compare-status"), out = $("compare-out");
  if (ids.length < 2) {
    status.className = "status error";
    status.textContent = "Choisissez au moins deux sites dans la liste des résultats.";
    return;
  }
  onChange({ p: formState(), ids: ids.join(",") }, push);
  status.className = "status loading";
  status.textContent = "Comparaison en cours…";
  out.setAttribute("aria-busy", "true");
  ctrl?.abort();
  const mine = (ctrl = new AbortController());
  try {
    const res = await api.compare(currentProject(), ids, mine.signal);
    const sites = res.sites || res.results || [];
    sites.forEach((x) => rememberSite(x.site));
    refreshPicked();
    status.className = "status";
    status.textContent = `${sites.length} sites comparés.`;
    out.innerHTML = tableHTML(sites, res.not_applicable || []);
    out.hidden = false;
    drawCompared(sites);
    out.querySelector("h2").focus({ preventScroll: true });
    out.scrollIntoView({ block: "start" });
  } catch (err) {
    if (err.name === "AbortError") return;
    status.className = "status error";
    let msg = describe(err);
    if (err instanceof ApiError && err.fields.length) {
      const placed = showProjectErrors(err.fields);
      const others = err.fields.filter((f) => !f.field.startsWith("project")).map((f) => frMessage(f.message));
      msg = "Comparaison refusée : " + [
        placed ? "le projet a des champs invalides, signalés dans « Trouver un site »" : "",
        ...others,
      ].filter(Boolean).join(" ; ") + ".";
    }
    status.textContent = msg;
    out.hidden = true;
  } finally {
    if (mine === ctrl) out.removeAttribute("aria-busy");
  }
}

function tableHTML(sites, notApplicable) {
  const best = (f) => Math.max(...sites.map(f));
  const listed = sites.flatMap((s) => Object.keys(s.criteria || {}));
  const crits = CRITERIA.filter((c) => listed.includes(c)).concat([...new Set(listed)].filter((c) => !CRITERIA.includes(c)));
  const bestScore = best((s) => s.score);
  const head = sites
    .map((s, i) => `<th scope="col"><span class="letter">${LETTERS[i]}</span> ${esc(s.site.name)}<div class="muted">${siteLine(s.site)}</div></th>`)
    .join("");
  const scoreRow = sites
    .map((s) => `<td class="${s.score === bestScore ? "best" : ""}"><span class="score" style="${scoreStyle(s.score / 100)}">${num(s.score, 1)}</span> <span class="muted">rang ${s.rank}</span></td>`)
    .join("");
  const exclRow = sites.some((s) => s.excluded_by)
    ? `<tr><th scope="row">Contrainte non respectée</th>${sites.map((s) => `<td>${s.excluded_by ? esc(exclusionLabel(s.excluded_by)) : "—"}</td>`).join("")}</tr>`
    : "";
  const rows = crits
    .map((c) => {
      const top = best((s) => s.criteria?.[c]?.score ?? -1);
      const cells = sites
        .map((s) => {
          const k = s.criteria?.[c];
          if (!k) return `<td class="muted">non applicable</td>`;
          return `<td class="${k.score === top ? "best" : ""}">
            <div class="bar" aria-hidden="true"><span style="width:${(100 * k.score).toFixed(1)}%"></span></div>
            <strong>${num(k.score, 2)}</strong> <span class="muted">× ${pct(k.weight)} = ${num(k.contribution, 1)} pts</span>
            <p class="explain">${esc(k.explain)}</p>
            <details class="sub"><summary>Chiffres</summary>${detailTable(c, k.detail)}</details>
          </td>`;
        })
        .join("");
      return `<tr><th scope="row">${esc(criterionLabel(c))}</th>${cells}</tr>`;
    })
    .join("");
  return `<h2 tabindex="-1">Comparaison</h2>
    <p class="hint">En gras surligné : le meilleur site pour chaque ligne.</p>
    <div class="table-scroll" tabindex="0" role="region" aria-label="Tableau de comparaison">
    <table class="compare"><thead><tr><th scope="col">Critère</th>${head}</tr></thead>
    <tbody><tr><th scope="row">Note sur 100</th>${scoreRow}</tr>${exclRow}${rows}</tbody></table></div>
    ${notApplicable.length ? `<p class="muted">Non pris en compte : ${notApplicable.map((c) => esc(criterionLabel(c))).join(", ")}.</p>` : ""}`;
}

function drawCompared(sites) {
  const g = group("compare");
  g.clearLayers();
  sites.forEach((s, i) => {
    const icon = L.divIcon({ className: "", html: `<span class="pin letter-pin">${LETTERS[i]}</span>`, iconSize: [28, 28], iconAnchor: [14, 14] });
    L.marker([s.site.lat, s.site.lon], { icon, title: `${LETTERS[i]}. ${s.site.name}`, alt: s.site.name })
      .bindTooltip(`<strong>${LETTERS[i]}. ${esc(s.site.name)}</strong><br>Note ${num(s.score, 1)} / 100`, { direction: "top", offset: [0, -12] })
      .addTo(g);
  });
  fitTo(g, 10);
}
