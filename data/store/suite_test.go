package store_test

import (
	"os"
	"path/filepath"
	"testing"

	"sitematch/data/store"
	"sitematch/data/store/storetest"
)

// gpkgBackend runs the shared suite on GeoPackage files.
var gpkgBackend = storetest.Backend{
	New: func(t testing.TB) string { return filepath.Join(t.TempDir(), "registry.gpkg") },
	Open: func(path string, opt *store.Options) (store.Store, error) {
		return store.Open(path, opt)
	},
	// Raw is the database file and its WAL-mode side files.
	Raw: func(t testing.TB, path string) []byte {
		var out []byte
		for _, f := range []string{path, path + "-wal", path + "-shm"} {
			b, err := os.ReadFile(f)
			if err == nil {
				out = append(out, b...)
			}
		}
		return out
	},
}

// TestStore runs the registry's behaviour suite on the GeoPackage store.
func TestStore(t *testing.T) { storetest.Run(t, gpkgBackend) }

// TestDurabilityChild is the child process of TestSIGKILLKeepsAcknowledgedWrites.
func TestDurabilityChild(t *testing.T) { storetest.DurabilityChild(t, gpkgBackend) }

// TestSIGKILLKeepsAcknowledgedWrites kills a process writing to a
// GeoPackage registry and checks every acknowledged write survives.
func TestSIGKILLKeepsAcknowledgedWrites(t *testing.T) { storetest.SIGKILL(t, gpkgBackend) }
