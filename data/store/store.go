package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// Errors of the store. Callers test them with errors.Is; the API maps them
// to HTTP statuses in one place.
var (
	// ErrNotFound is returned for an unknown site id (HTTP 404).
	ErrNotFound = errors.New("store: site not found")
	// ErrConflict is returned when the caller's expected version (ETag)
	// is not the site's current one: someone wrote in between (HTTP 412).
	ErrConflict = errors.New("store: version conflict: the site changed since it was read")
	// ErrExists is returned when creating a site whose id is taken (HTTP 409).
	ErrExists = errors.New("store: site already exists")
	// ErrPreconditionRequired is returned by a write given no expected
	// version: pass the ETag read, or AnyVersion to overwrite blindly
	// (HTTP 428).
	ErrPreconditionRequired = errors.New("store: expected version (ETag) required")
	// ErrUnauthorized is returned by Authenticate for an unknown or revoked
	// key (HTTP 401).
	ErrUnauthorized = errors.New("store: unknown or revoked API key")
	// ErrKeyNotFound is returned when revoking an unknown key name.
	ErrKeyNotFound = errors.New("store: API key not found")
	// ErrUnavailable wraps an error of a registry database that cannot be
	// reached (a lost connection, a server shutting down): nothing was
	// written, unless the error also wraps ErrOutcomeUnknown (HTTP 503).
	ErrUnavailable = errors.New("store: the registry database cannot be reached")
	// ErrOutcomeUnknown, with ErrUnavailable, is a connection lost while
	// a transaction committed: the write may or may not be applied.
	ErrOutcomeUnknown = errors.New("store: the write may or may not be applied")
)

// AnyVersion, passed as the expected version, makes a write unconditional
// (HTTP "If-Match: *").
const AnyVersion = "*"

// Store is the site registry. Every write runs in one transaction that also
// appends the site's history, and is durable once it returns nil. who is
// the name of the API key (or "cli", "seed") the write is recorded under.
// The implementations are *SQLite (a GeoPackage file) and *postgis.Store
// (PostgreSQL/PostGIS), sharing their write logic (Writer).
type Store interface {
	// Get returns a site. A brownfield of the snapshot that has no
	// correction is returned as it is in the snapshot, with the version of
	// its last deleted correction (0 if never corrected), so it can be
	// corrected with Update or Patch.
	Get(ctx context.Context, id string) (Site, error)
	// List returns the registry's own records (turnkey sites, zones and
	// brownfield corrections) matching q, ordered by id.
	List(ctx context.Context, q Query) (Page, error)
	// History returns every change to a site, oldest first.
	History(ctx context.Context, id string) ([]Change, error)
	// Revision identifies the registry's state: it changes with every
	// write. Replicas compare it to know when to reload.
	Revision(ctx context.Context) (string, error)

	// Create adds a site; an empty ID is generated from the kind. It
	// returns the stored site (version 1, or the next version when the id
	// had been deleted).
	Create(ctx context.Context, who string, s Site) (Site, error)
	// Update replaces every property and the geometry of a site whose
	// current ETag is expected (or AnyVersion). The kind cannot change.
	Update(ctx context.Context, who, id, expected string, s Site) (Site, error)
	// Patch changes only the named properties ("geometry" for the
	// geometry) of a site, taking their values from p.Values.
	Patch(ctx context.Context, who, id, expected string, p Patch) (Site, error)
	// Delete removes a site (for a brownfield correction: the snapshot's
	// record shows again).
	Delete(ctx context.Context, who, id, expected string) error
	// Import writes a batch of sites in one transaction, all or nothing.
	Import(ctx context.Context, who string, batch []ImportItem, opt ImportOptions) (*ImportReport, error)

	// CreateKey creates an API key and returns its plaintext, the only
	// time it is available: the store keeps its SHA-256 hash.
	CreateKey(ctx context.Context, name, role, region string) (string, Key, error)
	// Authenticate returns the principal of a key, or ErrUnauthorized.
	Authenticate(ctx context.Context, key string) (Principal, error)
	// Revoke revokes the named key.
	Revoke(ctx context.Context, name string) error
	// Keys lists every key, revoked ones included, by name.
	Keys(ctx context.Context) ([]Key, error)

	// Close releases the store.
	Close() error
}

