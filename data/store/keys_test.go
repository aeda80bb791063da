package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"regexp"
	"testing"

	"sitematch/data/store"
)

// TestKeys creates, authenticates and revokes keys, and checks that the
// database file never holds a plaintext key, only its SHA-256.
func TestKeys(t *testing.T) {
	ctx := context.Background()
	st, path := openStore(t)
	key, k, err := st.CreateKey(ctx, "normandie-ad", store.RoleRegionEditor, "28")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^smk_[a-z2-7]{32}$`).MatchString(key) || k.Region != "28" || k.CreatedAt.IsZero() {
		t.Errorf("key %q, record %+v", key, k)
	}
	admin, _, err := st.CreateKey(ctx, "root", store.RoleAdmin, "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.Authenticate(ctx, key)
	if err != nil || p != (store.Principal{Name: "normandie-ad", Role: store.RoleRegionEditor, Region: "28"}) {
		t.Errorf("Authenticate = %+v, %v", p, err)
	}
	if !p.MayWrite("28") || p.MayWrite("32") || p.MayWrite("") {
		t.Error("a region editor's rights are wrong")
	}
	if pa, _ := st.Authenticate(ctx, admin); !pa.MayWrite("93") {
		t.Error("an admin may write anywhere")
	}
	// A key one character off: its last character replaced by another
	// (never by itself, which would be the real key).
	last := byte('a')
	if admin[len(admin)-1] == last {
		last = 'b'
	}
	for _, bad := range []string{"", "smk_", key + "x", "Bearer " + key, admin[:len(admin)-1] + string(last)} {
		if _, err := st.Authenticate(ctx, bad); !errors.Is(err, store.ErrUnauthorized) {
			t.Errorf("Authenticate(%q) = %v, want ErrUnauthorized", bad, err)
		}
	}
	if err := st.Revoke(ctx, "normandie-ad"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Authenticate(ctx, key); !errors.Is(err, store.ErrUnauthorized) {
		t.Errorf("revoked key: %v", err)
	}
	if err := st.Revoke(ctx, "normandie-ad"); err != nil {
		t.Errorf("second revoke: %v", err)
	}
	if err := st.Revoke(ctx, "nobody"); !errors.Is(err, store.ErrKeyNotFound) {
		t.Errorf("revoke unknown: %v", err)
	}
	keys, _ := st.Keys(ctx)
	if len(keys) != 2 || keys[0].Name != "normandie-ad" || keys[0].RevokedAt.IsZero() || !keys[1].RevokedAt.IsZero() {
		t.Errorf("keys %+v", keys)
	}

	cases := []struct{ name, role, region, field string }{
		{"x", "superuser", "", "role"},
		{"x", store.RoleRegionEditor, "", "region"},
		{"x", store.RoleRegionEditor, "99", "region"},
		{"x", store.RoleAdmin, "28", "region"},
		{"", store.RoleReader, "", "name"},
		{"has space", store.RoleReader, "", "name"},
		{"root", store.RoleReader, "", "name"},
	}
	for _, tc := range cases {
		_, _, err := st.CreateKey(ctx, tc.name, tc.role, tc.region)
		var ve *store.ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Field != tc.field {
			t.Errorf("CreateKey(%q, %q, %q) = %v, want an error on %s", tc.name, tc.role, tc.region, err, tc.field)
		}
	}

	// The plaintext is nowhere in the files, live (WAL) or checkpointed.
	h := sha256.Sum256([]byte(admin))
	grep := func() (plain, hash bool) {
		for _, f := range []string{path, path + "-wal", path + "-shm"} {
			b, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			plain = plain || bytes.Contains(b, []byte(key)) || bytes.Contains(b, []byte(admin)) || bytes.Contains(b, []byte(admin[4:]))
			hash = hash || bytes.Contains(b, []byte(hex.EncodeToString(h[:])))
		}
		return plain, hash
	}
	if plain, hash := grep(); plain || !hash {
		t.Errorf("open store: plaintext found %v, hash found %v", plain, hash)
	}
	st.Close()
	if plain, hash := grep(); plain || !hash {
		t.Errorf("closed store: plaintext found %v, hash found %v", plain, hash)
	}
}
