package data

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// TradeFamily is a family of industrial trades that a project needs and a
// vocational lycée teaches. The list is fixed; a lycée is given a family when
// the part of its name after "lycée des métiers" contains one of the
// family's keywords (upper case, without accents, matched at a word start;
// a keyword ending with a space must match a whole word).
type TradeFamily struct {
	ID       string
	Label    string // French
	Keywords []string
}

// TradeFamilies is the fixed list of trade families, in display order.
var TradeFamilies = []TradeFamily{
	{"industrie", "Industrie (production, process)", []string{"INDUSTRI", "PROCESS", "PRODUCTION", "PLURITECHN", "PRODUCTIQUE"}},
	{"technologies_industrielles", "Technologies et ingénierie industrielles", []string{"TECHNOLOGIES INDUSTRIELLES", "INGENIERIE", "AUTOMATI", "SYSTEMES AUTOMATIQUES", "CREATION INDUSTRIELLE", "TECHNOLOGIES INNOVANTES"}},
	{"maintenance", "Maintenance", []string{"MAINTENANCE"}},
	{"chaudronnerie_soudure", "Chaudronnerie, soudure, métallerie", []string{"CHAUDRONN", "SOUDURE", "SOUDAGE", "METALLIQUE", "METALLERIE", "METAUX"}},
	{"usinage", "Usinage et mécanique", []string{"USINAGE", "MECANIQUE", "DECOLLETAGE", "MICROTECHNIQUE"}},
	{"plasturgie", "Plasturgie et composites", []string{"PLASTURGIE", "PLASTIQUE", "COMPOSITE", "POLYMERE"}},
	{"chimie", "Chimie, biologie, laboratoire", []string{"CHIMIE", "CHIMIQUE", "BIOTECHN", "LABORATOIRE", "BIO INDUSTRI"}},
	{"energie", "Énergie", []string{"ENERGIE", "ENERGETIQUE", "THERMIQUE", "FROID ", "CLIMATIQUE"}},
	{"electrotechnique", "Électrotechnique et électronique", []string{"ELECTROTECHN", "ELECTRICITE", "ELECTRONIQUE", "ELECTRIQUE", "DOMOTIQUE"}},
	{"automobile", "Automobile et véhicules", []string{"AUTOMOBILE", "VEHICULE", "ENGINS ", "CARROSSERIE", "MOTOCYCLE"}},
	{"aeronautique", "Aéronautique et spatial", []string{"AERONAUTIQU", "AEROSPATIAL", "AVIATION", "SPATIAL"}},
	{"logistique", "Transport et logistique", []string{"LOGISTIQU", "TRANSPORT"}},
	{"agroalimentaire", "Agroalimentaire", []string{"AGROALIMENTAIRE", "AGRO ALIMENTAIRE", "ALIMENTATION", "BOULANGERIE", "BOUCHERIE", "INDUSTRIES ALIMENTAIRES"}},
	{"bois", "Bois et ameublement", []string{"BOIS ", "AMEUBLEMENT", "MENUISERIE", "EBENISTERIE"}},
	{"numerique", "Numérique", []string{"NUMERIQUE", "INFORMATIQUE", "COMMUNICANTE", "DIGITAL"}},
	{"textile", "Textile, mode, cuir", []string{"TEXTILE", "MODE ", "CUIR ", "HABILLEMENT"}},
	{"naval", "Naval et nautisme", []string{"NAUTISME", "NAVAL", "NAVIRE", "PORT ", "MARITIME"}},
	{"batiment", "Bâtiment et travaux publics", []string{"BATIMENT", "TRAVAUX PUBLICS", "BTP ", "HABITAT"}},
	{"industries_graphiques", "Industries graphiques", []string{"GRAPHIQUE", "IMPRIMERIE"}},
}

// TradeFamilyByID returns the family with the id.
func TradeFamilyByID(id string) (TradeFamily, bool) {
	for _, f := range TradeFamilies {
		if f.ID == id {
			return f, true
		}
	}
	return TradeFamily{}, false
}

// Fold returns s in upper case without accents, with every run of
// non-alphanumeric characters replaced by one space and a space at each end,
// so that " WORD" finds WORD at a word start.
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	plain, _, err := transform.String(t, s)
	if err != nil {
		plain = s
	}
	var b strings.Builder
	b.WriteByte(' ')
	space := true
	for _, r := range strings.ToUpper(plain) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	if !space {
		b.WriteByte(' ')
	}
	return b.String()
}

// TradesFromName reads the trade families a lycée's name states. Only the
// part after "métiers" counts ("lycée des métiers de l'aéronautique"); a name
// without it states no trade and gives nil.
func TradesFromName(name string) []string {
	f := Fold(name)
	i := strings.Index(f, " METIERS ")
	if i < 0 {
		return nil
	}
	rest := f[i+len(" METIERS"):]
	var out []string
	for _, fam := range TradeFamilies {
		for _, k := range fam.Keywords {
			if strings.Contains(rest, " "+k) {
				out = append(out, fam.ID)
				break
			}
		}
	}
	return out
}
