package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"sitematch/data"
)

// Airports: the classification rule.
//
// An aerodrome is an airport for a shipper — the airports layer — when it
// has scheduled commercial service: OurAirports' scheduled_service = "yes",
// unless airportOverrides says otherwise. The others (air bases, general
// and business aviation) go to the airfields layer with their class.

// airportOverride corrects OurAirports' scheduled_service for one
// aerodrome, with the reason and where it is stated.
type airportOverride struct {
	Scheduled bool
	Reason    string
	Source    string
}

// airportOverrides are the manual corrections of the rule.
var airportOverrides = map[string]airportOverride{
	"LFMD": {false, "business and general aviation airport with no airline service (Cannes is served by Nice-Côte d'Azur)",
		"Aéroports de la Côte d'Azur, the operator, presents Cannes-Mandelieu as a business aviation airport"},
	"LFEY": {false, "serves only the Île d'Yeu, off the Vendée coast, with passenger air taxis and helicopter shuttles; sitematch counts the island as mainland (landmass approximation), so it would pass for the nearest airport of coastal Vendée",
		"sitematch decision, see data.LandmassOf"},
}

// airportNames are French names where the English one of OurAirports does
// not turn into one by rule.
var airportNames = map[string]string{
	"LFSB": "EuroAirport Bâle-Mulhouse-Fribourg",
	"LFRH": "Aéroport de Lorient-Bretagne Sud",
	"LFPG": "Aéroport Paris-Charles-de-Gaulle",
	"LFPO": "Aéroport Paris-Orly",
	"LFPB": "Aéroport Paris-Le Bourget",
	"LFOB": "Aéroport de Beauvais-Tillé",
	"LFJL": "Aéroport de Metz-Nancy-Lorraine",
	"FMEE": "Aéroport de La Réunion Roland-Garros",
	"FMEP": "Aéroport de Saint-Pierre-Pierrefonds",
	"FMCZ": "Aéroport de Dzaoudzi-Pamandzi",
	"SOCA": "Aéroport de Cayenne-Félix-Éboué",
	"TFFR": "Aéroport de Pointe-à-Pitre-Le Raizet",
	"TFFF": "Aéroport de Martinique-Aimé-Césaire",
	"TFFM": "Aérodrome de Marie-Galante-Les Bases",
	"LFLS": "Aéroport de Grenoble-Isère",
	"LFQE": "Base d'Étain-Rouvres (aviation légère de l'armée de Terre)",
}

var (
	baseNumber = regexp.MustCompile(`\s*\(?(BA \d+)\)?`)
	enSuffix   = regexp.MustCompile(`\s+(International\s+Airport|Airport|Airfield|Air Base|Airbase)$`)
)

// airportClass is the class of an aerodrome: a scheduled airport (large
// or not), an air base, or a general or business aviation airfield.
func airportClass(scheduled bool, ourType, name string) string {
	switch {
	case scheduled && ourType == "large_airport":
		return "aéroport à vols réguliers, grand aéroport"
	case scheduled:
		return "aéroport à vols réguliers"
	case strings.Contains(name, "Air Base") || baseNumber.MatchString(name):
		return "base aérienne"
	}
	return "aviation générale ou d'affaires"
}

// frenchAirportName turns an OurAirports name into a French one:
// "Toulouse-Blagnac Airport" → "Aéroport de Toulouse-Blagnac",
// "Salon-de-Provence (BA 701) Air Base" → "Base aérienne de
// Salon-de-Provence (BA 701)", "Le Havre-Octeville Airport" → "Aéroport du
// Havre-Octeville"; names already French are kept.
func frenchAirportName(ident, name, class string) string {
	if n, ok := airportNames[ident]; ok {
		return n
	}
	if strings.HasPrefix(name, "Aérodrome") || strings.HasPrefix(name, "Aéroport") {
		return name
	}
	ba := ""
	if m := baseNumber.FindStringSubmatch(name); m != nil {
		ba = " (" + m[1] + ")"
		name = baseNumber.ReplaceAllString(name, "")
	}
	name = strings.TrimSpace(enSuffix.ReplaceAllString(strings.Join(strings.Fields(name), " "), ""))
	head := "Aéroport"
	switch class {
	case "base aérienne":
		head = "Base aérienne"
	case "aviation générale ou d'affaires":
		head = "Aérodrome"
	}
	return head + " " + frenchOf(name) + ba
}

