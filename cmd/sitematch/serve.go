package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"sitematch/api"
	"sitematch/data"
	"sitematch/data/store"
	"sitematch/matching"
)

// serveFlags are the flags of `sitematch serve`. Each can also be set by
// the environment variable SITEMATCH_<NAME> (upper case, "-" as "_"); a
// flag on the command line wins over the environment.
type serveFlags struct {
	cfg       api.Config
	db        string
	cors      string
	proxies   string
	logFormat string
	logLevel  string
}

func defineServeFlags(fs *flag.FlagSet) *serveFlags {
	f := &serveFlags{}
	fs.StringVar(&f.db, "db", defaultDB, "site registry: a GeoPackage file, or a PostgreSQL/PostGIS database (postgres://user:password@host:5432/db; schema migrated on start): created and seeded with the snapshot's turnkey sites on first start, reopened after")
	fs.StringVar(&f.cfg.Addr, "addr", api.DefaultAddr, "listen address, host:port (port 0 picks a free port, logged at start)")
	fs.StringVar(&f.cfg.BaseURL, "base-url", "", "public URL of the server for OGC API links (default: from each request's Host)")
	fs.StringVar(&f.cors, "cors-origins", "", "comma-separated origins allowed by CORS, or * (default: none, same-origin only)")
	fs.DurationVar(&f.cfg.RequestTimeout, "request-timeout", api.DefaultRequestTimeout, "time limit of a request, and of each batch line")
	fs.DurationVar(&f.cfg.BatchIdleTimeout, "batch-idle-timeout", api.DefaultBatchIdleTimeout, "how long a batch waits for the client to send or read")
	fs.DurationVar(&f.cfg.DrainPeriod, "drain-period", api.DefaultDrainPeriod, "after SIGTERM or SIGINT, how long /readyz answers 503 while requests are still served (0: none; a second signal exits at once)")
	fs.DurationVar(&f.cfg.ShutdownTimeout, "shutdown-timeout", api.DefaultShutdownTimeout, "after the drain period, how long in-flight requests may run")
	fs.StringVar(&f.proxies, "trusted-proxies", "", "comma-separated IPs or CIDR ranges of reverse proxies whose X-Forwarded-For is believed (default: none)")
	fs.Int64Var(&f.cfg.MaxBody, "max-body", api.DefaultMaxBody, "largest request body, bytes")
	fs.Int64Var(&f.cfg.MaxBatchBody, "max-batch-body", api.DefaultMaxBatchBody, "largest batch body, bytes")
	fs.Float64Var(&f.cfg.RateLimit, "rate-limit", 0, "requests per second per client address on /v1 (0: no limit)")
	fs.IntVar(&f.cfg.RateBurst, "rate-burst", 0, "requests a client may send at once (default: twice the rate)")
	fs.Float64Var(&f.cfg.WriteRateLimit, "write-rate-limit", 2, "registry writes per second per API key (0: no limit); over it, 429 with Retry-After")
	fs.IntVar(&f.cfg.WriteBurst, "write-burst", 0, "registry writes a key may make at once (default: five times the rate)")
	fs.IntVar(&f.cfg.MaxPerClient, "max-concurrent-per-client", 0, "computations one client address runs at once (default: half of --max-concurrent)")
	fs.IntVar(&f.cfg.MaxConcurrent, "max-concurrent", 0, "computations running at once (default: 2 per CPU)")
	fs.StringVar(&f.logFormat, "log-format", "json", "log format: json or text")
	fs.StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	return f
}

// applyEnv sets every flag not given on the command line from its
// SITEMATCH_* environment variable, if set.
func applyEnv(fs *flag.FlagSet, getenv func(string) string) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || err != nil {
			return
		}
		name := "SITEMATCH_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := getenv(name); v != "" {
			if serr := fs.Set(f.Name, v); serr != nil {
				err = fmt.Errorf("%s=%q: %v", name, v, serr)
			}
		}
	})
	return err
}

