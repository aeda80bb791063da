package wire

import (
	"encoding/json"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"unicode/utf8"
)

// The answer encoder (answers.go) writes JSON without reflection. These are
// its primitives: each writes exactly the bytes encoding/json writes for
// the same Go value with SetEscapeHTML(false), so that the answers keep
// the bytes the wire types' plain encoding gives (TestAnswersEqualPlain
// compares them over a corpus of answers; TestAppendString and
// TestAppendFloat compare the primitives on random input).

// enc is an output buffer and the first error met (a NaN or an infinity,
// which JSON cannot hold: encoding/json refuses them too).
type enc struct {
	b   []byte
	err error
	ord []int // scratch for orderings (supply chain partners)
}

// raw appends s as it is: a key, punctuation or pre-encoded JSON.
func (e *enc) raw(s string) { e.b = append(e.b, s...) }

// rawb appends pre-encoded JSON.
func (e *enc) rawb(s []byte) { e.b = append(e.b, s...) }

// str appends s as a JSON string.
func (e *enc) str(s string) { e.b = appendString(e.b, s) }

// int appends an integer.
func (e *enc) int(n int) { e.b = strconv.AppendInt(e.b, int64(n), 10) }

// bool appends true or false.
func (e *enc) bool(v bool) {
	if v {
		e.b = append(e.b, "true"...)
	} else {
		e.b = append(e.b, "false"...)
	}
}

// num appends a float64 as encoding/json does, or records the error for a
// NaN or an infinity.
func (e *enc) num(f float64) {
	if f-f != 0 { // NaN or ±Inf
		if e.err == nil {
			e.err = &json.UnsupportedValueError{Str: strconv.FormatFloat(f, 'g', -1, 64)}
		}
		e.b = append(e.b, '0') // the answer is refused anyway
		return
	}
	e.b = appendFloat(e.b, f)
}

// numPtr appends *f, or null.
func (e *enc) numPtr(f *float64) {
	if f == nil {
		e.raw("null")
		return
	}
	e.num(*f)
}

// strs appends a []string: null when nil, as encoding/json writes it.
func (e *enc) strs(s []string) { list(e, s, e.str) }

// ints appends an []int: null when nil.
func (e *enc) ints(s []int) { list(e, s, e.int) }

// intMap appends a map[string]int, keys sorted as encoding/json sorts
// them; null when nil.
func (e *enc) intMap(m map[string]int) { object(e, m, e.int) }

// numMap appends a map[string]float64, keys sorted; null when nil.
func (e *enc) numMap(m map[string]float64) { object(e, m, e.num) }

// list appends s as a JSON array of its values written by val, null when
// nil.
func list[V any](e *enc, s []V, val func(V)) {
	if s == nil {
		e.raw("null")
		return
	}
	e.b = append(e.b, '[')
	for i, v := range s {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		val(v)
	}
	e.b = append(e.b, ']')
}

// object appends m as a JSON object, keys sorted as encoding/json sorts
// them, values written by val; null when nil.
func object[V any](e *enc, m map[string]V, val func(V)) {
	if m == nil {
		e.raw("null")
		return
	}
	e.b = append(e.b, '{')
	for i, k := range sortedKeys(m) {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.str(k)
		e.b = append(e.b, ':')
		val(m[k])
	}
	e.b = append(e.b, '}')
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// round appends Round(x, decimals), decimals 0 to 6, without computing
// it: m = round(x·10^decimals) written with its decimals is the shortest
// decimal reading back as m/10^decimals (for |m| < 2^52, as appendFloat
// says), which is what num would write.
func (e *enc) round(x float64, decimals int) {
	p := pow10[decimals]
	m := math.Round(x * p)
	if m == 0 || !(math.Abs(m) < 1<<52) { // ±0, NaN and the infinities as num writes them
		e.num(m / p)
		return
	}
	e.b = appendDecimal(e.b, int64(m), decimals)
}

// appendDecimal appends n·10^-k (0 ≤ k ≤ 6), trailing zeros of the
// decimals dropped.
func appendDecimal(b []byte, n int64, k int) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	ip, frac := divPow10(uint64(n), k)
	b = strconv.AppendUint(b, ip, 10)
	if frac == 0 {
		return b
	}
	for frac%10 == 0 {
		frac /= 10
		k--
	}
	var tmp [7]byte
	tmp[0] = '.'
	for i := k; i > 0; i-- {
		tmp[i] = byte('0' + frac%10)
		frac /= 10
	}
	return append(b, tmp[:k+1]...)
}

