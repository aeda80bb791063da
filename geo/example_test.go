package geo_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"sitematch/geo"
)

func ExampleDistanceKm() {
	paris := orb.Point{2.3522, 48.8566} // lon, lat
	lyon := orb.Point{4.8357, 45.7640}
	fmt.Printf("%.1f km\n", geo.DistanceKm(paris, lyon))
	// Output: 391.5 km
}

func ExampleIndex_Nearest() {
	var ports geo.Index[string] // the zero value is ready to use
	ports.Insert(orb.Point{0.1079, 49.4944}, "Le Havre")
	ports.Insert(orb.Point{5.3698, 43.2965}, "Marseille-Fos")
	ports.Insert(orb.Point{-1.5536, 47.2184}, "Nantes-Saint-Nazaire")

	lyon := orb.Point{4.8357, 45.7640}
	for _, h := range ports.Nearest(lyon, 2, 0) {
		fmt.Printf("%s %.0f km\n", h.Value, h.Km)
	}
	// Output:
	// Marseille-Fos 278 km
	// Nantes-Saint-Nazaire 515 km
}
