package reader

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// ReadUnquoted reads delimited text that does not quote its fields, as
// the BCN nomenclature exports (Banque centrale des nominations) do: a
// '"' is a character of the text (`libellé court "CPES"`), not a quote,
// and no field spans lines. A byte-order mark is dropped, text that is not
// valid UTF-8 is read as Windows-1252, and every line must have as many
// fields as the header: otherwise the *Error names the line. Empty lines
// are skipped.
func ReadUnquoted(name string, b []byte, comma rune) (*Records, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(b) {
		var err error
		if b, err = charmap.Windows1252.NewDecoder().Bytes(b); err != nil {
			return nil, &Error{File: name, Msg: "neither UTF-8 nor Windows-1252", Err: err}
		}
	}
	sep := string(comma)
	var out *Records
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		rec := strings.Split(line, sep)
		if out == nil {
			for j := range rec {
				rec[j] = strings.TrimSpace(rec[j])
			}
			out = &Records{Header: rec}
			continue
		}
		if len(rec) != len(out.Header) {
			return nil, &Error{File: name, Line: i + 1, Msg: "malformed delimited text",
				Err: fmt.Errorf("%d fields, the header has %d", len(rec), len(out.Header))}
		}
		out.Rows = append(out.Rows, rec)
		out.Lines = append(out.Lines, i+1)
	}
	if out == nil {
		return nil, &Error{File: name, Msg: "empty file, no header"}
	}
	return out, nil
}
