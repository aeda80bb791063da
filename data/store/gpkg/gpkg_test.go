package gpkg_test

import (
	"encoding/binary"
	"errors"
	"reflect"
	"testing"

	"github.com/paulmach/orb"

	"sitematch/data/store/gpkg"
)

func TestRoundTrip(t *testing.T) {
	poly := orb.Polygon{{{1.0, 49.0}, {1.01, 49.0}, {1.01, 49.01}, {1.0, 49.0}}}
	cases := []struct {
		name string
		g    orb.Geometry
		env  byte // envelope indicator expected in the flags
	}{
		{"point", orb.Point{2.35, 48.85}, 0},
		{"polygon", poly, 1},
		{"multipolygon", orb.MultiPolygon{poly, {{{3, 45}, {3.1, 45}, {3.1, 45.1}, {3, 45}}}}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := gpkg.Marshal(tc.g, 4326)
			if err != nil {
				t.Fatal(err)
			}
			if string(b[:2]) != "GP" || b[2] != 0 || b[3]&1 != 1 || (b[3]>>1)&7 != tc.env {
				t.Errorf("header % x", b[:8])
			}
			if srs := binary.LittleEndian.Uint32(b[4:8]); srs != 4326 {
				t.Errorf("srs %d", srs)
			}
			got, srs, err := gpkg.Unmarshal(b)
			if err != nil {
				t.Fatal(err)
			}
			if srs != 4326 || !reflect.DeepEqual(got, tc.g) {
				t.Errorf("round trip gave %v (srs %d), want %v", got, srs, tc.g)
			}
		})
	}
}

func TestUnmarshalErrors(t *testing.T) {
	if _, err := gpkg.Marshal(orb.LineString{{0, 0}, {1, 1}}, 4326); !errors.Is(err, gpkg.ErrUnsupported) {
		t.Errorf("line string: %v, want ErrUnsupported", err)
	}
	for _, b := range [][]byte{nil, []byte("XX\x00\x01\x00\x00\x00\x00"), []byte("GP\x00\x03\xe6\x10\x00\x00")} {
		if _, _, err := gpkg.Unmarshal(b); err == nil {
			t.Errorf("Unmarshal(% x) succeeded", b)
		}
	}
	// An empty geometry (flag bit 4) decodes to nil.
	g, srs, err := gpkg.Unmarshal([]byte("GP\x00\x11\xe6\x10\x00\x00"))
	if err != nil || g != nil || srs != 4326 {
		t.Errorf("empty: %v %d %v", g, srs, err)
	}
}
