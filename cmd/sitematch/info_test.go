package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestInfoJSON checks `sitematch info --json` against the shape of
// docs/CONTRACT.md: data_version and the layer counts under their keys.
func TestInfoJSON(t *testing.T) {
	var stdout, stderr strings.Builder
	code := run(context.Background(), []string{"info", "--json"}, strings.NewReader(""), &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit status %d, stderr: %s", code, stderr.String())
	}
	var got struct {
		DataVersion string         `json:"data_version"`
		Layers      map[string]int `json:"layers"`
		Sources     []struct {
			Layer     string `json:"layer"`
			Rows      int    `json:"rows"`
			Publisher string `json:"publisher"`
			Licence   string `json:"licence"`
		} `json:"sources"`
		Gaps []struct {
			Layer string `json:"layer"`
			Text  string `json:"text"`
		} `json:"coverage_gaps"`
	}
	dec := json.NewDecoder(strings.NewReader(stdout.String()))
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout.String())
	}
	if dec.More() {
		t.Errorf("stdout holds more than one JSON value")
	}
	if !strings.HasPrefix(got.DataVersion, "sha256:") {
		t.Errorf("data_version = %q, want sha256:…", got.DataVersion)
	}
	// The keys of docs/CONTRACT.md's example; counts are checked in package data.
	for _, key := range []string{"communes", "epci", "territoires_industrie", "turnkey", "zones",
		"brownfields", "towns_acv", "towns_pvd", "motorway_interchanges", "rail_freight",
		"stations", "airports", "seaports", "training"} {
		n, ok := got.Layers[key]
		if !ok {
			t.Errorf("layers has no %q", key)
		}
		if n <= 0 && key != "zones" {
			t.Errorf("layers[%q] = %d", key, n)
		}
	}
	if len(got.Sources) == 0 || len(got.Gaps) == 0 {
		t.Errorf("%d sources and %d coverage gaps, want some of each", len(got.Sources), len(got.Gaps))
	}
	for _, s := range got.Sources {
		if s.Publisher == "" || s.Licence == "" {
			t.Errorf("source %q lacks a publisher or licence", s.Layer)
		}
	}
}

func TestInfoText(t *testing.T) {
	var stdout, stderr strings.Builder
	if code := run(context.Background(), []string{"info"}, strings.NewReader(""), &stdout, &stderr); code != exitOK {
		t.Fatalf("exit status %d, stderr: %s", code, stderr.String())
	}
	for _, want := range []string{"data version sha256:", "communes", "motorway_interchanges", "Sources:", "Known coverage gaps:"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("info does not print %q:\n%s", want, stdout.String())
		}
	}
}

func TestInfoUsage(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
	}{
		{"unknown flag", []string{"info", "--jsn"}, exitUsage},
		{"extra argument", []string{"info", "extra"}, exitUsage},
		{"help", []string{"info", "-h"}, exitOK},
		{"unknown command", []string{"infos"}, exitUsage},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			if code := run(context.Background(), tc.args, strings.NewReader(""), &stdout, &stderr); code != tc.code {
				t.Errorf("exit status %d, want %d (stderr: %s)", code, tc.code, stderr.String())
			}
			if tc.code == exitUsage && stderr.Len() == 0 {
				t.Error("nothing on stderr")
			}
		})
	}
}
