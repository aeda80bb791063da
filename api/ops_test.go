package api

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"sitematch/matching"
)

// accessLogs returns the access-log records of a route.
func accessLogs(t *testing.T, logs *syncBuffer, route string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range logs.records(t) {
		if r["msg"] == "request" && r["route"] == route {
			out = append(out, r)
		}
	}
	return out
}

// TestSpoofedClientAddress is the regression test for advisories
// GO-2026-6872 and GO-2026-6875: a client that sends X-Forwarded-For or
// X-Real-IP must not change the address that the rate limiter and the
// access log see, unless it is a configured trusted proxy.
func TestSpoofedClientAddress(t *testing.T) {
	const peer = "198.51.100.7:40000"
	spoof := func(i int) map[string]string {
		return map[string]string{"X-Forwarded-For": fmt.Sprintf("203.0.113.%d", i), "X-Real-IP": fmt.Sprintf("192.0.2.%d", i)}
	}

	t.Run("direct", func(t *testing.T) {
		s, logs := newTestServer(t, Config{RateLimit: 0.01, RateBurst: 2})
		codes := []int{}
		for i := range 4 {
			rec := do(t, s.Handler(), request{method: "GET", path: "/v1/profiles", header: spoof(i), remote: peer})
			codes = append(codes, rec.Code)
		}
		// A burst of 2, then 429 although every request claims another address.
		if codes[0] != 200 || codes[1] != 200 || codes[2] != 429 || codes[3] != 429 {
			t.Errorf("statuses %v, want [200 200 429 429]: the limiter believed a spoofed header", codes)
		}
		rec := do(t, s.Handler(), request{method: "GET", path: "/v1/profiles", header: spoof(9), remote: peer})
		if rec.Header().Get("Retry-After") == "" || rec.Header().Get("Content-Type") != mimeProblem {
			t.Errorf("429 headers %v", rec.Header())
		}
		// Another real peer is not limited.
		if rec := do(t, s.Handler(), request{method: "GET", path: "/v1/profiles", remote: "198.51.100.8:1"}); rec.Code != 200 {
			t.Errorf("another peer: %d", rec.Code)
		}
		for _, r := range accessLogs(t, logs, "/v1/profiles") {
			if r["remote_ip"] != "198.51.100.7" && r["remote_ip"] != "198.51.100.8" {
				t.Errorf("access log remote_ip %v: a spoofed header reached the log", r["remote_ip"])
			}
		}
		// Probes and OGC routes are not rate limited.
		for range 5 {
			if rec := do(t, s.Handler(), request{method: "GET", path: "/healthz", remote: peer}); rec.Code != 200 {
				t.Fatalf("healthz rate limited: %d", rec.Code)
			}
		}
	})

	t.Run("trusted proxy", func(t *testing.T) {
		s, logs := newTestServer(t, Config{RateLimit: 0.01, RateBurst: 1, TrustedProxies: []string{"198.51.100.0/24"}})
		for i := range 3 {
			// Through the proxy, each client has its own budget.
			if rec := do(t, s.Handler(), request{method: "GET", path: "/v1/profiles", header: spoof(i), remote: peer}); rec.Code != 200 {
				t.Errorf("client %d through the trusted proxy: %d", i, rec.Code)
			}
		}
		// X-Real-IP is not used, only X-Forwarded-For; the proxy's own
		// address is never the client's.
		ips := map[any]bool{}
		for _, r := range accessLogs(t, logs, "/v1/profiles") {
			ips[r["remote_ip"]] = true
		}
		for i := range 3 {
			if !ips[fmt.Sprintf("203.0.113.%d", i)] {
				t.Errorf("log lacks the forwarded address 203.0.113.%d: %v", i, ips)
			}
		}
		// An untrusted peer's X-Forwarded-For is ignored.
		untrusted := "192.0.2.200:1"
		codes := []int{}
		for i := range 3 {
			codes = append(codes, do(t, s.Handler(), request{method: "GET", path: "/v1/meta", header: spoof(100 + i), remote: untrusted}).Code)
		}
		if codes[0] != 200 || codes[1] != 429 || codes[2] != 429 {
			t.Errorf("untrusted peer with spoofed headers: %v", codes)
		}
	})
}

