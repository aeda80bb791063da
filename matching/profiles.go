package matching

// DefaultWeights are the criterion weights of a project that names no sector.
// Every profile lists every criterion and every mode, 0 when it does not
// count, so that a resolved project states them all.
var DefaultWeights = map[string]float64{SupplyChain: 30, Transport: 25, Labour: 15, Training: 15, Land: 10, Territory: 5, Energy: 0, SevesoPlatform: 0}

// DefaultTransport are the transport importances of a project that names no
// sector: a plant needs a motorway first, rail and a station often.
var DefaultTransport = map[string]float64{Motorway: 1, RailFreight: 0.5, Station: 0.5, Airport: 0.25, Port: 0.25, RailTerminal: 0, RiverPort: 0}

// Profile is a sector's preset: weights, transport importances and trade
// families, plus the typical project the regional shortlist scores.
type Profile struct {
	ID        string
	Label     string // French
	Weights   map[string]float64
	Transport map[string]float64
	Trades    []string
	Jobs      int     // typical jobs of a new plant, for the shortlist
	LandHa    float64 // typical land need, for the shortlist
	// SupplyNearKm and SupplyFarKm are the sector's supply-chain decay: a
	// partner scores 1 up to near, 0 from far, linearly between.
	SupplyNearKm, SupplyFarKm float64
	// SupplyMode is the sector's supply-chain mode, SupplyModeDecay when
	// empty (SupplyDecay.Mode).
	SupplyMode string
	Reasoning  string // why these values, in English (README, /v1/profiles)
}

