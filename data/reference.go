package data

import (
	"cmp"
	"slices"
	"strings"
)

// Branch is a branch of the INSEE national accounts at the A38 level
// (NAF rév. 2 section or group of divisions), e.g. CL "Fabrication de
// matériels de transport".
type Branch struct {
	Code  string // A38 code: AZ … TZ
	NACE  string // the NACE Rev. 2 divisions it covers, e.g. "C29_C30"
	Label string // French
}

// IOCell is one coefficient of the input-output table: the share of a
// buying branch's intermediate consumption that a supplying branch's
// product makes up (domestic and imported together).
type IOCell struct {
	Buyer    string // A38 code of the buying branch (the table's row)
	Supplier string // A38 code of the product supplied (the column)
	Share    float64
}

// NAFDivision bridges a NAF division (the first two digits of an APE
// code) to its A38 branch.
type NAFDivision struct {
	Division string // two digits, e.g. "29"
	Branch   string // A38 code
}

// IOTable is the INSEE input-output table (TEI, 2018, A38) with its
// branches and the NAF division bridge: who supplies whom, for the
// supply-chain criterion. Cells are sorted by buyer then supplier and hold
// the non-zero coefficients only; Branches and Divisions are sorted by
// code.
type IOTable struct {
	Branches  []Branch
	Cells     []IOCell
	Divisions []NAFDivision
}

// Share returns the share of the buyer branch's intermediate consumption
// supplied by the supplier branch (0 when the table has no such cell).
func (t *IOTable) Share(buyer, supplier string) float64 {
	i, ok := slices.BinarySearchFunc(t.Cells, IOCell{Buyer: buyer, Supplier: supplier}, compareCells)
	if !ok {
		return 0
	}
	return t.Cells[i].Share
}

// Suppliers returns the buyer branch's non-zero coefficients, by supplier
// code. The slice aliases the table: do not modify it.
func (t *IOTable) Suppliers(buyer string) []IOCell {
	lo, _ := slices.BinarySearchFunc(t.Cells, IOCell{Buyer: buyer}, compareCells)
	hi := lo
	for hi < len(t.Cells) && t.Cells[hi].Buyer == buyer {
		hi++
	}
	return t.Cells[lo:hi:hi]
}

// Branch returns the branch with the A38 code.
func (t *IOTable) Branch(code string) (Branch, bool) {
	i, ok := slices.BinarySearchFunc(t.Branches, code, func(b Branch, c string) int { return cmp.Compare(b.Code, c) })
	if !ok {
		return Branch{}, false
	}
	return t.Branches[i], true
}

// BranchOfNAF returns the A38 branch of a NAF or APE code ("29.10Z",
// "2910Z" or the division "29").
func (t *IOTable) BranchOfNAF(code string) (string, bool) {
	code = strings.TrimSpace(code)
	if len(code) < 2 {
		return "", false
	}
	div := code[:2]
	i, ok := slices.BinarySearchFunc(t.Divisions, div, func(d NAFDivision, c string) int { return cmp.Compare(d.Division, c) })
	if !ok {
		return "", false
	}
	return t.Divisions[i].Branch, true
}

func compareCells(a, b IOCell) int {
	if c := cmp.Compare(a.Buyer, b.Buyer); c != 0 {
		return c
	}
	return cmp.Compare(a.Supplier, b.Supplier)
}

// SortCells sorts cells by buyer then supplier, the order Share expects.
func SortCells(cells []IOCell) { slices.SortFunc(cells, compareCells) }

// A38Labels are the French labels of the A38 branches (INSEE, NAF rév. 2,
// niveau A38 "agrégation en 38 postes"), which lib_Branches.csv leaves
// empty.
var A38Labels = map[string]string{
	"AZ": "Agriculture, sylviculture et pêche",
	"BZ": "Industries extractives",
	"CA": "Fabrication de denrées alimentaires, de boissons et de produits à base de tabac",
	"CB": "Fabrication de textiles, industries de l'habillement, industrie du cuir et de la chaussure",
	"CC": "Travail du bois, industries du papier et imprimerie",
	"CD": "Cokéfaction et raffinage",
	"CE": "Industrie chimique",
	"CF": "Industrie pharmaceutique",
	"CG": "Fabrication de produits en caoutchouc et en plastique ainsi que d'autres produits minéraux non métalliques",
	"CH": "Métallurgie et fabrication de produits métalliques à l'exception des machines et des équipements",
	"CI": "Fabrication de produits informatiques, électroniques et optiques",
	"CJ": "Fabrication d'équipements électriques",
	"CK": "Fabrication de machines et équipements n.c.a.",
	"CL": "Fabrication de matériels de transport",
	"CM": "Autres industries manufacturières ; réparation et installation de machines et d'équipements",
	"DZ": "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné",
	"EZ": "Production et distribution d'eau ; assainissement, gestion des déchets et dépollution",
	"FZ": "Construction",
	"GZ": "Commerce ; réparation d'automobiles et de motocycles",
	"HZ": "Transports et entreposage",
	"IZ": "Hébergement et restauration",
	"JA": "Édition, audiovisuel et diffusion",
	"JB": "Télécommunications",
	"JC": "Activités informatiques et services d'information",
	"KZ": "Activités financières et d'assurance",
	"LZ": "Activités immobilières",
	"MA": "Activités juridiques, comptables, de gestion, d'architecture, d'ingénierie, de contrôle et d'analyses techniques",
	"MB": "Recherche-développement scientifique",
	"MC": "Autres activités spécialisées, scientifiques et techniques",
	"NZ": "Activités de services administratifs et de soutien",
	"OZ": "Administration publique",
	"PZ": "Enseignement",
	"QA": "Activités pour la santé humaine",
	"QB": "Hébergement médico-social et social et action sociale",
	"RZ": "Arts, spectacles et activités récréatives",
	"SZ": "Autres activités de services",
	"TZ": "Activités des ménages en tant qu'employeurs ; activités indifférenciées des ménages en tant que producteurs de biens et services pour usage propre",
}
