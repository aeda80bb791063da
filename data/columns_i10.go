package data

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// flagCol stores a boolean as "1" (true) or "" (false), the compact form
// for flags that are rarely set.
func flagCol[T any](name string, f func(*T) *bool) column[T] {
	return column[T]{name,
		func(t *T) string {
			if *f(t) {
				return "1"
			}
			return ""
		},
		func(t *T, v string) error {
			switch v {
			case "1":
				*f(t) = true
			case "":
				*f(t) = false
			default:
				return fmt.Errorf("%q is neither 1 nor empty", v)
			}
			return nil
		},
		func(t *T) any { return *f(t) }}
}

// floatCol stores a number with the shortest exact decimal form.
func floatCol[T any](name string, f func(*T) *float64) column[T] {
	return column[T]{name,
		func(t *T) string { return strconv.FormatFloat(*f(t), 'f', -1, 64) },
		func(t *T, v string) error {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("%q is not a number", v)
			}
			*f(t) = x
			return nil
		},
		func(t *T) any { return *f(t) }}
}

// optFloatCol stores a number that is meaningful only when known is true:
// empty otherwise.
func optFloatCol[T any](name string, f func(*T) *float64, known func(*T) *bool) column[T] {
	return column[T]{name,
		func(t *T) string {
			if !*known(t) {
				return ""
			}
			return strconv.FormatFloat(*f(t), 'f', -1, 64)
		},
		func(t *T, v string) error {
			if v == "" {
				*f(t), *known(t) = 0, false
				return nil
			}
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("%q is not a number", v)
			}
			*f(t), *known(t) = x, true
			return nil
		},
		func(t *T) any {
			if !*known(t) {
				return nil
			}
			return *f(t)
		}}
}

// intListCol stores a list of integers joined by ";".
func intListCol[T any](name string, f func(*T) *[]int) column[T] {
	return column[T]{name,
		func(t *T) string {
			parts := make([]string, len(*f(t)))
			for i, n := range *f(t) {
				parts[i] = strconv.Itoa(n)
			}
			return strings.Join(parts, ";")
		},
		func(t *T, v string) error {
			*f(t) = nil
			if v == "" {
				return nil
			}
			for _, p := range strings.Split(v, ";") {
				n, err := strconv.Atoi(p)
				if err != nil {
					return fmt.Errorf("%q is not a list of integers", v)
				}
				*f(t) = append(*f(t), n)
			}
			return nil
		},
		func(t *T) any { return *f(t) }}
}

func substationCols() []column[Substation] {
	cols := []column[Substation]{
		strCol("id", func(s *Substation) *string { return &s.ID }),
		strCol("name", func(s *Substation) *string { return &s.Name }),
		intCol("voltage_kv", func(s *Substation) *int { return &s.VoltageKV }),
		strCol("voltage", func(s *Substation) *string { return &s.Voltage }),
		strCol("function", func(s *Substation) *string { return &s.Function }),
		strCol("state", func(s *Substation) *string { return &s.State }),
	}
	cols = append(cols, pointCols(func(s *Substation) *orb.Point { return &s.Point })...)
	known := func(s *Substation) *bool { return &s.Capareseau }
	return append(cols,
		optFloatCol("remaining_mw", func(s *Substation) *float64 { return &s.RemainingMW }, known),
		floatCol("transformer_mva", func(s *Substation) *float64 { return &s.TransformerMVA }),
	)
}

func establishmentCols() []column[Establishment] {
	cols := []column[Establishment]{
		strCol("id", func(e *Establishment) *string { return &e.ID }),
		strCol("name", func(e *Establishment) *string { return &e.Name }),
		strCol("commune", func(e *Establishment) *string { return &e.Commune }),
		strCol("naf", func(e *Establishment) *string { return &e.NAF }),
		strCol("activity", func(e *Establishment) *string { return &e.Activity }),
		strCol("seveso", func(e *Establishment) *string { return &e.Seveso }),
		strCol("regime", func(e *Establishment) *string { return &e.Regime }),
	}
	cols = append(cols, pointCols(func(e *Establishment) *orb.Point { return &e.Point })...)
	return append(cols, strCol("url", func(e *Establishment) *string { return &e.URL }))
}

func branchCols() []column[Branch] {
	return []column[Branch]{
		strCol("code", func(b *Branch) *string { return &b.Code }),
		strCol("nace", func(b *Branch) *string { return &b.NACE }),
		strCol("label", func(b *Branch) *string { return &b.Label }),
	}
}

func ioCellCols() []column[IOCell] {
	return []column[IOCell]{
		strCol("buyer", func(c *IOCell) *string { return &c.Buyer }),
		strCol("supplier", func(c *IOCell) *string { return &c.Supplier }),
		floatCol("share", func(c *IOCell) *float64 { return &c.Share }),
	}
}

func nafDivisionCols() []column[NAFDivision] {
	return []column[NAFDivision]{
		strCol("division", func(d *NAFDivision) *string { return &d.Division }),
		strCol("branch", func(d *NAFDivision) *string { return &d.Branch }),
	}
}
