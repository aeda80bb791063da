package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"sitematch/api/live"
	"sitematch/api/web"
	"sitematch/api/wire"
	"sitematch/matching"
)

// Server serves sitematch's HTTP API over a matching engine and the site
// registry. Build it with NewServer; Handler serves requests (httptest),
// Run listens and serves until its context is cancelled.
//
// The engine and the OGC collections are those of a live.Holder, which
// every handler loads once per request and every registry write goes
// through: it swaps in the next engine and collections before the write
// is answered, so the next request sees the write without a reload.
type Server struct {
	cfg       Config
	live      *live.Holder
	reg       Registry
	log       *slog.Logger
	e         *echo.Echo
	metrics   *metrics
	proxies   []*net.IPNet
	slots     chan struct{} // computation slots (Config.MaxConcurrent)
	perClient *clientSlots  // computation slots per client (Config.MaxPerClient)
	writes    *writeLimiter // registry writes per API key (Config.WriteRateLimit), nil when unlimited
	bufs      answerBuffers // the output buffers of match answers, recycled
	started   time.Time

	draining atomic.Bool // set when shutdown begins: /readyz answers 503
	follow   followState // Follow's progress, for /readyz and /metrics
}

// NewServer validates the configuration and builds the server: routes,
// middleware, the OGC collections' spatial indexes and the metrics
// registry. eng must rank the catalogue the registry describes: the
// snapshot with the registry applied (store.Overlay, then
// matching.NewEngine); reg is where the /v1/sites writes go, and the keys
// that may make them. NewServer reads the registry's records once, for the
// properties the OGC collections of its layers serve.
func NewServer(cfg Config, eng *matching.Engine, reg Registry) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if eng == nil {
		return nil, errors.New("api: NewServer: nil engine")
	}
	if reg == nil {
		return nil, errors.New("api: NewServer: nil registry")
	}
	cfg = cfg.withDefaults()
	proxies, _ := parseCIDRs(cfg.TrustedProxies) // checked by Validate
	n := cfg.MaxConcurrent
	if n == 0 {
		n = 2 * runtime.GOMAXPROCS(0)
	}
	per := cfg.MaxPerClient
	if per == 0 {
		per = max(1, n/2)
	}
	s := &Server{cfg: cfg, reg: reg, log: cfg.Logger, proxies: proxies,
		slots: make(chan struct{}, n), perClient: newClientSlots(min(per, n)), started: time.Now(), metrics: newMetrics()}
	s.metrics.slots.Set(float64(n))
	s.writes = newWriteLimiter(cfg.WriteRateLimit, cfg.WriteBurst)
	var err error
	if s.live, err = live.New(eng, reg, cfg.Logger); err != nil {
		return nil, fmt.Errorf("api: NewServer: %w", err)
	}
	s.e = s.newEcho()
	return s, nil
}

// engine returns the current engine. A handler loads it once and uses
// that one for the whole request.
func (s *Server) engine() *matching.Engine { return s.live.Engine() }

// answers returns the answer encoder of eng (an engine engine returned).
func (s *Server) answers(eng *matching.Engine) *wire.Answers { return s.live.Answers(eng) }

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.e }

// Run listens on Config.Addr and serves until ctx is cancelled, then shuts
// down gracefully (see Serve).
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("api: listen on %s: %w", s.cfg.Addr, err)
	}
	s.log.Info("listening", "addr", ln.Addr().String())
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx is cancelled. It then marks itself not
// ready (/readyz answers 503) and goes on accepting and answering requests
// for Config.DrainPeriod, so that load balancers stop routing to it; then
// it stops accepting connections and waits up to Config.ShutdownTimeout
// for in-flight requests to finish (a streaming batch included: its client
// keeps receiving answers until its last line); connections still open
// after that are closed. It returns nil after a graceful stop.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.e,
		ReadHeaderTimeout: 10 * time.Second,
		// ReadTimeout and WriteTimeout bound every request; the batch
		// handler moves its own deadlines forward line by line.
		ReadTimeout:  s.cfg.RequestTimeout,
		WriteTimeout: s.cfg.RequestTimeout + 5*time.Second,
		IdleTimeout:  2 * time.Minute,
		ErrorLog:     slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:  func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("api: serve: %w", err)
	case <-ctx.Done():
	}
	s.draining.Store(true)
	if d := s.cfg.DrainPeriod; d > 0 {
		s.log.Info("draining: /readyz answers 503, requests are still served", "drain_period", d.String())
		select {
		case <-time.After(d):
		case err := <-errc:
			return fmt.Errorf("api: serve: %w", err)
		}
	}
	s.log.Info("shutting down", "timeout", s.cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	start := time.Now()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("api: graceful shutdown did not finish within %s: %w", s.cfg.ShutdownTimeout, err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("api: serve: %w", err)
	}
	s.log.Info("stopped", "drain_ms", time.Since(start).Milliseconds())
	return nil
}

// Routes of the batch endpoint, which manages its own deadlines.
const batchRoute = "/v1/batch"

