package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// KeyPrefix starts every API key, so that a leaked key is recognisable
// (secret scanners) and a mistyped one fails fast.
const KeyPrefix = "smk_"

var keyNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// keyEncoding is lowercase base32 without padding: 20 random bytes (160
// bits) make 32 characters.
var keyEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// hashKey returns the hex SHA-256 of a key: what the store keeps. A key
// carries 160 random bits, so a plain hash (no salt, no stretching)
// resists guessing; the lookup by hash does not leak the key through
// timing, since the hash cannot be inverted.
func hashKey(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}

// ValidateKey checks a new key's name, role and région (a code: the
// command line resolves names first, data.Catalogue.RegionCode), as
// CreateKey does, without a store: every invalid field at once.
func (r *Reference) ValidateKey(name, role, region string) error {
	var ve ValidationError
	if !keyNamePattern.MatchString(name) {
		ve.Add("name", "must be 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit")
	}
	if !slices.Contains(Roles, role) {
		ve.Add("role", "must be one of %s", strings.Join(Roles, ", "))
	}
	switch {
	case role == RoleRegionEditor && region == "":
		ve.Add("region", "is required for a region editor (a région code, e.g. 28 for Normandie)")
	case role == RoleRegionEditor:
		if _, ok := r.RegionName(region); !ok {
			code, err := r.cat.RegionCode(region)
			if err != nil {
				ve.Add("region", "%s", err)
			} else {
				ve.Add("region", "give the code %s of %q", code, region)
			}
		}
	case region != "" && slices.Contains(Roles, role):
		ve.Add("region", "only a region editor is bound to a région")
	}
	return ve.Err()
}

// Authenticate returns the principal of a valid key (see Store.Authenticate).
func (s *SQLite) Authenticate(ctx context.Context, key string) (Principal, error) {
	if !strings.HasPrefix(key, KeyPrefix) {
		return Principal{}, ErrUnauthorized
	}
	var (
		p       Principal
		region  sql.NullString
		revoked sql.NullString
	)
	err := s.r.QueryRowContext(ctx, `SELECT name, role, region, revoked_at || '' FROM api_keys WHERE key_sha256 = ?`,
		hashKey(key)).Scan(&p.Name, &p.Role, &region, &revoked)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && revoked.Valid) {
		return Principal{}, ErrUnauthorized
	}
	if err != nil {
		return Principal{}, fmt.Errorf("store: authenticate: %w", err)
	}
	p.Region = region.String
	return p, nil
}

// Keys lists every key by name.
func (s *SQLite) Keys(ctx context.Context) ([]Key, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT name, role, region, created_at || '', revoked_at || '' FROM api_keys ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: list keys: %w", err)
	}
	defer rows.Close()
	var out []Key
	for rows.Next() {
		var (
			k               Key
			region, revoked sql.NullString
			created         string
		)
		if err := rows.Scan(&k.Name, &k.Role, &region, &created, &revoked); err != nil {
			return nil, fmt.Errorf("store: list keys: %w", err)
		}
		k.Region = region.String
		if k.CreatedAt, err = time.Parse(timeFormat, created); err != nil {
			return nil, fmt.Errorf("store: list keys: %w", err)
		}
		if revoked.Valid {
			if k.RevokedAt, err = time.Parse(timeFormat, revoked.String); err != nil {
				return nil, fmt.Errorf("store: list keys: %w", err)
			}
		}
		out = append(out, k)
	}
	return out, rows.Err()
}
