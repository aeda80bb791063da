package data_test

import (
	"testing"

	"sitematch/data"
)

// BenchmarkLoadEmbedded measures loading the embedded snapshot: parsing
// every CSV file, hashing it into the data version and validating the
// catalogue.
func BenchmarkLoadEmbedded(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := data.LoadEmbedded(); err != nil {
			b.Fatal(err)
		}
	}
}
