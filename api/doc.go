// Package api owns sitematch's HTTP server: the Echo v4 router and
// handlers of docs/CONTRACT.md, requests decoded with a path for every
// bad field, RFC 9457 problems, configuration, middleware, metrics, the
// NDJSON batch, computation slots and the exports in GIS formats. The
// answers' JSON shapes are package wire's; the OGC API Features and Tiles
// documents package features'; the engine and the registry's writes
// package live's. Nothing else imports Echo but api/web; the domain
// packages carry no JSON tags.
//
// # Server
//
// NewServer(cfg, engine, registry) builds the HTTP server; Handler serves
// requests (httptest), Run and Serve listen until their context is
// cancelled, then answer /readyz 503 while still serving for
// Config.DrainPeriod, and then drain in-flight requests. Routes:
//
//   - POST /v1/match, /v1/compare, /v1/shortlist: JSON in, JSON out;
//   - POST /v1/batch: NDJSON, one project per line, answered line by line in
//     input order as results are ready (see batch.go);
//   - GET /v1/sites/{id} (the candidate, its features and its registry
//     record, with an ETag), /v1/sites/{id}/history, /v1/profiles, /v1/meta;
//   - the site registry's writes, POST /v1/sites and PUT, PATCH, DELETE
//     /v1/sites/{id}: GeoJSON Features, API keys (Authorization: Bearer),
//     If-Match; each acknowledged write is in the next match and OGC
//     response (package live), and Follow applies the writes committed
//     elsewhere (other replicas, the command line) the same way (see
//     follow.go);
//   - OGC API Features Part 1 (Core, GeoJSON, OpenAPI 3.0): /, /conformance,
//     /api, /collections, /collections/{id}, /collections/{id}/schema
//     (the JSON Schema of its features, linked as describedBy),
//     /collections/{id}/items, /collections/{id}/items/{featureId}; every
//     catalogue layer is a collection indexed by an R-tree for bbox
//     queries; the registry's layers (turnkey, zones, brownfields) serve
//     each site's outline when it has one and its registry record's
//     properties (package features serves the collections' documents and
//     tiles, package layers makes the catalogue's layers its collections);
//   - /healthz, /readyz, /metrics (Prometheus, a registry of its own).
//
// openapi.json describes every route with its schemas; the tests check the
// router and real responses against it.
//
// # Errors
//
// Handlers return errors; the HTTPErrorHandler (problemFor, the one place)
// turns them into RFC 9457 problems (application/problem+json) naming
// every bad field: *matching.ValidationError, *store.ValidationError and
// ErrMalformed are 400, a body over the limit 413 (TooLargeError), a wrong
// Content-Type 415, an unknown id 404 (NotFoundError, store.ErrNotFound),
// a write without a valid key 401 (AuthError, store.ErrUnauthorized, with
// WWW-Authenticate: Bearer), a write the key may not make 403
// (ForbiddenError), a taken id 409 (store.ErrExists), a stale If-Match 412
// (store.ErrConflict), a missing one 428 (store.ErrPreconditionRequired),
// the rate limit 429, the time limit 503, a registry database that cannot
// be reached 503 (store.ErrUnavailable).
// Anything else is a 500 that reveals nothing; panics are recovered and
// logged with the request id.
//
// # Operations
//
// Every request gets an X-Request-ID and one structured access-log line
// (log/slog). The client address is the TCP peer unless the peer is a
// configured trusted proxy (Echo advisories GO-2026-6872, GO-2026-6875):
// forwarding headers never reach the rate limiter or the logs otherwise.
// Computations run in a bounded number of slots and honour the per-request
// timeout; the engine has no cancellation points, so a computation that
// outlives its request finishes in the background in its slot.
package api
