package data

// Coverage counts how much of the catalogue carries the facts the model
// reads, for `info` and /v1/meta: the share of brownfields with a known
// area, the lycées whose trades come from the courses they teach, the
// communes the FRR list classifies.
type Coverage struct {
	Brownfields           int            // brownfield records
	BrownfieldsKnownArea  int            // of which with a known area
	BrownfieldsUnverified int            // of which unverified BASIAS/BASOL records
	Lycees                int            // training records
	LyceesByCourses       int            // with trade families from the course offer
	LyceesByName          int            // with trade families read from the name (absent from the constat)
	Communes              int            // commune records
	FRR                   map[string]int // FRR class id → communes, every commune counted once
	Substations           int            // substation records
	SubstationsCapareseau int            // of which joined to a Caparéseau poste source
	SubstationsHV         int            // of which at 225 kV or more
}

// KnownAreaShare is the share of brownfields with a known area, in [0, 1].
func (c Coverage) KnownAreaShare() float64 {
	if c.Brownfields == 0 {
		return 0
	}
	return float64(c.BrownfieldsKnownArea) / float64(c.Brownfields)
}

// Coverage counts the catalogue's coverage.
func (c *Catalogue) Coverage() Coverage {
	out := Coverage{Brownfields: len(c.Brownfields), Lycees: len(c.Lycees), Communes: len(c.Communes),
		Substations: len(c.Substations), FRR: map[string]int{}}
	for _, s := range c.Brownfields {
		if s.AreaKnown {
			out.BrownfieldsKnownArea++
		}
		if s.Unverified {
			out.BrownfieldsUnverified++
		}
	}
	for _, l := range c.Lycees {
		switch {
		case len(l.Trades) == 0:
		case l.TradesSource == TradesByCourses:
			out.LyceesByCourses++
		case l.TradesSource == TradesByName:
			out.LyceesByName++
		}
	}
	for _, cl := range FRRClasses {
		out.FRR[cl.ID] = 0
	}
	for _, cm := range c.Communes {
		out.FRR[cm.FRR]++
	}
	for _, s := range c.Substations {
		if s.Capareseau {
			out.SubstationsCapareseau++
		}
		if s.VoltageKV >= 225 {
			out.SubstationsHV++
		}
	}
	return out
}