// frenchOf prefixes a place name with "de", elided or contracted: "d'Agen",
// "du Havre", "des Sables", "de La Rochelle".
func frenchOf(place string) string {
	switch {
	case strings.HasPrefix(place, "Le "):
		return "du " + strings.TrimPrefix(place, "Le ")
	case strings.HasPrefix(place, "Les "):
		return "des " + strings.TrimPrefix(place, "Les ")
	}
	if r := []rune(place); len(r) > 0 && strings.ContainsRune("AEIOUYÉÈÊÎÔÂH", r[0]) {
		return "d'" + place
	}
	return "de " + place
}

// airports reads the OurAirports records (medium and large aerodromes) and
// sorts them into airports with scheduled service and the other airfields.
func (b *builder) airports() error {
	file, err := glob(b.dir, "transport/airports_*.json")
	if err != nil {
		return err
	}
	var list []struct {
		Ident        string `json:"ident"`
		IATA         string `json:"iata_code"`
		Type         string `json:"type"`
		Name         string `json:"name"`
		Lat          string `json:"latitude_deg"`
		Lon          string `json:"longitude_deg"`
		Municipality string `json:"municipality"`
		Scheduled    string `json:"scheduled_service"`
	}
	if err := readJSON(b.dir, file, &list); err != nil {
		return err
	}
	la, lf := b.layer("airports", file), b.layer("airfields", file)
	used := map[string]bool{}
	for i, a := range list {
		la.Read++
		lf.Read++
		lon, err1 := strconv.ParseFloat(a.Lon, 64)
		lat, err2 := strconv.ParseFloat(a.Lat, 64)
		p := orb.Point{lon, lat}
		if err1 != nil || err2 != nil || checkLonLat(p) != nil {
			return &RowError{File: file, Field: fmt.Sprintf("[%d].longitude_deg/latitude_deg", i), Err: fmt.Errorf("%q, %q is not a WGS84 position", a.Lon, a.Lat)}
		}
		if a.Type != "large_airport" && a.Type != "medium_airport" {
			la.skip("not a medium or large airport")
			lf.skip("not a medium or large airport")
			continue
		}
		if a.Scheduled != "yes" && a.Scheduled != "no" {
			return &RowError{File: file, Field: fmt.Sprintf("[%d].scheduled_service", i), Err: fmt.Errorf("%q is neither yes nor no", a.Scheduled)}
		}
		scheduled := a.Scheduled == "yes"
		src := fmt.Sprintf("OurAirports %s (%s, scheduled_service=%s)", a.Ident, a.Type, a.Scheduled)
		if o, ok := airportOverrides[a.Ident]; ok {
			used[a.Ident] = true
			scheduled = o.Scheduled
			src += fmt.Sprintf("; corrected to scheduled=%t: %s (%s)", o.Scheduled, o.Reason, o.Source)
		}
		class := airportClass(scheduled, a.Type, a.Name)
		name := frenchAirportName(a.Ident, a.Name, class)
		if a.IATA != "" {
			name += " (" + a.IATA + ")"
		}
		n := data.Node{ID: a.Ident, Name: name, Class: class, Point: p, Source: src}
		if scheduled {
			b.cat.Airports = append(b.cat.Airports, n)
			la.Kept++
			lf.skip("scheduled commercial service: in airports")
		} else {
			b.cat.Airfields = append(b.cat.Airfields, n)
			lf.Kept++
			la.skip("no scheduled commercial service: in airfields (" + class + ")")
		}
	}
	for id := range airportOverrides {
		if !used[id] {
			return fmt.Errorf("importer: %s: the airport correction for %s matches no record", file, id)
		}
	}
	la.Notes = append(la.Notes, "airports are the aerodromes with scheduled commercial service (OurAirports scheduled_service = yes), "+
		fmt.Sprintf("with %d manual corrections (data/importer/nodes.go, each with its source)", len(airportOverrides)))
	lf.Notes = append(lf.Notes, "the medium and large aerodromes without scheduled commercial service: air bases, general and business aviation")
	sortNodes(b.cat.Airports)
	sortNodes(b.cat.Airfields)
	b.done(la)
	b.done(lf)
	b.source("airports", la)
	b.source("airfields", lf)
	return nil
}

