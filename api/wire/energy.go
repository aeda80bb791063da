package wire

import "sitematch/matching"

// SubstationJSON is an RTE substation seen from a site.
type SubstationJSON struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	VoltageKV int     `json:"voltage_kv"`
	Km        float64 `json:"km"`
}

// PosteSourceJSON is the nearest poste source Caparéseau knows, with its
// remaining reserved capacity (MW; Caparéseau measures injection capacity,
// not withdrawal) and its transformer power (MVA).
type PosteSourceJSON struct {
	SubstationJSON
	RemainingMW    float64 `json:"remaining_mw"`
	TransformerMVA float64 `json:"transformer_mva"`
}

// EnergyDetailJSON is the detail of the energy criterion and the energy
// features of GET /v1/sites/{id}: the nearest substation of 225 kV or
// more (hv), of any voltage (any) and the nearest poste source (source);
// each null when none. Off the mainland, every field is null and
// not_applicable gives the reason.
type EnergyDetailJSON struct {
	Substation struct {
		HV  *SubstationJSON `json:"hv"`
		Any *SubstationJSON `json:"any"`
	} `json:"substation"`
	Source        *PosteSourceJSON `json:"source"`
	NotApplicable string           `json:"not_applicable,omitempty"`
}

func substationJSON(s *matching.SubstationNear) *SubstationJSON {
	if s == nil {
		return nil
	}
	return &SubstationJSON{ID: s.ID, Name: s.Name, VoltageKV: s.VoltageKV, Km: s.Km}
}

func newEnergyDetailJSON(d *matching.EnergyDetail) EnergyDetailJSON {
	var out EnergyDetailJSON
	out.Substation.HV, out.Substation.Any = substationJSON(d.HV), substationJSON(d.Any)
	if d.Source != nil {
		out.Source = &PosteSourceJSON{SubstationJSON: *substationJSON(d.Source), RemainingMW: d.RemainingMW, TransformerMVA: d.TransformerMVA}
	}
	return out
}

// energyFeaturesJSON is a candidate's energy features for GET /v1/sites/{id}.
func energyFeaturesJSON(eng *matching.Engine, c *matching.Candidate) EnergyDetailJSON {
	out := newEnergyDetailJSON(eng.EnergyDetailOf(c))
	if c.Landmass != matching.Mainland {
		out.NotApplicable = matching.EnergyNA
	}
	return out
}

// SevesoDetailJSON is the detail of the seveso_platform criterion: the
// nearest Seveso upper-tier establishment, null when none on the landmass.
type SevesoDetailJSON struct {
	Nearest *struct {
		ID      string  `json:"id"`
		Name    string  `json:"name"`
		Commune string  `json:"commune"`
		Km      float64 `json:"km"`
	} `json:"nearest"`
}

func newSevesoDetailJSON(d *matching.SevesoDetail) SevesoDetailJSON {
	var out SevesoDetailJSON
	if d.ID != "" {
		out.Nearest = &struct {
			ID      string  `json:"id"`
			Name    string  `json:"name"`
			Commune string  `json:"commune"`
			Km      float64 `json:"km"`
		}{d.ID, d.Name, d.Commune, d.Km}
	}
	return out
}
