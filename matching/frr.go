package matching

import "sitematch/data"

// FRRScore is the territory credit of a France ruralités revitalisation
// class: 1 for FRR+ (the strongest exemptions), 0.75 for FRR socle, 0.5
// for a commune classified for part of its territory or keeping the ZRR
// benefits as "bénéficiaire" until the end of 2027, 0.25 for a commune
// bénéficiaire for part of its territory, 0 when not classified. The class
// opens possible tax exemptions for businesses set up there (profits, CFE,
// property tax, some by local decision): possible, not automatic.
func FRRScore(class string) float64 {
	switch class {
	case data.FRRPlus:
		return 1
	case data.FRRSocle:
		return 0.75
	case data.FRRPartial, data.FRRBeneficiary:
		return 0.5
	case data.FRRBeneficiaryPartial:
		return 0.25
	}
	return 0
}

// frrPhrase says what a commune's FRR class implies, in French, "" when
// the commune is not classified.
func frrPhrase(class string) string {
	switch class {
	case data.FRRPlus:
		return "commune classée FRR+ (France ruralités revitalisation) : exonérations fiscales possibles pour une entreprise qui s'y crée ou s'y implante, les plus fortes du zonage"
	case data.FRRSocle:
		return "commune classée FRR (France ruralités revitalisation, socle) : exonérations fiscales possibles pour une entreprise qui s'y crée ou s'y implante"
	case data.FRRPartial:
		return "commune classée FRR pour une partie de son territoire seulement : exonérations possibles selon l'emplacement exact"
	case data.FRRBeneficiary:
		return "commune bénéficiaire FRR (ancienne ZRR) : elle garde les avantages du zonage jusqu'à fin 2027 sans être classée"
	case data.FRRBeneficiaryPartial:
		return "commune bénéficiaire FRR pour une partie de son territoire (ancienne ZRR), avantages jusqu'à fin 2027"
	}
	return ""
}