// Seaports: the classification rule.
//
// A World Port Index row is a commercial port — the seaports layer — when
// seaportTable lists it: the sites of the grands ports maritimes and the
// decentralised ports with cargo traffic, each with its French name, its
// status and the basis of that status. A row the table does not list is a
// commercial port only if the WPI records a cargo facility (container,
// Ro-Ro, solid or liquid bulk, breakbulk, oil or LNG terminal = Yes); the
// others (marinas, fishing and passenger-only harbours) are left out.

// Port statuses.
const (
	statusGPM   = "grand port maritime"
	statusLocal = "port de commerce décentralisé"
)

// seaportStatus is the statutory basis of each status.
var seaportStatus = map[string]string{
	statusGPM: "Code des transports, art. L5311-1 et R5311-1 ; décrets n° 2008-1032 à 2008-1037 du 9 octobre 2008 (Dunkerque, Le Havre, Rouen, " +
		"Nantes-Saint-Nazaire, La Rochelle, Bordeaux, Marseille) ; ordonnance n° 2021-614 du 19 mai 2021 (Haropa Port, fusion du Havre, de Rouen et de Paris) ; " +
		"loi n° 2012-260 du 22 février 2012 (Guadeloupe, Martinique, Guyane, La Réunion)",
	statusLocal: "port transféré aux collectivités (loi n° 2004-809 du 13 août 2004, art. 30 ; Code des transports, art. L5314-1), avec trafic de marchandises",
}

// seaportEntry is one port of the table.
type seaportEntry struct {
	Name      string // French name
	Status    string // statusGPM or statusLocal
	Authority string // the port's authority (GPM, region, département, Corsica)
	Cargo     string // the cargo it handles, as its authority states it
}

