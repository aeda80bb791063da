// French labels and number formatting shared by the views.

export const CRITERIA = ["supply_chain", "transport", "labour", "training", "land", "territory"];

export const CRITERION_LABELS = {
  supply_chain: "Fournisseurs et clients",
  transport: "Transport",
  labour: "Main-d'œuvre",
  training: "Formation",
  land: "Foncier",
  territory: "Territoire",
};

export const MODES = ["motorway", "rail_freight", "station", "airport", "port"];

export const MODE_LABELS = {
  motorway: "Autoroute (échangeur)",
  rail_freight: "Fret ferroviaire",
  station: "Gare voyageurs",
  airport: "Aéroport",
  port: "Port maritime",
};

// Transport importances the sliders offer, 0 to 1 by quarters.
export const IMPORTANCE_LABELS = ["Inutile", "Secondaire", "Utile", "Importante", "Essentielle"];

export const KINDS = ["turnkey", "zone", "brownfield", "town"];

export const KIND_LABELS = {
  turnkey: "Site clé en main",
  zone: "Zone d'activité",
  brownfield: "Friche",
  town: "Ville (Cœur de Ville, Petites villes)",
};

export const EXCLUSION_LABELS = {
  region: "hors de la région",
  departement: "hors des départements",
  kind: "type de site non retenu",
  land: "surface insuffisante",
  max_km: "trop loin d'un mode de transport",
  veto: "critère sous le seuil",
};

// Régions (INSEE codes, COG). The outlines carry metropolitan France only,
// so the list lives here.
export const REGIONS = [
  ["84", "Auvergne-Rhône-Alpes"], ["27", "Bourgogne-Franche-Comté"], ["53", "Bretagne"],
  ["24", "Centre-Val de Loire"], ["94", "Corse"], ["44", "Grand Est"], ["32", "Hauts-de-France"],
  ["11", "Île-de-France"], ["28", "Normandie"], ["75", "Nouvelle-Aquitaine"], ["76", "Occitanie"],
  ["52", "Pays de la Loire"], ["93", "Provence-Alpes-Côte d'Azur"],
  ["01", "Guadeloupe"], ["02", "Martinique"], ["03", "Guyane"], ["04", "La Réunion"], ["06", "Mayotte"],
];

export function regionName(code) {
  const r = REGIONS.find(([c]) => c === code);
  return r ? r[1] : code;
}

const formats = new Map();

// num formats a number the French way (1 234,5) with at most digits
// decimals.
export function num(x, digits = 1) {
  if (x === null || x === undefined || Number.isNaN(x)) return "—";
  if (!formats.has(digits)) formats.set(digits, new Intl.NumberFormat("fr-FR", { maximumFractionDigits: digits }));
  return formats.get(digits).format(x);
}

export function km(x) {
  return x === null || x === undefined ? "—" : `${num(x, 1)} km`;
}

export function pct(x, digits = 0) {
  return `${num(100 * x, digits)} %`;
}

// escapeHTML makes text safe inside HTML built with template strings.
export function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// Score colours: a sequential ramp (ColorBrewer YlGnBu, colour-blind safe),
// darker is better.
const RAMP = ["#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"];

export function scoreColour(t) {
  const x = Math.min(1, Math.max(0, t));
  return RAMP[Math.min(RAMP.length - 1, Math.floor(x * RAMP.length))];
}

export const SCORE_RAMP = RAMP;

// scoreStyle is the inline style of a score chip or pin: the ramp's colour
// with a text colour that keeps a 4.5:1 contrast (WCAG AA).
export function scoreStyle(t) {
  const bg = scoreColour(t);
  return `background:${bg};color:${RAMP.indexOf(bg) < 4 ? "#0f1d2a" : "#fff"}`;
}

// French versions of the API's validation messages; unknown ones are shown
// as the API wrote them.
const MESSAGES = [
  [/^is required$/, "obligatoire"],
  [/^must be positive$/, "doit être positif"],
  [/^must be a finite number$/, "doit être un nombre"],
  [/^must be at most (\d+) hectares$/, "ne doit pas dépasser $1 ha"],
  [/^must be at most (\d+) characters$/, "ne doit pas dépasser $1 caractères"],
  [/^must be between (\S+) and (\S+)$/, "doit être compris entre $1 et $2"],
  [/^must be a number between (\S+) and (\S+)$/, "doit être un nombre entre $1 et $2"],
  [/^unknown INSEE commune code "(.*)"$/, "commune inconnue (code INSEE « $1 »)"],
  [/^unknown sector "(.*)".*$/, "filière inconnue « $1 »"],
  [/^unknown trade family "(.*)".*$/, "métier inconnu « $1 »"],
  [/^unknown région code "(.*)"$/, "région inconnue « $1 »"],
  [/^unknown département code "(.*)"$/, "département inconnu « $1 »"],
  [/^unknown kind "(.*)".*$/, "type de site inconnu « $1 »"],
  [/^at least one weight must be positive$/, "au moins un poids doit être positif"],
  [/^give either commune or lon and lat, not both$/, "donnez une commune ou un point sur la carte, pas les deux"],
  [/^needs a commune \(INSEE code\) or lon and lat$/, "choisissez une commune ou un point sur la carte"],
  [/^must be a positive number up to (\d+)$/, "doit être un nombre positif (au plus $1)"],
  [/^must be a positive number of kilometres up to (\d+)$/, "doit être un nombre de kilomètres positif (au plus $1)"],
  [/^must be (a|an) (\w+), got (.*)$/, "type incorrect"],
  [/^must name between (\d+) and (\d+) sites, got (\d+)$/, "choisissez entre $1 et $2 sites ($3 choisis)"],
  [/^unknown site "(.*)"$/, "site inconnu « $1 »"],
];

export function frMessage(msg) {
  for (const [re, fr] of MESSAGES) {
    if (re.test(msg)) return msg.replace(re, fr);
  }
  return msg;
}