func TestRequestID(t *testing.T) {
	s, logs := newTestServer(t, Config{})
	rec := do(t, s.Handler(), request{method: "GET", path: "/v1/meta", header: map[string]string{"X-Request-ID": "abc-123"}})
	if rec.Header().Get("X-Request-ID") != "abc-123" {
		t.Errorf("X-Request-ID %q", rec.Header().Get("X-Request-ID"))
	}
	rec = do(t, s.Handler(), request{method: "GET", path: "/v1/meta", header: map[string]string{"X-Request-ID": "bad id\nwith newline"}})
	if id := rec.Header().Get("X-Request-ID"); len(id) != 24 {
		t.Errorf("an unsafe request id was kept: %q", id)
	}
	ids := map[any]bool{}
	for _, r := range accessLogs(t, logs, "/v1/meta") {
		ids[r["request_id"]] = true
		for _, k := range []string{"method", "uri", "status", "duration_ms", "remote_ip", "bytes_out"} {
			if _, ok := r[k]; !ok {
				t.Errorf("access log lacks %s: %v", k, r)
			}
		}
	}
	if !ids["abc-123"] {
		t.Errorf("the access log lacks the request id: %v", ids)
	}
}

func TestGzip(t *testing.T) {
	h := testServer(t).Handler()
	rec := do(t, h, request{method: "GET", path: "/v1/meta", header: map[string]string{"Accept-Encoding": "gzip"}})
	if rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q", rec.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(zr)
	plain := get(t, h, "/v1/meta")
	if !bytes.Equal(body, plain.Body.Bytes()) {
		t.Error("gzip body differs")
	}
	// Small bodies stay plain.
	if rec := do(t, h, request{method: "GET", path: "/healthz", header: map[string]string{"Accept-Encoding": "gzip"}}); rec.Header().Get("Content-Encoding") != "" {
		t.Error("a 16-byte body was compressed")
	}
}

func TestCORS(t *testing.T) {
	s, _ := newTestServer(t, Config{CORSOrigins: []string{"https://carto.region.fr"}})
	pre := do(t, s.Handler(), request{method: "OPTIONS", path: "/v1/match", header: map[string]string{
		"Origin": "https://carto.region.fr", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}})
	if pre.Code != http.StatusNoContent || pre.Header().Get("Access-Control-Allow-Origin") != "https://carto.region.fr" {
		t.Errorf("preflight %d %v", pre.Code, pre.Header())
	}
	rec := do(t, s.Handler(), request{method: "GET", path: "/v1/meta", header: map[string]string{"Origin": "https://evil.example"}})
	if rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Error("an unlisted origin was allowed")
	}
	plain := do(t, testServer(t).Handler(), request{method: "GET", path: "/v1/meta", header: map[string]string{"Origin": "https://carto.region.fr"}})
	if plain.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Error("CORS headers without configured origins")
	}
}

// TestPanicRecovered checks that a panic is logged with the request id and
// answered with a 500 problem that reveals nothing.
func TestPanicRecovered(t *testing.T) {
	s, logs := newTestServer(t, Config{})
	s.e.GET("/boom", func(echo.Context) error { panic("secret internal detail") })
	rec := do(t, s.Handler(), request{method: "GET", path: "/boom", header: map[string]string{"X-Request-ID": "boom-1"}})
	p := decodeAs[Problem](t, rec, http.StatusInternalServerError)
	if strings.Contains(rec.Body.String(), "secret") || p.Type != "/problems/internal" || p.RequestID != "boom-1" {
		t.Errorf("500 body %s", rec.Body)
	}
	found := false
	for _, r := range logs.records(t) {
		if r["msg"] == "panic" && r["request_id"] == "boom-1" && strings.Contains(fmt.Sprint(r["panic"]), "secret") && r["stack"] != "" {
			found = true
		}
	}
	if !found {
		t.Errorf("panic not logged with its request id:\n%s", logs)
	}
	// The server still serves.
	if rec := get(t, s.Handler(), "/healthz"); rec.Code != 200 {
		t.Errorf("after a panic: %d", rec.Code)
	}
	// A panic inside a computation (another goroutine) is caught too.
	err := s.compute(context.Background(), "client", "boom-2", func(context.Context) { panic("in compute") })
	var pe *panicError
	if !errors.As(err, &pe) {
		t.Errorf("compute panic: %v", err)
	}
}

