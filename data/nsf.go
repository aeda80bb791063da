package data

// NSFGroup is a group of the Nomenclature des spécialités de formation
// (NSF, 1994), the GROUPE_SPECIALITE of every diploma in the BCN, mapped
// to the trade family (TradeFamilies) its courses train for.
type NSFGroup struct {
	Code   string // three digits, e.g. "251"
	Label  string // BCN label (n_groupe_specialite), upper case as published
	Family string // TradeFamily id, "" when the group trains for no industrial family
	Note   string // what the group holds that the family does not say, when it matters
}

// NSFGroups maps every NSF group of the BCN nomenclature
// (training/formations/n_groupe_specialite_.csv, mission-apprentissage/
// tjp-pilotage, Licence Ouverte) to a trade family: the mapping that turns
// the courses a lycée teaches (constat de rentrée) into the trade families
// a project asks for. Groups of general education, services, health and
// agriculture map to no family. The mapping is by group, so a group's
// minor courses go with its main ones (Note says which). Sorted by code.
var NSFGroups = []NSFGroup{
	{"100", "FORMATIONS GENERALES", "", ""},
	{"109", "DO10 : FORMATIONS GENERALES", "", ""},
	{"110", "SPECIALITES PLURISCIENTIFIQUES", "", ""},
	{"111", "PHYSIQUE-CHIMIE", "", ""},
	{"112", "CHIMIE-BIOLOGIE, BIOCHIMIE", "", ""},
	{"113", "SCIENCES NATURELLES (BIOLOGIE-GEOLOGIE)", "", ""},
	{"114", "MATHEMATIQUES", "", ""},
	{"115", "PHYSIQUE", "", ""},
	{"116", "CHIMIE", "", ""},
	{"117", "SCIENCES DE LA TERRE", "", ""},
	{"118", "SCIENCES DE LA VIE", "", ""},
	{"119", "DO11 : MATHEMATIQUES ET SCIENCES", "", ""},
	{"120", "SPEC.PLURIDISC.SCIENCES HUMAINES & DROIT", "", ""},
	{"121", "GEOGRAPHIE", "", ""},
	{"122", "ECONOMIE", "", ""},
	{"123", "SCIENCES SOCIALES", "", ""},
	{"124", "PSYCHOLOGIE", "", ""},
	{"125", "LINGUISTIQUE", "", ""},
	{"126", "HISTOIRE", "", ""},
	{"127", "PHILOSOPHIE, ETHIQUE ET THEOLOGIE", "", ""},
	{"128", "DROIT, SCIENCES POLITIQUES", "", ""},
	{"129", "DO12 : SCIENCES HUMAINES ET DROIT", "", ""},
	{"130", "SPEC.LITTERAIR.& ARTISTIQ.PLURIVALENTES", "", ""},
	{"131", "FRANCAIS, LITTERATURE & CIVIL.FRANCAISE", "", ""},
	{"132", "ARTS PLASTIQUES", "", ""},
	{"133", "MUSIQUE, ARTS DU SPECTACLE", "", ""},
	{"134", "AUTRES DISCIPLINES ARTISTIQUES", "", ""},
	{"135", "LANGUES ET CIVILISATIONS ANCIENNES", "", ""},
	{"136", "LANGUES VIVANTES, CIVILISATIONS ETRANG.", "", ""},
	{"139", "DO13 : LETTRES ET ARTS", "", ""},
	{"199", "DOMAINES DISCIPLINAIRES", "", ""},
	{"200", "TECHNOLOGIES INDUSTRIELLES FONDAMENTALES", "technologies_industrielles", "STI2D-type courses, product design (CPI, EDPI); also BTS technico-commercial"},
	{"201", "TECHNO DE COMMANDE DES TRANSFO.INDUST.", "technologies_industrielles", "automation and control (CRSA, CIRA, pilote de ligne); also BTS SN informatique et réseaux"},
	{"209", "DO20 : SPEC.PLURI-TECHNO DE PRODUCTION", "", ""},
	{"210", "SPEC.PLURIVAL.DE L'AGRONOMIE & AGRICULT.", "", ""},
	{"211", "PRODUCTIONS VEGETALES, CULTUR.SPECIALIS.", "", ""},
	{"212", "PRODUCTIONS ANIMALES, ELEVAGE SPECIALIS.", "", ""},
	{"213", "FORETS, ESPACES NATURELS, FAUNE, PECHE", "", ""},
	{"214", "AMENAGEMENT PAYSAGER (PARCS, ...)", "", ""},
	{"219", "DO21 : AGRICULTURE, PECHE, FORET", "", ""},
	{"220", "SPEC.PLURITECHNO DES TRANSFORMATIONS", "industrie", "process industries (procédés de la chimie, bio-industries, pilotage de procédés)"},
	{"221", "AGRO-ALIMENTAIRE, ALIMENTATION, CUISINE", "agroalimentaire", "includes cooking courses (CAP cuisine), not only food industry"},
	{"222", "TRANSFORMATIONS CHIMIQUES ET APPARENTEES", "chimie", ""},
	{"223", "METALLURGIE (Y.C. SIDERURGIE, FONDERIE)", "industrie", "metallurgy and foundry, CPRP production engineering; also jewellery"},
	{"224", "MATERIAUX DE CONSTRUCTION, VERRE, CERAM.", "industrie", "building materials, glass, ceramics"},
	{"225", "PLASTURGIE, MATERIAUX COMPOSITES", "plasturgie", ""},
	{"226", "PAPIER, CARTON", "industrie", ""},
	{"227", "ENERGIE, GENIE CLIMATIQUE", "energie", ""},
	{"229", "DO22 : TRANSFORMATIONS", "", ""},
	{"230", "SPEC.PLURITECHNO, GENIE CIVIL, CONSTRUC.", "batiment", ""},
	{"231", "MINES ET CARRIERES, GENIE CIVIL, TOPOGR.", "batiment", ""},
	{"232", "BATIMENT : CONSTRUCTION ET COUVERTURE", "batiment", ""},
	{"233", "BATIMENT : FINITIONS", "batiment", ""},
	{"234", "TRAVAIL DU BOIS ET DE L'AMEUBLEMENT", "bois", ""},
	{"239", "DO23 : GENIE CIVIL, CONSTRUCTION ET BOIS", "", ""},
	{"240", "SPECIALIT.PLURITECHNO MATERIAUX SOUPLES", "textile", ""},
	{"241", "TEXTILE", "textile", ""},
	{"242", "HABILLEMENT (Y. C. MODE, COUTURE)", "textile", ""},
	{"243", "CUIRS ET PEAUX", "textile", ""},
	{"249", "DO24 : MATERIAUX SOUPLES", "", ""},
	{"250", "SPEC.PLURITECHNO MECANIQUE-ELECTRICITE", "maintenance", "maintenance des équipements industriels, maintenance des systèmes, microtechniques"},
	{"251", "MECANIQ.GENERALE & DE PRECISION, USINAGE", "usinage", ""},
	{"252", "MOTEURS ET MECANIQUE AUTO", "automobile", ""},
	{"253", "MECANIQUE AERONAUTIQUE ET SPATIALE", "aeronautique", ""},
	{"254", "STRUCTURES METALLIQUES", "chaudronnerie_soudure", "also car-body construction and repair (carrosserie)"},
	{"255", "ELECTRICITE, ELECTRONIQUE", "electrotechnique", ""},
	{"259", "DO25 : MECANIQUE, ELECTRICITE, ELECTRO.", "", ""},
	{"299", "DOMAINES TECHN-PROF. DE LA PRODUCTION", "", ""},
	{"300", "SPECIALITES PLURIVALENTES DES SERVICES", "", ""},
	{"309", "DO30 : SPEC.PLURIVALENTES DES SERVICES", "", ""},
	{"310", "SPECIALIT.PLURIV.DES ECHANGES & GESTION", "", ""},
	{"311", "TRANSPORT, MANUTENTION, MAGASINAGE", "logistique", "transport, handling, warehousing"},
	{"312", "COMMERCE, VENTE", "", ""},
	{"313", "FINANCES, BANQUE, ASSURANCES", "", ""},
	{"314", "COMPTABILITE, GESTION", "", ""},
	{"315", "RESSOURCES HUMAINES GESTION DU PERSONNEL", "", ""},
	{"319", "DO31 : ECHANGES ET GESTION", "", ""},
	{"320", "SPECIALITES PLURIVAL.DE LA COMMUNICATION", "", ""},
	{"321", "JOURNALISME ET COMMUNICATION", "", ""},
	{"322", "TECHNIQUES D'IMPRIMERIE ET D'EDITION", "industries_graphiques", ""},
	{"323", "TECHNIQUES DE IMAGE, SON, SPECTACLE", "", ""},
	{"324", "SECRETARIAT, BUREAUTIQUE", "", ""},
	{"325", "DOCUMENTATION, BIBLIOTH., ADMIN.DONNEES", "", ""},
	{"326", "INFORMATIQUE, TRAITEMT DE L'INFORMATION", "numerique", ""},
	{"329", "DO32 : COMMUNICATION ET INFORMATION", "", ""},
	{"330", "SPECIALITES PLURIV.SANITAIRES & SOCIALES", "", ""},
	{"331", "SANTE", "", ""},
	{"332", "TRAVAIL SOCIAL", "", ""},
	{"333", "ENSEIGNEMENT, FORMATION", "", ""},
	{"334", "ACCUEIL, HOTELLERIE, TOURISME", "", ""},
	{"335", "ANIMATION CULTUREL.,SPORTIV.& DE LOISIRS", "", ""},
	{"336", "COIFFURE, ESTHETIQ.& AUTR.SERVICES PERSO", "", ""},
	{"339", "DO33 : SERVICES AUX PERSONNES", "", ""},
	{"340", "SPEC.PLURIVAL.DES SERVICES A LA COLLECT.", "", ""},
	{"341", "AMENAGT DU TERRIT., DEVELOPMT, URBANISME", "", ""},
	{"342", "PROTECTION ET DEVELOPMT DU PATRIMOINE", "", ""},
	{"343", "NETTOYAGE, ASSAIN., PROTECTION ENVIRONMT", "", ""},
	{"344", "SECURITE DES BIENS ET DES PERSONNES", "", ""},
	{"345", "APPLICATN DES DROITS & STATUTS DES PERSO", "", ""},
	{"346", "SPECIALITES MILITAIRES", "", ""},
	{"349", "DO34 : SERVICES A LA COLLECTIVITE", "", ""},
	{"399", "DOMAINES TECHN-PROF. DES SERVICES", "", ""},
	{"410", "SPECIALIT.CONCERNANT PLUSIEURS CAPACITES", "", ""},
	{"411", "PRATIQUES SPORTIVES", "", ""},
	{"412", "DEVELOPMT CAPACITES MENTALES & APPRENT.", "", ""},
	{"413", "DEVELOPMT CAPACITES COMPORTMT & RELATIO.", "", ""},
	{"414", "DEVELOPMT.CAPACITES INDIVID.D'ORGANISAT.", "", ""},
	{"415", "DEVELOPMT.CAPACITES D'ORIENT., D'INSERT.", "", ""},
	{"419", "DO41 : CAPACITES INDIVIDUEL.ET SOCIALES", "", ""},
	{"421", "JEUX ET ACTIVITES SPECIFIQUES DE LOISIRS", "", ""},
	{"422", "ECONOMIE ET ACTIVITES DOMESTIQUES", "", ""},
	{"423", "VIE FAMILI.,SOCIALE, AUTR.FORM.DEV.PERSO", "", ""},
	{"429", "DO42 : ACTIVIT. QUOTIDIENNES ET LOISIRS", "", ""},
	{"499", "DOMAINES DU DEVELOPPEMENT PERSONNEL", "", ""},
	{"999", "SPECIALITE NON SPECIFIEE", "", ""},
}

// NSFGroupByCode returns the NSF group with the code.
func NSFGroupByCode(code string) (NSFGroup, bool) {
	for _, g := range NSFGroups {
		if g.Code == code {
			return g, true
		}
	}
	return NSFGroup{}, false
}
