package wire

import (
	"bytes"
	"encoding/json"
	"testing"

	"sitematch/matching"
)

// BenchmarkAnswer measures the answer path alone, for the full-France
// project of api's BenchmarkMatch (20 suppliers, 200 jobs, 10 ha) matched
// once: plain is the wire types encoded by encoding/json (NewMatchResponse
// then json.Encoder, as the command line prints), answers the encoder the
// server uses (Answers.AppendMatch into a reused buffer, every site
// already encoded once), at limit 20 and at limit 1000 (100 results
// detailed).
func BenchmarkAnswer(b *testing.B) {
	eng := testEngine(b)
	cat := eng.Catalogue()
	communes := []string{"75056", "69123", "13055", "31555", "06088", "44109", "67482", "34172", "33063", "59350",
		"35238", "51454", "76351", "42218", "83137", "49007", "21231", "37261", "63113", "87085"}
	jobs, land := 200, 10.0
	p := matching.Project{Name: "Usine de composants aéronautiques", Sector: "aeronautics", Jobs: &jobs, LandHa: &land}
	for i, c := range communes {
		p.Suppliers = append(p.Suppliers, matching.Partner{Name: "Fournisseur " + string(rune('A'+i)), Commune: c})
	}
	for _, limit := range []int{20, 1000} {
		res, err := eng.Match(p, matching.Options{Limit: limit})
		if err != nil {
			b.Fatal(err)
		}
		name := map[int]string{20: "limit20", 1000: "limit1000"}[limit]
		b.Run(name+"/plain", func(b *testing.B) {
			b.ReportAllocs()
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				je := json.NewEncoder(&buf)
				je.SetEscapeHTML(false)
				if err := je.Encode(NewMatchResponse(res, cat)); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(buf.Len()))
		})
		b.Run(name+"/answers", func(b *testing.B) {
			a := NewAnswers(eng)
			out, _ := a.AppendMatch(nil, res)
			b.ReportAllocs()
			for b.Loop() {
				if out, err = a.AppendMatch(out[:0], res); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(len(out)))
		})
	}
}