// config finishes the configuration: lists, logger, validation.
func (f *serveFlags) config(stderr io.Writer) (api.Config, error) {
	cfg := f.cfg
	cfg.CORSOrigins = splitList(f.cors)
	cfg.TrustedProxies = splitList(f.proxies)
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return cfg, fmt.Errorf("log-level: %q is not debug, info, warn or error", f.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch f.logFormat {
	case "json":
		cfg.Logger = slog.New(slog.NewJSONHandler(stderr, opts))
	case "text":
		cfg.Logger = slog.New(slog.NewTextHandler(stderr, opts))
	default:
		return cfg, fmt.Errorf("log-format: %q is not json or text", f.logFormat)
	}
	return cfg, cfg.Validate()
}

func runServe(e env, args []string) int {
	fs := newFlags(e, "serve", "[--addr :8080] [flags]")
	f := defineServeFlags(fs)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: sitematch serve [--addr :8080] [flags]\n\n"+
			"Serves the HTTP API (/v1), OGC API Features (/collections) and OpenAPI (/api) over the embedded\n"+
			"catalogue and the site registry (--db) until SIGINT or SIGTERM, then finishes the requests in\n"+
			"flight. Writes to /v1/sites need an API key (sitematch keys create). Each flag can also be set\n"+
			"by SITEMATCH_<FLAG> (upper case, _ for -), e.g. SITEMATCH_ADDR=:9000; flags win. Flags:\n")
		fs.PrintDefaults()
	}
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "sitematch serve: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if err := applyEnv(fs, os.Getenv); err != nil {
		fmt.Fprintf(e.stderr, "sitematch serve: %v\n", err)
		return exitUsage
	}
	cfg, err := f.config(e.stderr)
	if err != nil {
		// Name the flags: the configuration's errors name its fields
		// ("api: invalid configuration: rate_limit: …; shutdown_timeout: …").
		for _, line := range strings.Split(strings.TrimPrefix(err.Error(), "api: invalid configuration: "), "; ") {
			name, msg, _ := strings.Cut(line, ": ")
			fmt.Fprintf(e.stderr, "sitematch serve: --%s: %s\n", strings.ReplaceAll(name, "_", "-"), msg)
		}
		return exitUsage
	}
	log := cfg.Logger

	start := time.Now()
	// Listen first: a port in use fails at once, and before the registry
	// is created. Connections wait in the backlog until the server is ready.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		log.Error("cannot listen: choose another address with --addr (or SITEMATCH_ADDR), e.g. --addr :8081; port 0 picks a free one",
			"addr", cfg.Addr, "error", err.Error())
		return exitError
	}
	defer ln.Close()
	cat, err := data.LoadEmbedded()
	if err != nil {
		log.Error("loading the catalogue", "error", err.Error())
		return exitError
	}
	st, created, err := openStore(e.ctx, f.db, &store.Options{Catalogue: cat})
	if err != nil {
		log.Error("opening the site registry", "db", showDB(f.db), "error", err.Error())
		return exitError
	}
	defer st.Close()
	if created {
		log.Info("created the site registry, seeded with the snapshot's turnkey sites", "db", showDB(f.db))
	}
	// The history position before reading the registry: the follower
	// applies whatever is committed after it, so nothing written while the
	// engine is built is missed.
	from, err := st.Seq(e.ctx)
	if err != nil {
		log.Error("reading the site registry", "db", showDB(f.db), "error", err.Error())
		return exitError
	}
	over, err := store.Overlay(e.ctx, st, cat)
	if err != nil {
		log.Error("reading the site registry", "db", showDB(f.db), "error", err.Error())
		return exitError
	}
	eng, err := matching.NewEngine(over)
	if err != nil {
		log.Error("building the engine", "error", err.Error())
		return exitError
	}
	srv, err := api.NewServer(cfg, eng, st)
	if err != nil {
		log.Error("configuring the server", "error", err.Error())
		return exitUsage
	}
	log.Info("ready", "addr", ln.Addr().String(), "url", "http://"+ln.Addr().String()+"/",
		"data_version", over.Version, "db", showDB(f.db), "candidates", len(eng.Candidates()),
		"turnkey", len(over.Turnkey), "zones", len(over.Zones), "load_ms", time.Since(start).Milliseconds())
	// Follow the writes made elsewhere (other replicas, the command line
	// beside the server) until the server stops.
	fctx, stopFollowing := context.WithCancel(e.ctx)
	followed := make(chan struct{})
	go func() {
		defer close(followed)
		srv.Follow(fctx, st, from)
	}()
	defer func() { stopFollowing(); <-followed }()
	if err := srv.Serve(e.ctx, ln); err != nil {
		log.Error("server stopped", "error", err.Error())
		return exitError
	}
	return exitOK
}