// TestTimeout: a computation over the request timeout is answered 503
// with a problem, not a 500, and does not hold the client.
func TestTimeout(t *testing.T) {
	s, _ := newTestServer(t, Config{RequestTimeout: time.Millisecond})
	rec := post(t, s.Handler(), "/v1/match", `{"project": `+franceProject()+`, "robustness": true, "draws": 500, "limit": 1000}`)
	p := decodeAs[Problem](t, rec, http.StatusServiceUnavailable)
	if p.Type != "/problems/timeout" || rec.Header().Get("Retry-After") == "" {
		t.Errorf("problem %+v", p)
	}
	// The caller gets its answer while the computation still runs: compute
	// returns at the deadline although fn has not returned (and cannot
	// until released).
	release := make(chan struct{})
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	if err := s.compute(ctx, "client", "slow", func(context.Context) { <-release }); !errors.Is(err, ErrTimeout) {
		t.Errorf("compute past its deadline: %v, want ErrTimeout", err)
	}
	close(release)
}

// TestComputeSlots: with every slot taken, a request waits, then times out.
func TestComputeSlots(t *testing.T) {
	s, _ := newTestServer(t, Config{MaxConcurrent: 1, RequestTimeout: 50 * time.Millisecond})
	release, started := make(chan struct{}), make(chan struct{})
	go func() {
		_ = s.compute(context.Background(), "other", "", func(context.Context) {
			close(started)
			<-release
		})
	}()
	<-started // the only slot is taken
	rec := post(t, s.Handler(), "/v1/match", `{"project": `+smallProject+`}`)
	close(release)
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("status %d with no free slot", rec.Code)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.compute(ctx, "other", "", func(context.Context) {}); err != nil {
		t.Errorf("once the slot is free: %v", err)
	}
}

