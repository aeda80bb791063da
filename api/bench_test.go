package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkMatch measures POST /v1/match through the whole handler
// (middleware, decoding, validation, the engine, the wire conversion and
// JSON encoding) for a full-France project: 20 suppliers, no constraint,
// every candidate scored, limit 20.
func BenchmarkMatch(b *testing.B) {
	s, _ := newTestServer(b, Config{})
	h := s.Handler()
	body := `{"project": ` + franceProject() + `, "limit": 20}`
	if rec := post(b, h, "/v1/match", body); rec.Code != http.StatusOK {
		b.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/v1/match", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkMatchParallel is BenchmarkMatch from every CPU at once.
func BenchmarkMatchParallel(b *testing.B) {
	s, _ := newTestServer(b, Config{})
	h := s.Handler()
	body := `{"project": ` + franceProject() + `, "limit": 20}`
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, "/v1/match", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Errorf("status %d", rec.Code)
			}
		}
	})
}

// BenchmarkItems measures one page of 1000 brownfields in a bbox.
func BenchmarkItems(b *testing.B) {
	s, _ := newTestServer(b, Config{})
	h := s.Handler()
	b.ReportAllocs()
	for b.Loop() {
		rec := get(b, h, "/collections/brownfields/items?bbox=-1,45,5,49&limit=1000")
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
