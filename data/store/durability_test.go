package store_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"sitematch/data"
	"sitematch/data/store"
)

// childEnv names the store a re-executed test binary writes to.
const childEnv = "SITEMATCH_STORE_DURABILITY_CHILD"

// Durability test parameters: writers in the child, and how many
// acknowledged writes the parent waits for before the SIGKILL.
const (
	childWriters = 8
	killAfter    = 600
)

// TestDurabilityChild is the child of TestSIGKILLKeepsAcknowledgedWrites:
// it runs only when re-executed with childEnv set. Its writers create
// sites and patch them, and print "ack <id> <version>" once each write has
// returned, until the parent kills the process (or 60 s pass).
func TestDurabilityChild(t *testing.T) {
	path := os.Getenv(childEnv)
	if path == "" {
		t.Skip("runs only as the child of TestSIGKILLKeepsAcknowledgedWrites")
	}
	ref := reference(t)
	st, err := store.Open(path, &store.Options{Reference: ref})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(3)
	}
	communes := ref.Catalogue().Communes
	var out sync.Mutex
	ack := func(id string, v int64) {
		out.Lock()
		defer out.Unlock()
		fmt.Printf("ack %s %d\n", id, v) // one write(2) per line: atomic on a pipe
	}
	ctx := context.Background()
	deadline := time.Now().Add(60 * time.Second)
	var wg sync.WaitGroup
	for w := range childWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; time.Now().Before(deadline); n++ {
				c := communes[(w*7919+n*104729)%len(communes)]
				s := store.Site{ID: fmt.Sprintf("zone:w%d-%d", w, n), Kind: data.KindZone, Name: fmt.Sprintf("Zone %d-%d de %s", w, n, c.Name),
					Commune: c.Code, Point: orb.Point{c.Point[0] + 0.001, c.Point[1]}, AreaHa: ptr(float64(1 + n%50))}
				cur, err := st.Create(ctx, fmt.Sprintf("writer-%d", w), s)
				if err != nil {
					fmt.Println("error", err)
					os.Exit(3)
				}
				ack(cur.ID, cur.Version)
				for k := range 3 {
					cur, err = st.Patch(ctx, fmt.Sprintf("writer-%d", w), cur.ID, cur.ETag(), store.Patch{
						Fields: []string{"status", "available_ha"},
						Values: store.Site{Status: "étape " + strconv.Itoa(k), AvailableHa: ptr(float64(k) / 2)},
					})
					if err != nil {
						fmt.Println("error", err)
						os.Exit(3)
					}
					ack(cur.ID, cur.Version)
				}
			}
		}()
	}
	wg.Wait()
}

// TestSIGKILLKeepsAcknowledgedWrites runs a child process that writes to a
// store from 8 goroutines, SIGKILLs it once it has acknowledged 600
// writes, reopens the store and checks that every acknowledged write is
// there and none is half-applied: each site's row matches the "after" of
// its history row for the same version, versions run 1..n without a gap,
// and SQLite's integrity check passes.
func TestSIGKILLKeepsAcknowledgedWrites(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		t.Skip("in the child")
	}
	st, path := openStore(t) // created and seeded here, so the child only writes
	st.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestDurabilityChild$", "-test.v=false")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]int64{}
	n, killedAt := 0, 0
	sc := bufio.NewScanner(stdout)
	timer := time.AfterFunc(90*time.Second, func() { cmd.Process.Kill() })
	defer timer.Stop()
	start := time.Now()
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 || f[0] != "ack" {
			if strings.HasPrefix(sc.Text(), "error") {
				t.Errorf("child: %s", sc.Text())
			}
			continue
		}
		v, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			t.Fatalf("child printed %q", sc.Text())
		}
		acked[f[1]] = max(acked[f[1]], v)
		n++
		if n == killAfter {
			cmd.Process.Signal(syscall.SIGKILL)
			killedAt = n
		}
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the child was not killed by SIGKILL (after %d acks): %v", n, err)
	}
	t.Logf("child SIGKILLed after %d acknowledged writes (%d printed in all) in %v, %d writers in flight",
		killedAt, n, time.Since(start).Round(time.Millisecond), childWriters)
	if n < 500 {
		t.Fatalf("only %d acknowledged writes", n)
	}

	st, err = store.Open(path, &store.Options{Reference: reference(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	for id, v := range acked {
		s, err := st.Get(ctx, id)
		if err != nil {
			t.Fatalf("acknowledged %s v%d is missing: %v", id, v, err)
		}
		if s.Version < v {
			t.Fatalf("acknowledged %s v%d, found v%d", id, v, s.Version)
		}
	}
	page, err := st.List(ctx, store.Query{Kinds: []string{data.KindZone}})
	if err != nil {
		t.Fatal(err)
	}
	extra := 0
	for _, s := range page.Sites {
		if _, ok := acked[s.ID]; !ok {
			extra++ // committed but killed before its ack was printed: allowed
		}
		h, err := st.History(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range h {
			if c.Version != int64(i+1) {
				t.Fatalf("%s: history versions %d at position %d", s.ID, c.Version, i)
			}
		}
		if len(h) == 0 || h[len(h)-1].Version != s.Version {
			t.Fatalf("%s: row at v%d, history ends at %+v", s.ID, s.Version, h)
		}
		var row, after any
		rj, _ := s.MarshalFeature()
		json.Unmarshal(rj, &row)
		json.Unmarshal(h[len(h)-1].After, &after)
		if !reflect.DeepEqual(row, after) {
			t.Fatalf("%s: half-applied write: row\n%s\nhistory after\n%s", s.ID, rj, h[len(h)-1].After)
		}
	}
	t.Logf("%d sites written, %d acknowledged ones all present; %d committed without an ack (killed in between)",
		len(page.Sites), len(acked), extra)
}
