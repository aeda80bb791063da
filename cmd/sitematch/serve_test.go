package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"sitematch/data"
)

func TestServeFlagsAndEnv(t *testing.T) {
	env := map[string]string{"SITEMATCH_ADDR": ":9999", "SITEMATCH_RATE_LIMIT": "5", "SITEMATCH_CORS_ORIGINS": "https://a.fr, https://b.fr",
		"SITEMATCH_REQUEST_TIMEOUT": "3s", "SITEMATCH_DB": "/srv/sitematch/registre.gpkg"}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	f := defineServeFlags(fs)
	if err := fs.Parse([]string{"--addr", "127.0.0.1:7000"}); err != nil {
		t.Fatal(err)
	}
	if err := applyEnv(fs, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	cfg, err := f.config(io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:7000" {
		t.Errorf("addr %q: the flag must win over SITEMATCH_ADDR", cfg.Addr)
	}
	if f.db != "/srv/sitematch/registre.gpkg" {
		t.Errorf("db %q: SITEMATCH_DB not applied", f.db)
	}
	if cfg.RateLimit != 5 || cfg.RequestTimeout != 3*time.Second || len(cfg.CORSOrigins) != 2 || cfg.CORSOrigins[1] != "https://b.fr" {
		t.Errorf("environment not applied: %+v", cfg)
	}

	fs = flag.NewFlagSet("serve", flag.ContinueOnError)
	defineServeFlags(fs)
	_ = fs.Parse(nil)
	err = applyEnv(fs, func(k string) string {
		if k == "SITEMATCH_RATE_LIMIT" {
			return "fast"
		}
		return ""
	})
	if err == nil || !strings.Contains(err.Error(), "SITEMATCH_RATE_LIMIT") {
		t.Errorf("a bad environment value: %v", err)
	}
}

func TestServeInvalidConfig(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--addr", "nohost"},
		{"serve", "--trusted-proxies", "10.0.0.0/99"},
		{"serve", "--log-format", "xml"},
		{"serve", "--rate-limit", "-1"},
		{"serve", "extra"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, exitUsage, stderr.String())
		}
	}
}

// The binary is built once per test binary, into a temporary folder that
// TestMain removes.
var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// buildBinary builds sitematch into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "sitematch-bin-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "sitematch")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// startServer runs `sitematch serve --db db` on a free port and waits
// until /readyz answers 200. It returns the base URL and a channel of the
// log records.
func startServer(t *testing.T, bin, db string, extra ...string) (*exec.Cmd, string, *logTail) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--shutdown-timeout", "2m", "--drain-period", "0"}, extra...)...)
	cmd.Env = append(os.Environ(), "NO_PROXY=127.0.0.1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	logs := &logTail{ready: make(chan string, 1)}
	go logs.read(stderr)
	var addr string
	select {
	case addr = <-logs.ready:
	case <-time.After(60 * time.Second):
		t.Fatalf("no ready log line:\n%s", logs)
	}
	base := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz never answered 200: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return cmd, base, logs
}

// logTail collects the server's JSON log records.
type logTail struct {
	mu      sync.Mutex
	records []map[string]any
	ready   chan string
}

func (l *logTail) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) != nil {
			m = map[string]any{"msg": "(not JSON) " + sc.Text()}
		}
		l.mu.Lock()
		l.records = append(l.records, m)
		l.mu.Unlock()
		if m["msg"] == "ready" {
			l.ready <- m["addr"].(string)
		}
	}
}

func (l *logTail) has(msg string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range l.records {
		if r["msg"] == msg {
			return true
		}
	}
	return false
}

func (l *logTail) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for _, r := range l.records {
		fmt.Fprintln(&b, r)
	}
	return b.String()
}

