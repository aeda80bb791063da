// Package matching is sitematch's domain: projects, candidates with their
// precomputed features, the six scoring criteria, hard constraints, ranking,
// robustness and the regional shortlist. It is pure: no HTTP, no I/O, no
// clock; an Engine built once over a catalogue answers any number of
// concurrent matches.
//
// # Scoring model (v1)
//
// Every criterion scores a site in [0, 1] (DESIGN.md, "Scoring model"):
//
//   - supply_chain: Σ wᵢ·decay(dᵢ, 25, 300) / Σ wᵢ over suppliers and customers;
//   - transport: Σ mₖ·decay(dₖ, nearₖ, farₖ) / Σ mₖ over the modes with importance mₖ > 0;
//   - labour: clamp((ln r − ln 20) / (ln 500 − ln 20), 0, 1), r the active
//     population aged 15-64 within 30 km per job;
//   - training: min(1, n / max(1, ⌈jobs/50⌉)) for n vocational lycées within
//     30 km, times the share of the requested trade families found among them;
//   - land: clamp(area / (2·need), 0, 1), 0.5 when the area is unknown, not
//     applicable to towns;
//   - territory: 0.5·[Territoire d'industrie] + 0.3·[Action Cœur de Ville town
//     within 20 km] + 0.2·[turnkey site or brownfield without project].
//
// The total is 100·Σ W_c·s_c / Σ W_c over the criteria that apply; a
// criterion without input (no partners, no jobs, no land need) does not
// apply. Distances are great-circle kilometres on a sphere of radius
// 6371.0088 km; reported distances are rounded to 0.1 km.
//
// # Speed
//
// Features that do not depend on the project (nearest node per mode, labour
// pool, lycées and their trades, programmes) are computed once in NewEngine.
// A match then costs one pass over the candidates: the supply-chain term
// compares precomputed unit vectors by chord and takes the arc only inside
// the 25-300 km band, and a bounded heap keeps the best results without
// sorting every candidate.
package matching
