package api

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Defaults of Config; a zero field takes its default.
const (
	DefaultAddr             = ":8080"
	DefaultRequestTimeout   = 30 * time.Second
	DefaultShutdownTimeout  = 30 * time.Second
	DefaultBatchIdleTimeout = 60 * time.Second
	DefaultDrainPeriod      = 5 * time.Second // sitematch serve's; Config's zero DrainPeriod is none
	DefaultMaxBody          = 1 << 20         // 1 MiB
	DefaultMaxBatchBody     = 64 << 20        // 64 MiB
)

// Config configures a Server. The zero value serves on DefaultAddr with the
// defaults below; cmd/sitematch fills it from flags and SITEMATCH_*
// environment variables.
type Config struct {
	// Addr is the TCP address to listen on, host:port (":8080"; port 0
	// picks a free port, which Run logs).
	Addr string
	// BaseURL is the public URL of the server ("https://sitematch.example.fr"),
	// used in the links of the OGC API documents. Empty: derived from each
	// request's Host (and, from a trusted proxy, X-Forwarded-Proto/-Host).
	BaseURL string
	// CORSOrigins are the origins allowed to call the API from a browser
	// ("https://carto.region.fr", or "*" for any). Empty: no CORS headers,
	// same-origin only.
	CORSOrigins []string
	// RequestTimeout bounds one request: reading its body, computing and
	// writing the answer. A batch is not bounded as a whole: each of its
	// lines gets RequestTimeout to compute, and the stream is cut only when
	// the client sends or reads nothing for BatchIdleTimeout.
	RequestTimeout time.Duration
	// BatchIdleTimeout is how long a batch waits for the client to send its
	// next line or read the answers.
	BatchIdleTimeout time.Duration
	// ShutdownTimeout bounds the graceful shutdown: in-flight requests
	// (batches included) get this long to finish once Run's context is
	// cancelled; then the remaining connections are closed.
	ShutdownTimeout time.Duration
	// DrainPeriod is how long, once Serve's context is cancelled, the
	// server keeps accepting and answering requests while /readyz answers
	// 503, so that a load balancer polling it stops sending traffic before
	// the listener closes; the graceful shutdown (ShutdownTimeout) follows.
	// Zero: none, the shutdown starts at once (sitematch serve defaults to
	// DefaultDrainPeriod).
	DrainPeriod time.Duration
	// TrustedProxies are the addresses (IPs or CIDR ranges) of reverse
	// proxies whose X-Forwarded-For the server believes. Empty: the client
	// address is the TCP peer, and forwarding headers are ignored
	// (advisories GO-2026-6872 and GO-2026-6875).
	TrustedProxies []string
	// MaxBody limits a request body (1 MiB); MaxBatchBody limits a batch
	// body (64 MiB).
	MaxBody, MaxBatchBody int64
	// RateLimit is the sustained number of /v1 requests per second allowed
	// per client address; 0 turns rate limiting off. RateBurst is the
	// number of requests allowed at once (default: max(1, 2·RateLimit)).
	RateLimit float64
	RateBurst int
	// WriteRateLimit is the sustained number of registry writes per second
	// allowed per API key; 0 turns it off. WriteBurst is the number of
	// writes allowed at once (default: max(1, 5·WriteRateLimit)). A write
	// over it is answered 429 with Retry-After.
	WriteRateLimit float64
	WriteBurst     int
	// MaxConcurrent bounds the computations (matches, comparisons,
	// shortlists, batch lines) running at once; others wait their turn
	// within their timeout. Default: 2 per CPU.
	MaxConcurrent int
	// MaxPerClient bounds the computations one client address runs at
	// once; its others wait their turn. Default: half of MaxConcurrent, at
	// least 1.
	MaxPerClient int
	// Logger receives the access log and the server's events. Nil: discard.
	Logger *slog.Logger
}

