package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, in a registry of its own
// (not the global one), so that two servers in one process, as in tests,
// never collide.
type metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	inFlight   prometheus.Gauge
	slots      prometheus.Gauge
	waiting    prometheus.Gauge
	saturated  prometheus.Counter
	compute    *prometheus.HistogramVec
	considered *prometheus.CounterVec
	batchLines *prometheus.CounterVec

	registryUp          prometheus.Gauge
	registrySeq         prometheus.Gauge
	registryChanges     prometheus.Counter
	registryDisconnects prometheus.Counter
}

// Buckets in seconds, from half a millisecond (a small match) to 30 s (the
// default request timeout).
var secondsBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sitematch_http_requests_total",
			Help: "HTTP requests answered, by method, route template and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "sitematch_http_request_duration_seconds",
			Help:    "Time from request to the end of the response, by method, route template and status.",
			Buckets: secondsBuckets,
		}, []string{"method", "route", "status"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sitematch_computations_in_flight",
			Help: "Matches, comparisons, shortlists and batch lines being computed.",
		}),
		slots: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sitematch_computation_slots",
			Help: "Computations the server runs at once (--max-concurrent); in flight equal to it means saturated.",
		}),
		waiting: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sitematch_computations_waiting",
			Help: "Computations waiting for a slot of their client's or of the server's.",
		}),
		saturated: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sitematch_computation_slots_full_total",
			Help: "Computations that found every slot of the server busy and had to wait.",
		}),
		compute: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "sitematch_match_duration_seconds",
			Help:    "Time the engine spent on one computation, by operation (match, batch, compare, shortlist).",
			Buckets: secondsBuckets,
		}, []string{"operation"}),
		considered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sitematch_candidates_considered_total",
			Help: "Candidate sites the engine considered, by operation.",
		}, []string{"operation"}),
		batchLines: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sitematch_batch_lines_total",
			Help: "Batch lines answered, by status.",
		}, []string{"status"}),
		registryUp: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sitematch_registry_reachable",
			Help: "1 while the site registry answers the server's follower (Follow), 0 while it cannot be reached and the server serves its last state (and when the server does not follow the registry).",
		}),
		registrySeq: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sitematch_registry_applied_seq",
			Help: "The last registry history sequence number the engine reflects (compare replicas, or with the database's).",
		}),
		registryChanges: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sitematch_registry_changes_applied_total",
			Help: "Registry history entries the follower applied to the engine (those it already held, the server's own writes mostly, are skipped).",
		}),
		registryDisconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sitematch_registry_disconnects_total",
			Help: "Times the follower lost the site registry.",
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.inFlight, m.slots, m.waiting, m.saturated, m.compute, m.considered, m.batchLines,
		m.registryUp, m.registrySeq, m.registryChanges, m.registryDisconnects,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

func (m *metrics) observeRequest(method, route string, status int, d time.Duration) {
	code := strconv.Itoa(status)
	m.requests.WithLabelValues(method, route, code).Inc()
	m.latency.WithLabelValues(method, route, code).Observe(d.Seconds())
}

// observeCompute records one computation of the engine.
func (m *metrics) observeCompute(op string, d time.Duration, considered int) {
	m.compute.WithLabelValues(op).Observe(d.Seconds())
	m.considered.WithLabelValues(op).Add(float64(considered))
}