// seaportTable lists the commercial ports by World Port Index number.
var seaportTable = map[string]seaportEntry{
	// Grands ports maritimes, metropolitan.
	"35730.0": {"port de Dunkerque (port Est)", statusGPM, "Dunkerque-Port", "vracs, conteneurs, rouliers"},
	"35732.0": {"port de Dunkerque (port Ouest)", statusGPM, "Dunkerque-Port", "conteneurs, vracs, rouliers"},
	"35840.0": {"port du Havre", statusGPM, "Haropa Port", "conteneurs, vracs liquides, rouliers"},
	"35835.0": {"port du Havre-Antifer (terminal pétrolier)", statusGPM, "Haropa Port", "vracs liquides"},
	"35850.0": {"port de Rouen", statusGPM, "Haropa Port", "vracs solides (céréales), vracs liquides, conteneurs"},
	"35860.0": {"port de Honfleur", statusGPM, "Haropa Port", "vracs solides, marchandises diverses"},
	"36900.0": {"port de Nantes", statusGPM, "Nantes-Saint-Nazaire Port", "vracs, marchandises diverses"},
	"36850.0": {"port de Saint-Nazaire", statusGPM, "Nantes-Saint-Nazaire Port", "rouliers, marchandises diverses"},
	"36855.0": {"port de Montoir-de-Bretagne", statusGPM, "Nantes-Saint-Nazaire Port", "conteneurs, vracs, GNL"},
	"36860.0": {"port de Donges", statusGPM, "Nantes-Saint-Nazaire Port", "vracs liquides (raffinerie)"},
	"37000.0": {"port de La Rochelle (La Pallice)", statusGPM, "Port Atlantique La Rochelle", "vracs solides et liquides, marchandises diverses"},
	"37010.0": {"port de La Rochelle", statusGPM, "Port Atlantique La Rochelle", "vracs, marchandises diverses"},
	"37190.0": {"port de Bordeaux", statusGPM, "Bordeaux Port Atlantique", "vracs, marchandises diverses"},
	"37170.0": {"port de Bordeaux (Ambès)", statusGPM, "Bordeaux Port Atlantique", "vracs liquides"},
	"37160.0": {"port de Bordeaux (Blaye)", statusGPM, "Bordeaux Port Atlantique", "vracs solides (céréales)"},
	"37150.0": {"port de Bordeaux (Pauillac)", statusGPM, "Bordeaux Port Atlantique", "vracs liquides, colis lourds"},
	"37120.0": {"port de Bordeaux (Le Verdon)", statusGPM, "Bordeaux Port Atlantique", "conteneurs"},
	"38810.0": {"port de Marseille", statusGPM, "Marseille Fos", "rouliers, conteneurs, marchandises diverses"},
	"38775.0": {"port de Fos-sur-Mer", statusGPM, "Marseille Fos", "conteneurs, vracs solides et liquides"},
	"38780.0": {"port de Lavéra (Port-de-Bouc)", statusGPM, "Marseille Fos", "vracs liquides (pétrochimie)"},
	"38770.0": {"port de Port-Saint-Louis-du-Rhône", statusGPM, "Marseille Fos", "vracs, marchandises diverses"},
	// Grands ports maritimes, overseas.
	"11450.0": {"port de Pointe-à-Pitre (Jarry)", statusGPM, "Guadeloupe Port Caraïbes", "conteneurs, vracs, rouliers"},
	"11460.0": {"port de Basse-Terre", statusGPM, "Guadeloupe Port Caraïbes", "marchandises diverses, conteneurs"},
	"11550.0": {"port de Fort-de-France", statusGPM, "Grand port maritime de la Martinique", "conteneurs, vracs"},
	"12455.0": {"port de Dégrad des Cannes", statusGPM, "Grand port maritime de la Guyane", "conteneurs, vracs"},
	"47690.0": {"port Est de La Réunion", statusGPM, "Port Réunion", "conteneurs, vracs"},
	"47695.0": {"port Ouest de La Réunion", statusGPM, "Port Réunion", "vracs, marchandises diverses"},
	// Decentralised ports with cargo traffic, mainland.
	"35750.0": {"port de Calais", statusLocal, "Région Hauts-de-France (Port Boulogne Calais)", "rouliers (transmanche), vracs"},
	"35760.0": {"port de Boulogne-sur-Mer", statusLocal, "Région Hauts-de-France (Port Boulogne Calais)", "rouliers, marchandises diverses"},
	"35810.0": {"port de Dieppe", statusLocal, "Syndicat mixte du port de Dieppe", "vracs, rouliers (transmanche)"},
	"35800.0": {"port du Tréport", statusLocal, "Syndicat mixte du port du Tréport", "vracs solides"},
	"35880.0": {"port de Caen-Ouistreham", statusLocal, "Ports de Normandie", "vracs, marchandises diverses"},
	"35885.0": {"port de Ouistreham", statusLocal, "Ports de Normandie", "rouliers (transmanche)"},
	"35950.0": {"port de Cherbourg", statusLocal, "Ports de Normandie", "rouliers, colis lourds, vracs"},
	"36130.0": {"port de Saint-Malo", statusLocal, "Région Bretagne", "vracs, rouliers (transmanche)"},
	"36220.0": {"port du Légué (Saint-Brieuc)", statusLocal, "Région Bretagne, CCI des Côtes-d'Armor", "vracs solides, bois"},
	"36370.0": {"port de Roscoff-Bloscon", statusLocal, "Région Bretagne", "rouliers (transmanche)"},
	"36460.0": {"port de Brest", statusLocal, "Région Bretagne", "conteneurs, vracs, réparation navale"},
	"36680.0": {"port de Lorient", statusLocal, "Région Bretagne", "vracs solides, marchandises diverses"},
	"37040.0": {"port de Rochefort", statusLocal, "Département de la Charente-Maritime (port de Rochefort-Tonnay-Charente)", "vracs, bois"},
	"37050.0": {"port de Tonnay-Charente", statusLocal, "Département de la Charente-Maritime (port de Rochefort-Tonnay-Charente)", "vracs, bois"},
	"37230.0": {"port de Bayonne", statusLocal, "Région Nouvelle-Aquitaine", "vracs solides et liquides, produits métallurgiques"},
	"38750.0": {"port de Sète", statusLocal, "Région Occitanie (Port Sud de France)", "vracs, rouliers, animaux vivants"},
	"38730.0": {"port de Port-la-Nouvelle", statusLocal, "Région Occitanie (Port Sud de France)", "vracs solides et liquides"},
	"38720.0": {"port de Port-Vendres", statusLocal, "Région Occitanie (Port Sud de France)", "fruits et légumes, rouliers"},
	"38870.0": {"port de Toulon", statusLocal, "Métropole Toulon Provence Méditerranée", "rouliers, marchandises diverses (Brégaillon)"},
	// Corsica's ports of commerce.
	"39060.0": {"port de Bastia", statusLocal, "Collectivité de Corse", "rouliers, vracs"},
	"39100.0": {"port d'Ajaccio", statusLocal, "Collectivité de Corse", "rouliers, vracs"},
	"39070.0": {"port de Porto-Vecchio", statusLocal, "Collectivité de Corse", "rouliers"},
	"39120.0": {"port de L'Île-Rousse", statusLocal, "Collectivité de Corse", "rouliers"},
	"39090.0": {"port de Propriano", statusLocal, "Collectivité de Corse", "rouliers"},
}

