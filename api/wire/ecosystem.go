package wire

import "sitematch/matching"

// EcoBranchJSON is one supplier branch of the ecosystem detail.
type EcoBranchJSON struct {
	Branch    string  `json:"branch"`
	Label     string  `json:"label"`
	OwnBranch bool    `json:"own_branch"`
	Presence  float64 `json:"presence"`
	Reference float64 `json:"reference"`
	Score     float64 `json:"score"`
	Share     float64 `json:"share"`
}

// EcoEstablishmentJSON is an IREP establishment of a supplier branch near
// the site.
type EcoEstablishmentJSON struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Activity string  `json:"activity"`
	Branch   string  `json:"branch"`
	Commune  string  `json:"commune"`
	Km       float64 `json:"km"`
	NAF      string  `json:"naf"`
}

// EcosystemDetailJSON is the detail of the ecosystem criterion.
type EcosystemDetailJSON struct {
	Branch          string                 `json:"branch"`
	BranchLabel     string                 `json:"branch_label"`
	Branches        []EcoBranchJSON        `json:"branches"`
	Cluster         string                 `json:"cluster"`
	ClusterFarKm    float64                `json:"cluster_far_km"`
	ClusterNearKm   float64                `json:"cluster_near_km"`
	FarKm           float64                `json:"far_km"`
	NAF             string                 `json:"naf"`
	NearKm          float64                `json:"near_km"`
	Nearest         []EcoEstablishmentJSON `json:"nearest"`
	ObservedShare   float64                `json:"observed_share"`
	ReferenceBasis  string                 `json:"reference_basis"`
	ReferencePlants int                    `json:"reference_plants"`
	Source          string                 `json:"source"`
}

func newEcosystemDetailJSON(d *matching.EcosystemDetail) EcosystemDetailJSON {
	out := EcosystemDetailJSON{Branch: d.Branch, BranchLabel: d.BranchLabel, FarKm: d.FarKm, NAF: d.NAF, NearKm: d.NearKm,
		ObservedShare: d.ObservedShare, Source: d.Source, Branches: []EcoBranchJSON{}, Nearest: []EcoEstablishmentJSON{},
		Cluster: d.Cluster, ClusterNearKm: d.ClusterNearKm, ClusterFarKm: d.ClusterFarKm, ReferenceBasis: d.ReferenceBasis,
		ReferencePlants: d.ReferencePlants}
	for _, b := range d.Branches {
		out.Branches = append(out.Branches, EcoBranchJSON{b.Branch, b.Label, b.OwnBranch, b.Presence, b.Reference, b.Score, b.Share})
	}
	for _, n := range d.Nearest {
		out.Nearest = append(out.Nearest, EcoEstablishmentJSON{n.ID, n.Name, n.Activity, n.Branch, n.Commune, n.Km, n.NAF})
	}
	return out
}