func (s *Server) newEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Logger.SetOutput(logWriter{s.log})
	e.HTTPErrorHandler = s.handleError
	// Advisories GO-2026-6872 and GO-2026-6875: never let a client choose
	// its own address through a header. Forwarding headers count only from
	// configured proxies.
	e.IPExtractor = echo.ExtractIPDirect()
	if len(s.proxies) > 0 {
		opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
		for _, n := range s.proxies {
			opts = append(opts, echo.TrustIPRange(n))
		}
		e.IPExtractor = echo.ExtractIPFromXFFHeader(opts...)
	}

	e.Use(s.requestID, s.observe, s.recoverer)
	if len(s.cfg.CORSOrigins) > 0 {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins:  s.cfg.CORSOrigins,
			AllowMethods:  []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete},
			AllowHeaders:  []string{echo.HeaderContentType, echo.HeaderAuthorization, echo.HeaderXRequestID, "If-Match", "If-None-Match"},
			ExposeHeaders: []string{echo.HeaderXRequestID, "ETag", "Location", "Retry-After"},
			MaxAge:        3600,
		}))
	}
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{
		Level:     5,
		MinLength: 1024,
		Skipper:   func(c echo.Context) bool { return c.Path() == "/metrics" },
	}))
	e.Use(s.timeout)

	// Every GET route answers HEAD too (RFC 9110 §9.3.2).
	readable := []string{http.MethodGet, http.MethodHead}

	// OGC API Features, Part 1 Core, GeoJSON and OpenAPI 3.0.
	e.Match(readable, "/", s.landing)
	e.Match(readable, "/conformance", s.conformance)
	e.Match(readable, "/api", s.openAPI)
	e.Match(readable, "/collections", s.listCollections)
	e.Match(readable, "/collections/:collectionId", s.describeCollection)
	e.Match(readable, "/collections/:collectionId/schema", s.collectionSchema)
	e.Match(readable, "/collections/:collectionId/queryables", s.queryables)
	e.Match(readable, "/collections/:collectionId/items", s.items)
	e.Match(readable, "/collections/:collectionId/items/:featureId", s.feature)
	s.registerTiles(e, readable) // OGC API Tiles (tiles.go)

	// Operations.
	e.Match(readable, "/healthz", s.healthz)
	e.Match(readable, "/readyz", s.readyz)
	e.Match(readable, "/metrics", echo.WrapHandler(s.metrics.handler()))

	// The JSON API.
	v1 := e.Group("/v1")
	if s.cfg.RateLimit > 0 {
		v1.Use(middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
			Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
				Rate: rate.Limit(s.cfg.RateLimit), Burst: s.cfg.RateBurst, ExpiresIn: 3 * time.Minute}),
			// RealIP goes through e.IPExtractor above, never through raw headers.
			IdentifierExtractor: func(c echo.Context) (string, error) { return c.RealIP(), nil },
			DenyHandler:         func(echo.Context, string, error) error { return ErrRateLimited },
		}))
	}
	v1.POST("/match", s.exportable("match", s.match))             // GeoJSON, CSV, GeoPackage: export.go
	v1.POST("/compare", s.exportable("compare", s.compare))       // GeoJSON, CSV, GeoPackage: export.go
	v1.POST("/shortlist", s.exportable("shortlist", s.shortlist)) // GeoJSON, CSV, GeoPackage: export.go
	v1.POST("/batch", s.exportable("batch", s.batch))             // GeoJSON, CSV, GeoPackage: export.go
	v1.POST("/sites", s.createSite)
	v1.Match(readable, "/sites/:id", s.site)
	v1.PUT("/sites/:id", s.updateSite)
	v1.PATCH("/sites/:id", s.patchSite)
	v1.DELETE("/sites/:id", s.deleteSite)
	v1.Match(readable, "/sites/:id/history", s.siteHistory)
	v1.Match(readable, "/profiles", s.profiles)
	v1.Match(readable, "/sectors/:naf", s.sector)
	v1.Match(readable, "/territories/:code", s.territory)
	v1.Match(readable, "/meta", s.meta)
	v1.Match(readable, "/communes", s.communes)

	// The web map (issue 6): its static files under /app/; GET / answers
	// browsers with the page (see landing).
	web.Register(e, s.engine().Catalogue().Outlines)
	return e
}

// healthz answers 200 while the process serves.
func (s *Server) healthz(c echo.Context) error {
	return writeJSON(c, http.StatusOK, mimeJSON, map[string]string{"status": "ok"})
}

// readyz answers 200 once the catalogue is loaded (which NewServer
// requires) and 503 from the start of a shutdown, so that a load balancer
// stops sending new requests while in-flight ones finish. While Follow
// runs, "registry" reports it: the last sequence number applied, and
// whether the registry is reachable. An unreachable registry keeps the
// server ready: it answers reads and matches from its last state (writes
// fail until the database is back), so that losing the database does not
// take every replica out of the load balancer.
func (s *Server) readyz(c echo.Context) error {
	if s.draining.Load() {
		return writeJSON(c, http.StatusServiceUnavailable, mimeJSON, map[string]string{"status": "draining"})
	}
	body := map[string]any{"status": "ready", "data_version": s.engine().Catalogue().Version,
		"uptime_s": int64(time.Since(s.started).Seconds()), "compute": s.computeState()}
	if r := s.followReport(); r != nil {
		body["registry"] = r
	}
	return writeJSON(c, http.StatusOK, mimeJSON, body)
}

// ComputeJSON is the state of the computation slots, in /readyz: a server
// whose busy slots equal its capacity, with computations waiting, is
// saturated (the same figures are in /metrics).
type ComputeJSON struct {
	Slots     int  `json:"slots"`
	Busy      int  `json:"busy"`
	PerClient int  `json:"per_client"`
	Clients   int  `json:"clients"`
	Saturated bool `json:"saturated"`
}

func (s *Server) computeState() ComputeJSON {
	busy := len(s.slots)
	return ComputeJSON{Slots: cap(s.slots), Busy: busy, PerClient: s.perClient.per, Clients: s.perClient.clients(),
		Saturated: busy == cap(s.slots)}
}

// logWriter sends Echo's own log lines (rare: a double WriteHeader) to slog.
type logWriter struct{ log *slog.Logger }

func (w logWriter) Write(p []byte) (int, error) {
	w.log.Warn("echo", "message", strings.TrimSpace(string(p)))
	return len(p), nil
}
