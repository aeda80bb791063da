// French labels and number formatting shared by the views.

// The model the server scores with: its criteria, transport modes and
// defaults, as GET /v1/profiles lists them. setModel fills these once at
// start-up, before any view is built, so that a criterion or mode the
// server adds appears in the form, the lists and the details by itself;
// the labels below only translate the ids this page knows (another id is
// shown readable, from the id itself).
export const CRITERIA = [];
export const MODES = [];
export const MODE_DECAY = {}; // mode → {near_km, far_km}
export const DEFAULTS = { weights: {}, transport: {}, seveso_weights: {}, max_per_commune: null };
// REQUIREMENTS say when each criterion applies (the engine's criteria
// table): criterion → {requires: [project inputs, all needed], sites}.
export const REQUIREMENTS = {};

export function setModel(profiles) {
  CRITERIA.splice(0, CRITERIA.length, ...(profiles.criteria || []));
  MODES.splice(0, MODES.length, ...(profiles.modes || []).map((m) => m.id));
  for (const m of profiles.modes || []) MODE_DECAY[m.id] = { near_km: m.near_km, far_km: m.far_km };
  Object.assign(DEFAULTS.weights, profiles.defaults?.weights || {});
  Object.assign(DEFAULTS.transport, profiles.defaults?.transport || {});
  Object.assign(DEFAULTS.seveso_weights, profiles.defaults?.seveso_weights || {});
  DEFAULTS.max_per_commune = profiles.defaults?.max_per_commune ?? null;
  for (const r of profiles.requirements || []) REQUIREMENTS[r.criterion] = { requires: r.requires || [], sites: r.sites || "" };
}

