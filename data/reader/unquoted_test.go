package reader

import (
	"errors"
	"slices"
	"testing"
)

func TestReadUnquoted(t *testing.T) {
	r, err := ReadUnquoted("f.csv", []byte("\xef\xbb\xbf A ;B\r\n1;le \"CPES\"\r\n\r\n2;\"x\n"), ';')
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Header, []string{"A", "B"}) || len(r.Rows) != 2 || r.Rows[0][1] != `le "CPES"` ||
		r.Rows[1][1] != `"x` || !slices.Equal(r.Lines, []int{2, 4}) {
		t.Errorf("got %+v", r)
	}
	// Windows-1252 text is decoded.
	r, err = ReadUnquoted("f.csv", []byte("A;B\n1;\xe9t\xe9\n"), ';')
	if err != nil || r.Rows[0][1] != "été" {
		t.Errorf("Windows-1252: %+v, %v", r, err)
	}
	for _, bad := range []string{"A;B\n1;2;3\n", ""} {
		_, err := ReadUnquoted("f.csv", []byte(bad), ';')
		var e *Error
		if !errors.As(err, &e) || e.File != "f.csv" {
			t.Errorf("ReadUnquoted(%q) = %v, want an *Error naming the file", bad, err)
		}
		if bad != "" && e.Line != 2 {
			t.Errorf("ReadUnquoted(%q): line %d, want 2", bad, e.Line)
		}
	}
}