// TestServeGracefulShutdownDuringBatch starts the real binary, streams a
// slow batch of 200 projects with robustness (sent and read slowly), sends
// SIGTERM in the middle of the stream, and checks that every line is
// answered, in order, and that the process exits 0.
func TestServeGracefulShutdownDuringBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	cmd, base, logs := startServer(t, bin, filepath.Join(t.TempDir(), "registry.gpkg"))

	const n = 200
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/batch?robustness=true&limit=5&draws=200", pr)
	req.Header.Set("Content-Type", "application/x-ndjson")
	communes := []string{"75056", "69123", "13055", "31555", "44109", "67482", "33063", "59350", "35238", "76351"}
	go func() {
		for i := range n {
			fmt.Fprintf(pw, `{"name": "projet %d", "sector": "metalworking", "jobs": %d, "suppliers": [{"commune": "%s"}, {"commune": "%s"}]}`+"\n",
				i, 20+i, communes[i%10], communes[(i+3)%10])
			time.Sleep(3 * time.Millisecond)
		}
		pw.Close()
	}()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(nil, 16<<20)
	got, signalled := 0, false
	for sc.Scan() {
		var line struct {
			Line   int `json:"line"`
			Status int `json:"status"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("answer %d: %v", got+1, err)
		}
		got++
		if line.Line != got || line.Status != 200 {
			t.Errorf("answer %d: line %d status %d", got, line.Line, line.Status)
		}
		if got == n/4 && !signalled {
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			signalled = true
		}
		time.Sleep(5 * time.Millisecond) // a slow reader
	}
	if err := sc.Err(); err != nil {
		t.Errorf("reading the stream: %v", err)
	}
	if got != n {
		t.Errorf("%d of %d lines answered", got, n)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				t.Errorf("exit status %d, want 0\n%s", ee.ExitCode(), logs)
			} else {
				t.Error(err)
			}
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("the server did not exit after SIGTERM\n%s", logs)
	}
	if !logs.has("shutting down") || !logs.has("stopped") {
		t.Errorf("shutdown not logged:\n%s", logs)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("the server still answers after exiting")
	}
}

// TestServeDrainAnswersNotReady starts the real binary with a drain period
// far longer than the test needs, sends SIGTERM and checks that /readyz is
// then answered 503 (not refused) while the other routes are still served;
// a second signal ends the process at once.
func TestServeDrainAnswersNotReady(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	cmd, base, logs := startServer(t, bin, filepath.Join(t.TempDir(), "registry.gpkg"), "--drain-period", "10m")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The signal is handled asynchronously: /readyz answers 200 until it
	// is, then 503 for the ten minutes of the drain. A refused connection
	// is a failure at any moment.
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatalf("/readyz refused during the drain: %v\n%s", err, logs)
		}
		var body struct {
			Status string `json:"status"`
		}
		_ = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if res.StatusCode == http.StatusServiceUnavailable {
			if body.Status != "draining" {
				t.Errorf("503 with status %q, want draining", body.Status)
			}
			break
		}
		if res.StatusCode != http.StatusOK || time.Now().After(deadline) {
			t.Fatalf("/readyz answered %d, want 200 then 503\n%s", res.StatusCode, logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, path := range []string{"/healthz", "/v1/meta"} {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatalf("%s refused during the drain: %v", path, err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s answered %d during the drain, want 200", path, res.StatusCode)
		}
	}
	if !logs.has("draining: /readyz answers 503, requests are still served") {
		t.Errorf("the drain is not logged:\n%s", logs)
	}
	// A second signal does not wait for the drain to end.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 130 {
			t.Errorf("after a second signal: %v, want exit status 130", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("a second SIGTERM did not end the drain\n%s", logs)
	}
}

// TestServePortInUse: a serve that cannot listen names --addr, exits 1 and
// leaves no registry file behind.
func TestServePortInUse(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := t.TempDir()
	out, err := exec.Command(buildBinary(t), "serve", "--db", filepath.Join(dir, "new.gpkg"), "--addr", ln.Addr().String(),
		"--log-format", "text").CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitError {
		t.Errorf("exit: %v, want status %d\n%s", err, exitError, out)
	}
	if !strings.Contains(string(out), "--addr") || !strings.Contains(string(out), ln.Addr().String()) {
		t.Errorf("the error does not name --addr and the address:\n%s", out)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("serve left %v behind", entries)
	}
}

// TestInfoDataVersionIsServers: `info --json --db X` reports the
// data_version that /v1/meta of `serve --db X` reports, on a new registry
// and after a write; without a registry, the snapshot's.
func TestInfoDataVersionIsServers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	db := filepath.Join(t.TempDir(), "registry.gpkg")
	_, base, _ := startServer(t, buildBinary(t), db)
	metaVersion := func() string {
		res, err := http.Get(base + "/v1/meta")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var m struct {
			DataVersion string `json:"data_version"`
		}
		if err := json.NewDecoder(res.Body).Decode(&m); err != nil {
			t.Fatal(err)
		}
		return m.DataVersion
	}
	infoVersion := func(args ...string) string {
		code, out, errs := runCmd(t, append([]string{"info", "--json"}, args...)...)
		if code != exitOK {
			t.Fatalf("info: exit %d %s", code, errs)
		}
		var m struct {
			DataVersion string `json:"data_version"`
		}
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatal(err)
		}
		return m.DataVersion
	}
	first := metaVersion()
	if got := infoVersion("--db", db); got != first {
		t.Errorf("info --db %s: %s; /v1/meta: %s", db, got, first)
	}
	// A write changes both, alike.
	code, out, errs := runCmd(t, "keys", "create", "--db", db, "--name", "root", "--role", "admin")
	if code != exitOK {
		t.Fatalf("keys create: %d %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/sites", strings.NewReader(`{"type": "Feature", "id": "zone:dv-test",
		"geometry": {"type": "Point", "coordinates": [1.0922, 49.4418]}, "properties": {"kind": "zone", "name": "ZA test"}}`))
	req.Header.Set("Authorization", "Bearer "+lines[len(lines)-1])
	req.Header.Set("Content-Type", "application/geo+json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST /v1/sites: %d", res.StatusCode)
	}
	second := metaVersion()
	if second == first {
		t.Error("a write did not change the data version")
	}
	if got := infoVersion("--db", db); got != second {
		t.Errorf("after a write, info --db: %s; /v1/meta: %s", got, second)
	}
	// Without a registry: the snapshot's version (t.Chdir: no ./sitematch.gpkg).
	t.Chdir(t.TempDir())
	t.Setenv("SITEMATCH_DB", "")
	cat, err := data.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	if got := infoVersion(); got != cat.Version {
		t.Errorf("info without a registry: %s, want the snapshot's %s", got, cat.Version)
	}
}