// readable turns an id the page has no label for into words
// ("seveso_platform" → "Seveso platform").
const readable = (id) => {
  const s = String(id).replace(/_/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
};

export const CRITERION_LABELS = {
  supply_chain: "Fournisseurs et clients",
  transport: "Transport",
  labour: "Main-d'œuvre",
  training: "Formation",
  land: "Foncier",
  territory: "Territoire",
  energy: "Énergie",
  seveso_platform: "Plateforme Seveso",
  ecosystem: "Écosystème industriel",
};

// CRITERION_HELP says in a sentence what each criterion measures.
export const CRITERION_HELP = {
  supply_chain: "Distance aux fournisseurs et clients indiqués, pondérés.",
  transport: "Distance aux échangeurs, gares, ports, aéroports et terminaux, selon vos besoins de transport.",
  labour: "Actifs et chômeurs à moins de 30 km face aux emplois du projet.",
  training: "Lycées professionnels à moins de 45 km qui forment aux métiers recherchés.",
  land: "Surface du site face à la surface nécessaire.",
  territory: "Territoire d'industrie, zone France ruralités revitalisation (FRR), ville Action Cœur de Ville proche, site prêt.",
  energy: "Réseau électrique : poste RTE de 225 kV ou plus, poste le plus proche et capacité restante du poste source (Caparéseau) ; métropole seulement.",
  seveso_platform: "Proximité d'un établissement Seveso seuil haut existant (une plateforme qui vit déjà avec le risque) ; pour un projet Seveso.",
  ecosystem: "Établissements des branches qui fournissent la vôtre (tableau entrées-sorties de l'INSEE), et ceux de votre propre filière ; pour un projet qui donne son code NAF.",
};

export const criterionLabel = (c) => CRITERION_LABELS[c] || readable(c);

export const MODE_LABELS = {
  motorway: "Autoroute (échangeur)",
  rail_freight: "Fret ferroviaire (gare fret)",
  station: "Gare voyageurs",
  airport: "Aéroport (lignes régulières)",
  port: "Port maritime",
  rail_terminal: "Transport combiné rail-route",
  river_port: "Port fluvial",
};

// MODE_HELP explains the modes whose name alone can mislead.
export const MODE_HELP = {
  rail_freight: "Une gare ouverte au fret (embranchement, wagons complets), pas un terminal de conteneurs.",
  airport: "Aéroports à lignes régulières ; les aérodromes d'affaires et bases aériennes n'en font pas partie.",
  rail_terminal: "Terminal de transport combiné (GNTC) : conteneurs et caisses mobiles, atteint par camion.",
  river_port: "Port fluvial de marchandises (OpenStreetMap, liste partielle).",
};

export const modeLabel = (m) => MODE_LABELS[m] || readable(m);

// Transport importances the sliders offer, 0 to 1 by quarters.
export const IMPORTANCE_LABELS = ["Inutile", "Secondaire", "Utile", "Importante", "Essentielle"];

export const KINDS = ["turnkey", "zone", "brownfield", "town"];

export const KIND_LABELS = {
  turnkey: "Site clé en main",
  zone: "Zone d'activité",
  brownfield: "Friche",
  town: "Ville (Cœur de Ville, Petites villes)",
};

// EXCLUSION_LABELS name, in French, the hard constraints that exclude
// sites (the response's "excluded" keys).
export const EXCLUSION_LABELS = {
  kind: "type de site non retenu",
  region: "hors de la région",
  departement: "hors des départements",
  landmass: "sur un autre territoire (île, outre-mer) que la plupart des partenaires",
  site_type: "friche d'un usage incompatible avec une usine (habitat, commerce, décharge…)",
  unverified: "fiche BASIAS/BASOL non vérifiée par le Cerema",
  land: "surface insuffisante",
  committed: "site déjà réservé à un autre projet",
  needed_by: "disponible trop tard",
  max_km: "trop loin d'un mode de transport",
  veto: "critère sous le seuil",
  seveso: "incompatible avec un établissement Seveso",
};

export const exclusionLabel = (k) => EXCLUSION_LABELS[k] || readable(k);

// SEVESO_RULE_LABELS name the Seveso gate's rules (excluded_seveso).
export const SEVESO_RULE_LABELS = {
  town: "villes",
  site_type: "friches d'usage sensible (habitat, commerce, loisirs, santé, enseignement, culte)",
  zone: "zones naturelles ou agricoles du PLU",
  dense: "communes de 50 000 habitants ou plus sans établissement seuil haut à 3 km",
};

// FLAG_LABELS are short French names of the results' warnings; the
// server's own sentence (explain) says the rest.
export const FLAG_LABELS = {
  committed: "Déjà réservé",
  availability_uncertain: "Disponibilité incertaine",
  unverified: "Fiche non vérifiée",
  non_industrial_type: "Usage peu industriel",
  implausible_area: "Surface douteuse",
};

export const flagLabel = (id) => FLAG_LABELS[id] || readable(id);

// FRR_LABELS name the France ruralités revitalisation classes.
export const FRR_LABELS = {
  non: "non classée",
  beneficiaire_partielle: "bénéficiaire en partie",
  beneficiaire: "bénéficiaire",
  partielle: "classée en partie",
  socle: "FRR socle",
  plus: "FRR+",
};

export const SEVESO_TIERS = { upper: "seuil haut", lower: "seuil bas" };

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
  [/^must be a year and month, YYYY-MM \(or a year, YYYY\)$/, "donnez un mois (AAAA-MM) ou une année (AAAA)"],
  [/^year must be between (\d+) and (\d+)$/, "l'année doit être comprise entre $1 et $2"],
  [/^month must be between 01 and 12$/, "le mois doit être compris entre 01 et 12"],
  [/^must be a number of kilometres between 0 and (\d+)$/, "doit être un nombre de kilomètres entre 0 et $1"],
  [/^must be greater than near_km \((\S+) km.*\)$/, "doit dépasser la distance pleine note ($1 km)"],
  [/^must be less than far_km \((\S+) km.*\)$/, "doit rester sous la distance note nulle ($1 km)"],
  [/^give the code (\S+) of "(.*)"$/, "code $1 pour « $2 »"],
  [/^unknown département "([^"]*)".*$/, "département inconnu « $1 »"],
  [/^must be a NAF rév\. 2 code, division or finer.*, got "(.*)"$/, "« $1 » n'est pas un code NAF rév. 2 (une division ou plus fin, ex. 30 ou 30.30Z)"],
  [/^unknown NAF division "(.*)"$/, "division NAF « $1 » inconnue"],
];

export function frMessage(msg) {
  for (const [re, fr] of MESSAGES) {
    if (re.test(msg)) return msg.replace(re, fr);
  }
  return msg;
}