// withDefaults returns c with every zero field set to its default.
func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.RequestTimeout == 0 {
		c.RequestTimeout = DefaultRequestTimeout
	}
	if c.BatchIdleTimeout == 0 {
		c.BatchIdleTimeout = DefaultBatchIdleTimeout
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = DefaultShutdownTimeout
	}
	if c.MaxBody == 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.MaxBatchBody == 0 {
		c.MaxBatchBody = DefaultMaxBatchBody
	}
	if c.WriteBurst == 0 && c.WriteRateLimit > 0 {
		c.WriteBurst = max(1, int(math.Ceil(5*c.WriteRateLimit)))
	}
	if c.RateBurst == 0 && c.RateLimit > 0 {
		c.RateBurst = max(1, int(math.Ceil(2*c.RateLimit)))
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Validate reports every invalid setting at once, each named by its field.
// Zero values are valid: they stand for the defaults.
func (c Config) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...)))
	}
	if c.Addr != "" {
		if _, port, err := net.SplitHostPort(c.Addr); err != nil {
			bad("addr", "%q is not host:port (%v)", c.Addr, err)
		} else if _, err := net.LookupPort("tcp", port); err != nil {
			bad("addr", "bad port %q", port)
		}
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			bad("base_url", "%q must be an absolute http or https URL without query", c.BaseURL)
		}
	}
	for _, o := range c.CORSOrigins {
		if o == "*" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			bad("cors_origins", "%q must be * or an origin such as https://carto.example.fr", o)
		}
	}
	for name, d := range map[string]time.Duration{"request_timeout": c.RequestTimeout,
		"batch_idle_timeout": c.BatchIdleTimeout, "shutdown_timeout": c.ShutdownTimeout, "drain_period": c.DrainPeriod} {
		if d < 0 {
			bad(name, "must not be negative, got %s", d)
		}
	}
	if _, err := parseCIDRs(c.TrustedProxies); err != nil {
		bad("trusted_proxies", "%v", err)
	}
	if c.MaxBody < 0 || c.MaxBatchBody < 0 {
		bad("max_body", "body limits must not be negative")
	}
	if c.MaxBody > 0 && c.MaxBatchBody > 0 && c.MaxBody > c.MaxBatchBody {
		bad("max_body", "%d is larger than max_batch_body %d", c.MaxBody, c.MaxBatchBody)
	}
	if math.IsNaN(c.RateLimit) || math.IsInf(c.RateLimit, 0) || c.RateLimit < 0 {
		bad("rate_limit", "must be a non-negative number of requests per second")
	}
	if math.IsNaN(c.WriteRateLimit) || math.IsInf(c.WriteRateLimit, 0) || c.WriteRateLimit < 0 {
		bad("write_rate_limit", "must be a non-negative number of writes per second")
	}
	if c.WriteBurst < 0 {
		bad("write_burst", "must not be negative")
	}
	if c.RateBurst < 0 {
		bad("rate_burst", "must not be negative")
	}
	if c.MaxConcurrent < 0 {
		bad("max_concurrent", "must not be negative")
	}
	if c.MaxPerClient < 0 {
		bad("max_per_client", "must not be negative")
	}
	// Errors come out in a fixed order.
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	slices.Sort(msgs)
	return errors.New("api: invalid configuration: " + strings.Join(msgs, "; "))
}

// parseCIDRs reads IPs ("10.0.0.1") and CIDR ranges ("10.0.0.0/8").
func parseCIDRs(ss []string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, s := range ss {
		s = strings.TrimSpace(s)
		if !strings.Contains(s, "/") {
			ip := net.ParseIP(s)
			if ip == nil {
				return nil, fmt.Errorf("%q is neither an IP address nor a CIDR range", s)
			}
			bits := 128
			if ip4 := ip.To4(); ip4 != nil {
				ip, bits = ip4, 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an IP address nor a CIDR range", s)
		}
		out = append(out, n)
	}
	return out, nil
}