// seaportExcluded names why the remaining WPI rows are not commercial
// ports, for the report.
var seaportExcluded = map[string]string{
	"11360.0": "Saint-Martin, a collectivité outside the catalogue's départements",
	"11380.0": "Saint-Barthélemy, a collectivité outside the catalogue's départements",
}

// wpiCargo are the WPI facility columns that make a port commercial.
var wpiCargo = []string{"Facilities - Container", "Facilities - Ro-Ro", "Facilities - Solid Bulk", "Facilities - Liquid Bulk",
	"Facilities - Breakbulk", "Facilities - Oil Terminal", "Facilities - LNG Terminal"}

// seaports reads the French rows of the World Port Index and keeps the
// commercial ports (see seaportTable).
func (b *builder) seaports() error {
	file, err := glob(b.dir, "transport/ports_*.csv")
	if err != nil {
		return err
	}
	t, err := readTable(b.dir, file, ',')
	if err != nil {
		return err
	}
	if err := t.need(append([]string{"World Port Index Number", "Main Port Name", "UN/LOCODE", "Harbor Size", "Latitude", "Longitude"}, wpiCargo...)...); err != nil {
		return err
	}
	l := b.layer("seaports", file)
	seen := map[string]bool{}
	var left []string
	err = t.each(func(r row) error {
		l.Read++
		p, err := r.LonLat("Longitude", "Latitude")
		if err != nil {
			return err
		}
		// UN/LOCODE is shared by the basins of one port (Dunkerque East and
		// West): the WPI number is the record's id.
		num := r.Get("World Port Index Number")
		if num == "" {
			return r.fail("World Port Index Number", "is empty")
		}
		if seen[num] {
			return r.fail("World Port Index Number", "%q appears twice", num)
		}
		seen[num] = true
		var cargo []string
		for _, c := range wpiCargo {
			if r.Get(c) == "Yes" {
				cargo = append(cargo, strings.TrimPrefix(c, "Facilities - "))
			}
		}
		wpi := r.Get("Main Port Name")
		if lc := strings.ReplaceAll(r.Get("UN/LOCODE"), " ", ""); lc != "" {
			wpi += ", " + lc
		}
		e, listed := seaportTable[num]
		switch {
		case seaportExcluded[num] != "":
			l.skip("not a commercial port of the catalogue: " + seaportExcluded[num])
			return nil
		case !listed && len(cargo) == 0:
			l.skip("marina, fishing or passenger harbour: not in the port table, no cargo facility in the WPI")
			left = append(left, r.Get("Main Port Name"))
			return nil
		case !listed:
			return r.fail("World Port Index Number", "%s (%s) has cargo facilities (%s) but is not in the port table: add it", num, wpi, strings.Join(cargo, ", "))
		}
		src := fmt.Sprintf("WPI %s (%s, %s); %s, %s: %s", strings.TrimSuffix(num, ".0"), wpi, r.Get("Harbor Size"), e.Status, e.Authority, e.Cargo)
		if len(cargo) > 0 {
			src += "; WPI cargo facilities: " + strings.Join(cargo, ", ")
		}
		b.cat.Seaports = append(b.cat.Seaports, data.Node{ID: "WPI" + num, Name: e.Name, Class: e.Status, Point: p, Source: src})
		l.Kept++
		return nil
	})
	if err != nil {
		return err
	}
	for num := range seaportTable {
		if !seen[num] {
			return fmt.Errorf("importer: %s: the port table lists WPI %s, which is not in the file", file, num)
		}
	}
	sortNodes(b.cat.Seaports)
	l.Notes = append(l.Notes, "commercial ports only: the sites of the grands ports maritimes ("+seaportStatus[statusGPM]+
		") and the decentralised ports with cargo traffic ("+seaportStatus[statusLocal]+"), from the port table in data/importer/nodes.go",
		"left out as marinas, fishing or passenger harbours: "+strings.Join(left, ", "),
		"Mayotte's port (Longoni) is not in the World Port Index extract")
	b.done(l)
	b.source("seaports", l)
	return nil
}
