// Package matching is sitematch's domain: projects, candidates with their
// precomputed features, the scoring criteria, hard constraints, ranking,
// diversity, robustness and the regional shortlist. It is pure: no HTTP,
// no I/O, no clock; an Engine built once over a catalogue answers any
// number of concurrent matches.
//
// # Scoring model
//
// A criterion is one entry of the table in table.go (when it applies, its
// score, its explanation, its typed Detail); a transport mode one entry of
// TransportModes (its decay and catalogue layer). Every criterion scores a
// site in [0, 1]:
//
//   - supply_chain: by decay, Σ wᵢ·decay(dᵢ, near, far) / Σ wᵢ over
//     suppliers and customers, near and far from the sector profile (25,
//     300 km without one) or the project's SupplyDecay; by centrality
//     (logistics, agrifood, or SupplyDecay.Mode), CentralityScore of the
//     weighted mean partner distance against the least over the eligible
//     candidates;
//   - transport: Σ mₖ·decay(dₖ, nearₖ, farₖ) / Σ mₖ over the modes with
//     importance mₖ > 0;
//   - labour: LabourScore of r = (U + 0.05·E − 0.05·E) / jobs, the
//     candidates left per opening once the other employers have hired, U
//     the unemployed and E the employed aged 15-64 within 30 km: steep up
//     to 20 per opening (0.9, staffed), gentle beyond (depth);
//   - training: lycées within 45 km weighted by decay(d, 15, 45); without
//     trades min(1, Σw / need), with trades the mean over the requested
//     families f of min(1, T_f / (need/W)), T_f = Σ w·min(1, pupils in f / 50)
//     over the lycées (LyceeFamilyShare), need = max(1, ⌈jobs/50⌉)
//     (TrainingScore);
//   - land: clamp(area / LandFullHa(need), 0, 1) for a believed known area
//     (full at twice a small need, 1.25 times a need of 100 ha); for an
//     unknown one (or a brownfield's above 300 ha) the expected score over
//     the known areas of its kind and site type; for a town its best plot
//     within 10 km, reduced with the plot's distance (land.go);
//   - territory: 0.5·[Territoire d'industrie] + 0.3·[Action Cœur de Ville
//     town within 20 km] + 0.2·[turnkey site or brownfield without project].
//
// The total is 100·Σ W_c·s_c / Σ W_c over the criteria that apply; a
// criterion without input (no partners, no jobs, no land need) does not
// apply. Every feature stays on the site's landmass (data.LandmassOf); sites off
// the landmass of most of the partner weight are excluded unless the
// project allows them; so are, unless it includes them, brownfields whose
// former use cannot host a plant, unverified BASIAS/BASOL records, sites
// committed to a named project and sites available only after needed_by
// (land.go, availability.go). A match keeps at most MaxPerCommune results per
// commune and merges sites at identical coordinates into the best one
// (its twins). Distances are great-circle kilometres on a sphere of radius
// 6371.0088 km; reported distances are rounded to 0.1 km.
//
// # Speed
//
// Features that do not depend on the project (nearest node per mode and
// landmass, labour pool, lycées and their weights per trade family,
// programmes) are computed once in NewEngine. A match then costs one pass
// over the candidates: the supply-chain term compares precomputed unit
// vectors by chord and takes the arc only inside the query's band, by as
// many terms of the asin series as the band needs to be exact, and a
// bounded heap keeps the best results without sorting every candidate.
package matching