// Follower is a store whose committed writes another process can follow:
// both implementations are. A follower keeps the last sequence number it
// applied, asks Changes for what came after, and WaitChange between:
// catching up by sequence number, it misses no write, whatever it missed
// while it was away or disconnected.
type Follower interface {
	Store
	// Seq returns the last committed history sequence number (0: none):
	// the number in Revision.
	Seq(ctx context.Context) (int64, error)
	// Changes returns the history entries after sequence number seq,
	// oldest first, at most limit (0: all).
	Changes(ctx context.Context, seq int64, limit int) ([]Change, error)
	// WaitChange returns when a write may have been committed since the
	// last call (a notification, or a poll interval), after max at the
	// latest; an error says the registry cannot be reached (the follower
	// retries).
	WaitChange(ctx context.Context, max time.Duration) error
}

// Query selects sites for List.
type Query struct {
	Kinds  []string   // empty: all
	BBox   *orb.Bound // sites whose geometry's box intersects it; nil: all
	Limit  int        // 0: no limit
	Offset int
}

// Page is a slice of a List result.
type Page struct {
	Sites   []Site
	Matched int // sites matching the query, before Limit and Offset
}

// Patch is a partial update: Fields names what changes (property names of
// Fields, or "geometry"), and Values holds the new values (the zero value
// of a field clears it).
type Patch struct {
	Fields []string
	Values Site
}

// Change is one entry of a site's history.
type Change struct {
	Seq     int64 // position in the registry's history, increasing
	SiteID  string
	Version int64 // the site's version after the change (for a delete: the version deleted + 1)
	At      time.Time
	Who     string // key name
	Verb    string // create, update, patch, delete, import, seed
	Changed []string
	Before  json.RawMessage // the site as a GeoJSON Feature, null when created
	After   json.RawMessage // null when deleted
}

// History verbs.
const (
	VerbCreate = "create"
	VerbUpdate = "update"
	VerbPatch  = "patch"
	VerbDelete = "delete"
	VerbImport = "import"
	VerbSeed   = "seed"
)

// FieldError names one invalid field by its path in a GeoJSON Feature
// ("properties.area_ha", "geometry.coordinates[0]", "id"), optionally
// prefixed with where it was read ("zones.csv:12").
type FieldError struct {
	Field   string
	Message string
}

// ValidationError lists every invalid field of a site or a key at once.
type ValidationError struct {
	Fields []FieldError
}

// Error lists every invalid field.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return "store: invalid input: " + strings.Join(parts, "; ")
}

// Add records an invalid field.
func (e *ValidationError) Add(field, format string, args ...any) {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns e when it holds at least one field, else nil.
func (e *ValidationError) Err() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// merge adds the fields of err when it is a *ValidationError, and a field
// "" with its text otherwise.
func (e *ValidationError) merge(err error) {
	if err == nil {
		return
	}
	var ve *ValidationError
	if errors.As(err, &ve) {
		e.Fields = append(e.Fields, ve.Fields...)
		return
	}
	e.Add("", "%s", err.Error())
}

func fieldErr(field, format string, args ...any) error {
	var ve ValidationError
	ve.Add(field, format, args...)
	return &ve
}

// Roles of API keys.
const (
	RoleAdmin        = "admin"         // writes everywhere, manages keys
	RoleRegionEditor = "region-editor" // writes the sites of one région
	RoleReader       = "reader"        // reads and matches
)

// Roles lists the roles.
var Roles = []string{RoleAdmin, RoleRegionEditor, RoleReader}

// Key is an API key's record; the key itself is never stored.
type Key struct {
	Name      string
	Role      string
	Region    string // région code, for a region editor
	CreatedAt time.Time
	RevokedAt time.Time // zero while valid
}

// Principal is who an authenticated key speaks for.
type Principal struct {
	Name   string
	Role   string
	Region string
}

// MayWrite reports whether the principal may write a site in the région:
// an admin anywhere, a region editor only in its own région, a reader
// nowhere. For a change of location, check both the old and new régions.
func (p Principal) MayWrite(region string) bool {
	switch p.Role {
	case RoleAdmin:
		return true
	case RoleRegionEditor:
		return region != "" && region == p.Region
	}
	return false
}