// divPow10 returns n / 10^k and n % 10^k, each divisor a constant (a
// multiplication, not a division).
func divPow10(n uint64, k int) (q, r uint64) {
	switch k {
	case 0:
		return n, 0
	case 1:
		return n / 10, n % 10
	case 2:
		return n / 100, n % 100
	case 3:
		return n / 1000, n % 1000
	case 4:
		return n / 10000, n % 10000
	case 5:
		return n / 100000, n % 100000
	}
	return n / 1000000, n % 1000000
}

// pow10 are the exact powers of ten Round multiplies by.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6}

// appendFloat appends f (finite) as encoding/json writes a float64: the
// shortest decimal that reads back as f, in %f form from 1e-6 to 1e21 and
// in %e form (exponent unpadded) outside. Most figures on the wire are
// rounded to a few decimals (Round), so it first tries m = round(f·10⁶):
// when m/10⁶ reads back as f, m without its trailing zeros is the
// shortest decimal reading back as f (a shorter one would be m with more
// zeros; and |m| < 2^52 keeps the spacing of floats below 10⁻⁶, so no
// other decimal of as many digits reads back as f), written with integer
// arithmetic; strconv handles the rest.
func appendFloat(b []byte, f float64) []byte {
	if f == 0 {
		if math.Signbit(f) {
			return append(b, "-0"...)
		}
		return append(b, '0')
	}
	if a := math.Abs(f); a < (1<<52)/1e6 {
		x := f * 1e6
		m := math.Round(x)
		// m/10⁶ == f puts x within an ulp or so of m: the division, slow,
		// is only made then.
		if math.Abs(x-m) <= a*1e6*0x1p-48 && m/1e6 == f {
			return appendDecimal(b, int64(m), 6)
		}
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs < 1e-6 || abs >= 1e21 {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 to e-9, as encoding/json writes it
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// Masks of the word-at-a-time scan of appendString.
const (
	lsb  = 0x0101010101010101
	msb  = 0x8080808080808080
	quot = lsb * '"'
	bsl  = lsb * '\\'
	sp   = lsb * 0x20
)

// appendString appends s as a JSON string exactly as encoding/json does
// without HTML escaping: '"', '\\' and the control characters escaped
// (\b \f \n \r \t by name, the others as \u00XX), invalid UTF-8 as
// \ufffd, U+2028 and U+2029 as \u2028 and \u2029, the rest as it is. It
// reads eight bytes at a time: a word of plain ASCII is skipped at once,
// and in a word whose only non-plain bytes are above ASCII it goes
// straight to the first of them, whose sequence it checks.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start, i := 0, 0
	for i < len(s) {
		if i+8 <= len(s) {
			t := s[i : i+8] // one load
			w := uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
				uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56
			q, k := w^quot, w^bsl
			// A byte below 0x20, a quote or a backslash (a byte above
			// ASCII, its high bit set, never matches); the bytes above.
			special, high := ((w-sp)&^w|(q-lsb)&^q|(k-lsb)&^k)&msb, w&msb
			if special|high == 0 {
				i += 8
				continue
			}
			if special == 0 {
				i += bits.TrailingZeros64(high) >> 3
			}
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' {
				b = append(b, s[start:i]...)
				b = appendEscape(b, c)
				start = i + 1
			}
			i++
			continue
		}
		// Valid two- and three-byte sequences (accents, ’, …, the narrow
		// no-break space) but U+2028 and U+2029 are kept as they are.
		if c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			i += 2
			continue
		}
		if (c >= 0xE1 && c < 0xED || c >= 0xEE && c < 0xF0) && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 &&
			!(c == 0xE2 && s[i+1] == 0x80 && s[i+2]&0xFE == 0xA8) {
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			start = i + 1
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			start = i + size
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendEscape appends the escape of an ASCII special: '"', '\\' or a
// control character.
func appendEscape(b []byte, c byte) []byte {
	switch c {
	case '\\', '"':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}
