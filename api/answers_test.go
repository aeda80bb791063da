package api

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"sitematch/api/wire"
	"sitematch/matching"
)

// batchOK is a batch answer line for a scored project as encoding/json
// writes it: line and status, then the match answer's members.
type batchOK struct {
	Line   int `json:"line"`
	Status int `json:"status"`
	*wire.MatchResponse
}

// TestAnswersOverHTTP: the bodies of /v1/match, /v1/batch, /v1/compare
// and /v1/shortlist, which the server encodes with wire.Answers into
// recycled buffers, are byte for byte encoding/json's encoding of the wire
// types of the same results (with the newline), request after request (a
// recycled buffer keeps nothing of the answer before).
func TestAnswersOverHTTP(t *testing.T) {
	s := testServer(t)
	h := s.Handler()
	eng := s.engine()
	cat := eng.Catalogue()
	bodies := []string{
		`{"project": ` + franceProject() + `, "limit": 20}`,
		`{"project": {"name": "Chimie <fine> & \"co\"", "sector": "chemistry", "naf": "20.14Z", "jobs": 150, "seveso": "upper",
		  "suppliers": [{"commune": "76351", "weight": 2}, {"lon": 4.85, "lat": 45.75}]}, "limit": 150, "max_per_commune": 3}`,
		`{"project": {"name": "Robuste", "customers": [{"commune": "69123"}], "supply_chain": {"mode": "centrality"},
		  "constraints": {"kinds": ["town", "brownfield"], "include_unverified": true}}, "limit": 5, "robustness": true, "draws": 20, "seed": 7}`,
		`{"project": {"name": "Petit", "suppliers": [{"commune": "31555"}]}, "limit": 1}`,
	}
	for i, body := range bodies {
		req, err := DecodeMatchRequest([]byte(body))
		if err != nil {
			t.Fatalf("body %d: %v", i, err)
		}
		opts := matching.Options{Limit: req.Limit, Robustness: req.Robustness, Seed: req.Seed, Draws: req.Draws, MaxPerCommune: req.MaxPerCommune}
		res, err := eng.Match(wire.CanonicalProject(req.Project, cat), opts)
		if err != nil {
			t.Fatalf("body %d: %v", i, err)
		}
		mr := wire.NewMatchResponse(res, cat)
		want, err := marshal(&mr)
		if err != nil {
			t.Fatal(err)
		}
		rec := post(t, h, "/v1/match", body)
		if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), want) {
			t.Fatalf("body %d: status %d, answer differs from encoding/json's (%d bytes, want %d)", i, rec.Code, rec.Body.Len(), len(want))
		}
		if n := rec.Header().Get("Content-Length"); n != strconv.Itoa(len(want)) {
			t.Errorf("body %d: Content-Length %s for %d bytes", i, n, len(want))
		}

		if req.MaxPerCommune != 0 {
			continue // not a batch option
		}
		// The same project twice in a batch, each line numbered.
		line, _ := strings.CutPrefix(body, `{"project": `)
		line = strings.ReplaceAll(line[:strings.LastIndex(line, `}, "limit"`)+1], "\n", " ")
		q := "?limit=" + strconv.Itoa(req.Limit)
		if req.Robustness {
			q += "&robustness=true&draws=" + strconv.Itoa(req.Draws) + "&seed=" + strconv.FormatUint(req.Seed, 10)
		}
		brec := do(t, h, request{method: http.MethodPost, path: "/v1/batch" + q, body: line + "\n\n" + line + "\n", ctype: mimeNDJSON})
		var wantBatch []byte
		for _, n := range []int{1, 3} {
			b, err := marshal(batchOK{Line: n, Status: http.StatusOK, MatchResponse: &mr})
			if err != nil {
				t.Fatal(err)
			}
			wantBatch = append(wantBatch, b...)
		}
		if brec.Code != http.StatusOK || !bytes.Equal(brec.Body.Bytes(), wantBatch) {
			t.Fatalf("body %d: batch status %d, lines differ from encoding/json's: %.300s", i, brec.Code, brec.Body.String())
		}
	}

	p, err := DecodeProject([]byte(franceProject()), "project")
	if err != nil {
		t.Fatal(err)
	}
	res, err := eng.Match(p, matching.Options{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{res.Results[0].Candidate.Site.ID, res.Results[2].Candidate.Site.ID, res.Results[1].Candidate.Site.ID}
	cmp, err := eng.Compare(p, ids)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := marshal(wire.NewCompareResponse(cmp, cat))
	rec := post(t, h, "/v1/compare", `{"project": `+franceProject()+`, "site_ids": ["`+strings.Join(ids, `", "`)+`"]}`)
	if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), want) {
		t.Fatalf("compare: status %d, answer differs from encoding/json's: %.300s", rec.Code, rec.Body.String())
	}

	sl, err := wire.Shortlist(eng, wire.ShortlistRequest{Region: "28", RunnersUp: 3})
	if err != nil {
		t.Fatal(err)
	}
	want, _ = marshal(wire.NewShortlistResponse(sl, cat))
	rec = post(t, h, "/v1/shortlist", `{"region": "28", "runners_up": 3}`)
	if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), want) {
		t.Fatalf("shortlist: status %d, answer differs from encoding/json's: %.300s", rec.Code, rec.Body.String())
	}
}