// Profiles are the sector profiles. aeronautics, chemistry and automotive
// lead France's imported intermediate consumption.
var Profiles = []Profile{
	{
		ID: "aeronautics", Label: "Aéronautique et spatial",
		Weights:   map[string]float64{SupplyChain: 30, Transport: 15, Labour: 15, Training: 25, Land: 10, Territory: 5, Energy: 0, SevesoPlatform: 0},
		Transport: map[string]float64{Motorway: 1, Airport: 1, Station: 0.5, RailFreight: 0.25, Port: 0.25, RailTerminal: 0, RiverPort: 0},
		Trades:    []string{"aeronautique", "usinage", "chaudronnerie_soudure", "technologies_industrielles", "plasturgie", "maintenance"},
		Jobs:      150, LandHa: 10,
		SupplyNearKm: 50, SupplyFarKm: 400,
		Reasoning: "Tier-1 and tier-2 suppliers cluster around the prime contractors and skilled machining, composite and boilermaking trades are the scarce resource, so supply chain and training weigh most; an airport matters for parts and people. Supply chain decay 50–400 km: aerospace parts are high-value and travel by road in small lots, and the Toulouse–Bordeaux cluster (Aerospace Valley) spans about 250 km, so a supplier within 50 km is as good as next door and one across the cluster still counts.",
	},
	{
		ID: "chemistry", Label: "Chimie",
		Weights:   map[string]float64{SupplyChain: 25, Transport: 25, Labour: 10, Training: 10, Land: 15, Energy: 10, Territory: 5, SevesoPlatform: 0},
		Transport: map[string]float64{RailFreight: 1, Port: 1, Motorway: 0.75, RailTerminal: 0.5, RiverPort: 0.5, Station: 0.25, Airport: 0},
		Trades:    []string{"chimie", "industrie", "maintenance", "electrotechnique"},
		Jobs:      100, LandHa: 20,
		SupplyNearKm: 25, SupplyFarKm: 300,
		Reasoning: "Bulk and hazardous flows travel by rail and sea, and Seveso plants need large plots with safety distances, so transport and land weigh most: a rail freight point (a private siding for whole trainloads of bulk) and a seaport first, a combined-transport terminal (containers, tank containers) and a river port (barges of bulk chemicals on the Rhône, Seine, Rhine or Moselle) half as much. Energy 10 (taken from transport and land): electrolysis, cracking and compression draw tens of MW, so a 225 kV substation nearby saves years of connection works. Supply chain decay 25–300 km: integrated platforms exchange intermediates by pipe and short rail hauls, so a partner on the platform or within 25 km is fully useful and one beyond a day's rail haul (about 300 km) no longer is.",
	},
	{
		ID: "automotive", Label: "Automobile",
		Weights:   map[string]float64{SupplyChain: 35, Transport: 25, Labour: 15, Training: 10, Land: 10, Territory: 5, Energy: 0, SevesoPlatform: 0},
		Transport: map[string]float64{Motorway: 1, RailFreight: 0.75, Port: 0.25, Station: 0.25, Airport: 0, RailTerminal: 0, RiverPort: 0},
		Trades:    []string{"automobile", "usinage", "plasturgie", "maintenance", "electrotechnique", "chaudronnerie_soudure"},
		Jobs:      300, LandHa: 25,
		SupplyNearKm: 15, SupplyFarKm: 90,
		Reasoning: "Just-in-time deliveries to assembly plants make supplier and customer distance decisive, with motorway and rail freight for volumes. Supply chain decay 15–90 km: just-in-time and in-sequence deliveries run several times a day to the assembly line, so a supplier within 15 km (under 30 minutes) is full value and one beyond about 90 km (an hour and a half by truck) cannot serve the line.",
	},
	{
		ID: "agrifood", Label: "Agroalimentaire",
		Weights:   map[string]float64{SupplyChain: 35, Transport: 20, Labour: 15, Training: 10, Land: 15, Territory: 5, Energy: 0, SevesoPlatform: 0},
		Transport: map[string]float64{Motorway: 1, RailFreight: 0.25, Port: 0.25, RiverPort: 0.25, Station: 0.25, Airport: 0, RailTerminal: 0},
		Trades:    []string{"agroalimentaire", "maintenance", "logistique", "industrie"},
		Jobs:      150, LandHa: 12,
		SupplyNearKm: 30, SupplyFarKm: 200, SupplyMode: SupplyModeCentrality,
		Reasoning: "Perishable farm inputs must be processed close to where they grow and products reach distribution by road, so supply chain and motorway access dominate; a river port counts a little, for grain and oilseed bulk. Supply chain by centrality: milk, vegetables and livestock are collected by truck from many farms, and the plant's cost is the tonne-km of that collection and of its deliveries, so the score is the weighted mean distance to the partners against the best achievable among the eligible sites (1 at the optimum or within 30 km on average, 0 at twice the optimum): a per-partner decay over 30–200 km could not tell a plant at the centre of its basin (80 km on average, a distant wholesaler included) from one at its edge (135 km). The 30–200 km decay is kept for a project that sets mode decay: collection stops being economic beyond a few hours' haul.",
	},
	{
		ID: "metalworking", Label: "Métallurgie et travail des métaux",
		Weights:   map[string]float64{SupplyChain: 25, Transport: 15, Labour: 15, Training: 20, Land: 10, Energy: 10, Territory: 5, SevesoPlatform: 0},
		Transport: map[string]float64{Motorway: 1, RailFreight: 0.5, Port: 0.25, Station: 0.25, Airport: 0, RailTerminal: 0, RiverPort: 0},
		Trades:    []string{"chaudronnerie_soudure", "usinage", "maintenance", "industrie"},
		Jobs:      80, LandHa: 5,
		SupplyNearKm: 30, SupplyFarKm: 250,
		Reasoning: "Boilermakers, welders and machinists are the bottleneck trades named by the programme, so training weighs almost as much as supply chain. Energy 10 (from transport and training): arc and induction furnaces, forges and heat treatment draw several to tens of MW. Supply chain decay 30–250 km: subcontracting in machining and boilermaking is regional, with parts going back and forth between shops within a day's round trip.",
	},
	{
		ID: "energy", Label: "Énergie (batteries, hydrogène, électrolyseurs)",
		Weights:   map[string]float64{SupplyChain: 25, Transport: 15, Labour: 10, Training: 5, Land: 25, Energy: 15, Territory: 5, SevesoPlatform: 0},
		Transport: map[string]float64{Motorway: 0.75, RailFreight: 0.75, Port: 0.75, RiverPort: 0.5, RailTerminal: 0.25, Station: 0.25, Airport: 0},
		Trades:    []string{"energie", "electrotechnique", "chimie", "maintenance", "industrie"},
		Jobs:      500, LandHa: 50,
		SupplyNearKm: 30, SupplyFarKm: 250,
		Reasoning: "Gigafactories and electrolyser plants need very large plots and heavy inbound flows, so land weighs most and rail and port count as much as road; a river port counts for heavy equipment and bulk inputs, a combined-transport terminal a little. Energy 15: a gigafactory or an electrolyser draws 100 MW or more and must connect at 225 or 400 kV, which decides the site as much as land. Land is full from a quarter more than the need for a project of 100 ha or more (phased build-out to its full size, not a second plant). Supply chain 25 (from labour and training): the named partners, the port the bulk arrives at and the car plants the cells go to, tie the plant to a place, which a 200 km detour for a better-trained pool does not make up for; labour 10, because the pools that can host a thousand jobs all score as staffed and the criterion separates them little, and training 5, because cell making is taught in the plants' own schools and lycées bring only the maintenance and electrical technicians. Supply chain decay 30–250 km: the inbound flows are bulk (cathode materials, electrolyte, steel, thousands of tonnes a month) and the cells go to the car plants that buy them, so a partner on the same port or industrial platform (within 30 km) is full value and the score falls by a fifth every 45 km, to nothing beyond 250 km, a truck's round trip in a day: beyond it, bulk travels by sea or rail and the partner no longer ties the plant to a place.",
	},
	{
		ID: "logistics", Label: "Logistique industrielle",
		Weights:   map[string]float64{SupplyChain: 30, Transport: 40, Labour: 15, Training: 5, Land: 5, Territory: 5, Energy: 0, SevesoPlatform: 0},
		Transport: map[string]float64{Motorway: 1, RailTerminal: 1, RailFreight: 0.25, Port: 0.5, RiverPort: 0.25, Airport: 0.25, Station: 0},
		Trades:    []string{"logistique", "maintenance"},
		Jobs:      120, LandHa: 15,
		SupplyNearKm: 50, SupplyFarKm: 1000, SupplyMode: SupplyModeCentrality,
		Reasoning: "A platform lives on its connections: transport weighs most, then the distance to the sites it serves. A combined-transport terminal (GNTC) counts as much as the motorway, since a platform's long hauls move by rail in containers and swap bodies; a rail freight point (a station open to freight, not a terminal) counts less, as does a river port. Supply chain by centrality: a distribution centre's outbound cost is its tonne-km, so the score is the weighted mean distance to the sites it serves against the best achievable among the eligible sites: 1 at the optimum (or within 50 km of the partners on average), falling by 1 % for each 1 % of extra tonne-km, 0 at twice the optimum; no cliff within the mainland. The 50–1,000 km decay is kept for a project that sets mode decay.",
	},
	{
		ID: "pharma", Label: "Pharmacie et santé",
		Weights:   map[string]float64{SupplyChain: 20, Transport: 20, Labour: 20, Training: 25, Land: 10, Territory: 5, Energy: 0, SevesoPlatform: 0},
		Transport: map[string]float64{Motorway: 1, Airport: 0.75, Station: 0.5, RailFreight: 0, Port: 0, RailTerminal: 0, RiverPort: 0},
		Trades:    []string{"chimie", "industrie", "maintenance", "technologies_industrielles"},
		Jobs:      200, LandHa: 8,
		SupplyNearKm: 50, SupplyFarKm: 500,
		Reasoning: "Qualified operators and technicians are the constraint and high-value, low-volume products ship by road and air, so labour and training weigh most. Supply chain decay 50–500 km: actives and finished products are light and high-value and travel nationally by road and air, so partners count over a wide radius.",
	},
}

// ProfileByID returns the sector profile with the id.
func ProfileByID(id string) (Profile, bool) {
	for _, p := range Profiles {
		if p.ID == id {
			return p, true
		}
	}
	return Profile{}, false
}