// TestComputeSlotsPerClient: a client holding its share of the slots waits
// for its next computation while another client's runs at once; /readyz
// and /metrics show the slots in use.
func TestComputeSlotsPerClient(t *testing.T) {
	s, _ := newTestServer(t, Config{MaxConcurrent: 2, MaxPerClient: 1})
	release, started := make(chan struct{}), make(chan struct{})
	go func() {
		_ = s.compute(context.Background(), "a", "", func(context.Context) {
			close(started)
			<-release
		})
	}()
	<-started
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := s.compute(ctx, "a", "", func(context.Context) {}); !errors.Is(err, ErrTimeout) {
		t.Errorf("client a's second computation: %v, want to wait until its deadline", err)
	}
	ran := false
	if err := s.compute(context.Background(), "b", "", func(context.Context) { ran = true }); err != nil || !ran {
		t.Errorf("client b: %v, ran %v", err, ran)
	}
	var ready struct {
		Compute ComputeJSON `json:"compute"`
	}
	rec := get(t, s.Handler(), "/readyz")
	if err := json.Unmarshal(rec.Body.Bytes(), &ready); err != nil {
		t.Fatal(err)
	}
	if c := ready.Compute; c.Slots != 2 || c.Busy != 1 || c.PerClient != 1 || c.Clients != 1 || c.Saturated {
		t.Errorf("/readyz compute %+v, want 2 slots, 1 busy, 1 per client, 1 client", c)
	}
	metrics := get(t, s.Handler(), "/metrics").Body.String()
	for _, want := range []string{"sitematch_computation_slots 2", "sitematch_computations_in_flight 1"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// TestComputeCancelStopsTheEngine: when the client leaves, the match
// itself stops and frees its slot, instead of running to its end.
func TestComputeCancelStopsTheEngine(t *testing.T) {
	s, _ := newTestServer(t, Config{MaxConcurrent: 1})
	ctx, cancel := context.WithCancel(context.Background())
	var merr error
	done := make(chan struct{})
	go func() {
		_ = s.compute(ctx, "a", "", func(ctx context.Context) {
			defer close(done)
			cancel()
			_, merr = s.engine().MatchContext(ctx, matching.Project{Name: "x"}, matching.Options{})
		})
	}()
	<-done
	if !errors.Is(merr, context.Canceled) {
		t.Errorf("the engine ran on after its client left: %v", merr)
	}
}

func TestConfigValidate(t *testing.T) {
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero Config: %v", err)
	}
	bad := Config{Addr: "nohost", BaseURL: "ftp://x", CORSOrigins: []string{"carto.fr"}, RequestTimeout: -1, DrainPeriod: -1,
		TrustedProxies: []string{"10.0.0.0/99"}, MaxBody: 10 << 20, MaxBatchBody: 1 << 20, RateLimit: -2, RateBurst: -1, MaxConcurrent: -1}
	err := bad.Validate()
	if err == nil {
		t.Fatal("invalid Config accepted")
	}
	for _, f := range []string{"addr", "base_url", "cors_origins", "request_timeout", "drain_period", "trusted_proxies", "max_body", "rate_limit", "rate_burst", "max_concurrent"} {
		if !strings.Contains(err.Error(), f+":") {
			t.Errorf("error does not name %s: %v", f, err)
		}
	}
	if _, err := NewServer(bad, testEngine(t), regVal); err == nil {
		t.Error("NewServer accepted an invalid Config")
	}
}

// TestGracefulShutdown cancels Serve's context while a batch streams and
// checks that the batch still answers every line, that new connections
// are refused and that Serve returns nil.
func TestGracefulShutdown(t *testing.T) {
	s, logs := newTestServer(t, Config{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()

	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/batch?limit=3", pr)
	req.Header.Set("Content-Type", "application/x-ndjson")
	type result struct {
		lines int
		err   error
	}
	done := make(chan result, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- result{0, err}
			return
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		done <- result{strings.Count(string(body), `"status":200`), err}
	}()
	const n = 40
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range n {
			fmt.Fprintf(pw, `{"name": "p%d", "jobs": 50, "suppliers": [{"commune": "%s"}]}`+"\n", i, franceCommunes[i%20])
			if i == n/2 {
				cancel() // SIGTERM arrives mid-stream
			}
			time.Sleep(5 * time.Millisecond)
		}
		pw.Close()
	}()
	wg.Wait()
	r := <-done
	if r.err != nil || r.lines != n {
		t.Errorf("batch during shutdown: %d of %d lines answered, err %v", r.lines, n, r.err)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("the server still accepts connections after shutdown")
	}
	if !strings.Contains(logs.String(), `"msg":"stopped"`) {
		t.Errorf("no stop log:\n%s", logs)
	}
}

// TestBatchClientGoesAway: a client that aborts a batch mid-stream (its
// body still open) must not leave the handler waiting: the server then
// shuts down at once.
func TestBatchClientGoesAway(t *testing.T) {
	s, _ := newTestServer(t, Config{ShutdownTimeout: time.Minute})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	pr, pw := io.Pipe()
	defer pw.Close()
	rctx, abort := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(rctx, http.MethodPost, "http://"+ln.Addr().String()+"/v1/batch", pr)
	req.Header.Set("Content-Type", "application/x-ndjson")
	go fmt.Fprintln(pw, smallProject)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(res.Body).ReadString('\n')
	if err != nil || !strings.Contains(line, `"line":1`) {
		t.Fatalf("first answer %q: %v", line, err)
	}
	abort() // the client goes away with its body still open
	res.Body.Close()
	stop()
	// Serve returns an error when the handler outlives ShutdownTimeout: a
	// minute, far more than noticing a closed connection takes.
	if err := <-served; err != nil {
		t.Errorf("the batch handler kept running after its client left: %v", err)
	}
}
