// Calls to sitematch's HTTP API (same origin). Errors come back as
// ApiError, which carries the RFC 9457 problem and its invalid fields.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `Erreur ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.fields = Array.isArray(problem?.errors) ? problem.errors : [];
  }
}

async function call(method, url, body, signal) {
  let res;
  try {
    res = await fetch(url, {
      method,
      signal,
      headers: body === undefined ? { Accept: "application/json" } : { "Content-Type": "application/json", Accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(0, { title: "Serveur injoignable", detail: "Le serveur sitematch ne répond pas. Vérifiez qu'il tourne, puis réessayez." });
  }
  const type = res.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await res.json().catch(() => null) : null;
  if (!res.ok) {
    throw new ApiError(res.status, data || { title: `Erreur ${res.status}`, detail: res.statusText });
  }
  return data;
}

// exportAs posts body to url?f=format and returns the file as a Blob.
async function exportAs(url, format, body) {
  let res;
  try {
    res = await fetch(`${url}?f=${encodeURIComponent(format)}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { title: "Serveur injoignable", detail: "Le serveur sitematch ne répond pas. Vérifiez qu'il tourne, puis réessayez." });
  }
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  return res.blob();
}

export const api = {
  export: exportAs,
  profiles: () => call("GET", "/v1/profiles"),
  match: (project, opts, signal) => call("POST", "/v1/match", { project, ...opts }, signal),
  compare: (project, siteIds, signal) => call("POST", "/v1/compare", { project, site_ids: siteIds }, signal),
  shortlist: (req, signal) => call("POST", "/v1/shortlist", req, signal),
  sector: (naf, signal) => call("GET", `/v1/sectors/${encodeURIComponent(naf)}`, undefined, signal),
  territory: (code, signal) => call("GET", `/v1/territories/${encodeURIComponent(code)}`, undefined, signal),
  site: (id, signal) => call("GET", `/v1/sites/${encodeURIComponent(id)}`, undefined, signal),
  communes: (q, limit, signal) => call("GET", `/v1/communes?q=${encodeURIComponent(q)}&limit=${limit}`, undefined, signal),
  collections: () => call("GET", "/collections"),
  get: (url, signal) => call("GET", url, undefined, signal),
  config: () => call("GET", "/app/config.json").catch(() => ({})),
};

// describe turns any error into one French sentence for a status line.
export function describe(err) {
  if (err instanceof ApiError) {
    if (err.status === 0) return err.problem.detail;
    if (err.status === 429) return "Trop de requêtes : patientez quelques secondes puis réessayez.";
    if (err.status === 503 || err.status === 504) return "Le serveur est occupé ou a mis trop de temps à répondre : réessayez.";
    if (err.status >= 500) return `Erreur du serveur (${err.status}) : ${err.problem.title || "réessayez plus tard"}.`;
    if (err.status === 404) return `Introuvable : ${err.problem.detail || err.problem.title || "ressource inconnue"}.`;
    if (err.fields.length) return `${err.fields.length === 1 ? "Un champ est invalide" : `${err.fields.length} champs sont invalides`} : corrigez ${err.fields.length === 1 ? "le champ signalé" : "les champs signalés"}.`;
    return `Requête refusée (${err.status}) : ${err.problem.detail || err.problem.title}.`;
  }
  return `Erreur inattendue : ${err.message}`;
}
