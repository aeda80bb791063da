package data

// FRRClass is a class of the France ruralités revitalisation zoning (FRR,
// successor of the ZRR since 1 July 2024), as the list of 10 July 2025
// classifies a commune.
type FRRClass struct {
	ID    string // the snapshot's code, in Commune.FRR
	Label string // the source's label (French)
}

// FRR classes. A commune that the list does not name is FRRNone ("non
// classée"), as the list's own "Non classée" rows are.
const (
	FRRNone               = "non"
	FRRSocle              = "socle"
	FRRPlus               = "plus"
	FRRBeneficiary        = "beneficiaire"
	FRRPartial            = "partielle"
	FRRBeneficiaryPartial = "beneficiaire_partielle"
)

// FRRClasses lists the FRR classes, from no zoning to the strongest.
// FRR+ communes get the strongest tax relief; "bénéficiaire" communes keep
// the ZRR benefits they had until the end of 2027 without being
// classified; "partiellement" communes are classified for part of their
// territory only.
var FRRClasses = []FRRClass{
	{FRRNone, "Non classée"},
	{FRRBeneficiaryPartial, "FRR bénéficiaire partiellement"},
	{FRRBeneficiary, "FRR bénéficiaire"},
	{FRRPartial, "Classée FRR partiellement"},
	{FRRSocle, "FRR socle"},
	{FRRPlus, "FRR+"},
}

// FRRClassByID returns the class with the id.
func FRRClassByID(id string) (FRRClass, bool) {
	for _, c := range FRRClasses {
		if c.ID == id {
			return c, true
		}
	}
	return FRRClass{}, false
}

// FRRClassByLabel returns the class with the source's label.
func FRRClassByLabel(label string) (FRRClass, bool) {
	for _, c := range FRRClasses {
		if c.Label == label {
			return c, true
		}
	}
	return FRRClass{}, false
}
