package matching

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// French text: the writer the explanations of a result append to, and the
// French formats of numbers, distances and counts (a decimal comma, narrow
// no-break spaces between thousands), each written once here as an append
// and wrapped as a string function for the callers that want one.

// frText is the explanations of one result being written. Every criterion
// appends its sentence, and explain cuts the sentences out of the one
// string the builder makes: one allocation for all of them.
type frText struct{ strings.Builder }

// detail writes the sentence of an explainer that returns its own and
// hands back its detail.
func (t *frText) detail(d Detail, sentence string) Detail {
	t.WriteString(sentence)
	return d
}

// str writes the parts in order.
func (t *frText) str(parts ...string) {
	for _, p := range parts {
		t.WriteString(p)
	}
}

// num writes numFR(x, decimals).
func (t *frText) num(x float64, decimals int) {
	var s [48]byte
	t.Write(appendNumFR(s[:0], x, decimals))
}

// int writes intFR(n).
func (t *frText) int(n int) {
	var s [48]byte
	t.Write(appendIntFR(s[:0], n))
}

// itoa writes n in plain digits, without separators (strconv.Itoa).
func (t *frText) itoa(n int) {
	var s [24]byte
	t.Write(strconv.AppendInt(s[:0], int64(n), 10))
}

// km writes kmFR(km).
func (t *frText) km(km float64) {
	var s [56]byte
	t.Write(appendKmFR(s[:0], km))
}

// count writes countFR(n, one, many).
func (t *frText) count(n int, one, many string) {
	t.int(n)
	t.WriteByte(' ')
	t.WriteString(pick(n == 1 || n == 0, one, many))
}

// where says where something lies from a site: "dans la commune" when it
// is placed in the site's commune (with the distance from 1 km), "sur le
// site" when it is less than 50 m away, else "à 6,1 km"; never "à 0 km".
func (t *frText) where(km float64, sameCommune bool) {
	switch {
	case sameCommune && km >= 1:
		t.WriteString("dans la commune (à ")
		t.km(km)
		t.WriteByte(')')
	case sameCommune:
		t.WriteString("dans la commune")
	case km < 0.05:
		t.WriteString("sur le site")
	default:
		t.WriteString("à ")
		t.km(km)
	}
}

// capitalized writes capitalize(s).
func (t *frText) capitalized(s string) {
	for i, r := range s {
		t.WriteRune(unicode.ToUpper(r))
		t.WriteString(s[i+utf8.RuneLen(r):])
		return
	}
}

// lead writes s, capitalised when it starts the sentence.
func (t *frText) lead(first bool, s string) {
	if first {
		t.capitalized(s)
		return
	}
	t.WriteString(s)
}

// shortName writes shortName(name).
func (t *frText) shortName(name string) {
	if len(name) <= 60 || utf8.RuneCountInString(name) <= 60 {
		t.WriteString(name)
		return
	}
	n := 0
	for i := range name {
		if n == 57 {
			t.WriteString(name[:i])
			t.WriteString("…")
			return
		}
		n++
	}
	t.WriteString(name)
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

// kmFR formats a distance the French way: "6,1 km" below 10 km, "171 km"
// from 10 km.
func kmFR(km float64) string {
	var s [56]byte
	return string(appendKmFR(s[:0], km))
}

func appendKmFR(dst []byte, km float64) []byte {
	if km < 10 {
		dst = appendNumFR(dst, km, 1)
	} else {
		dst = appendNumFR(dst, km, 0)
	}
	return append(dst, " km"...)
}

// numFR formats a number to decimals places, rounded as strconv rounds
// (to nearest, a half to even on the exact binary value), with a decimal
// comma and narrow no-break spaces between thousands; the decimals are left
// out when all are zero ("10", "6,1", "0,25", "1 234,5").
func numFR(x float64, decimals int) string {
	var s [48]byte
	return string(appendNumFR(s[:0], x, decimals))
}

func intFR(n int) string {
	var s [48]byte
	return string(appendIntFR(s[:0], n))
}

func countFR(n int, one, many string) string {
	return intFR(n) + " " + pick(n == 1 || n == 0, one, many)
}

// pow10f and pow10u are the powers of ten of the decimals the integer path
// of appendNumFR handles.
var (
	pow10f = [...]float64{1, 10, 100, 1e3, 1e4, 1e5, 1e6}
	pow10u = [...]uint64{1, 10, 100, 1e3, 1e4, 1e5, 1e6}
)

// appendNumFR appends numFR(x, decimals). The number is scaled to an
// integer count of its last decimal, y = |x|·10^decimals, and rounded
// there, which gives strconv's rounding exactly unless y lies within its
// float error of a half: the product is off the true value by at most
// y·2⁻⁵³, so a fractional part further than max(y, 1)·2⁻⁵⁰ from ½ rounds
// the same way as the exact value would. Halves, near-halves, numbers
// beyond 2⁵⁰, NaN, the infinities and other precisions go through strconv.
func appendNumFR(dst []byte, x float64, decimals int) []byte {
	if decimals < 0 || decimals >= len(pow10f) {
		return appendNumFRStrconv(dst, x, decimals)
	}
	y := x * pow10f[decimals]
	if y < 0 {
		y = -y
	}
	if !(y < 0x1p50) { // NaN too
		return appendNumFRStrconv(dst, x, decimals)
	}
	n := uint64(y) // the floor: y is positive and below 2⁵⁰
	f := y - float64(n)
	margin := y * 0x1p-50
	if y < 1 {
		margin = 0x1p-50
	}
	if f-0.5 <= margin && 0.5-f <= margin {
		return appendNumFRStrconv(dst, x, decimals)
	}
	if f > 0.5 {
		n++
	}
	if math.Signbit(x) { // strconv writes "-0" for -0 and for a negative that rounds to 0
		dst = append(dst, '-')
	}
	if decimals == 0 {
		return appendGrouped(dst, n)
	}
	p := pow10u[decimals]
	dst = appendGrouped(dst, n/p)
	if frac := n % p; frac != 0 {
		dst = append(dst, ',')
		var d [8]byte
		for i := decimals - 1; i >= 0; i-- {
			d[i] = byte('0' + frac%10)
			frac /= 10
		}
		dst = append(dst, d[:decimals]...)
	}
	return dst
}

// appendIntFR appends intFR(n), numFR(float64(n), 0).
func appendIntFR(dst []byte, n int) []byte {
	if n >= 1<<53 || n <= -1<<53 { // float64(n) rounds
		return appendNumFR(dst, float64(n), 0)
	}
	if n < 0 {
		return appendGrouped(append(dst, '-'), uint64(-n))
	}
	return appendGrouped(dst, uint64(n))
}

// appendGrouped appends n's digits with a narrow no-break space between
// thousands.
func appendGrouped(dst []byte, n uint64) []byte {
	// Right to left into a buffer: a digit, and a space (3 bytes) before
	// every third.
	var d [40]byte
	i, k := len(d), 0
	for {
		if k > 0 && k%3 == 0 {
			i -= len("\u202f")
			copy(d[i:], "\u202f")
		}
		i--
		d[i] = byte('0' + n%10)
		n /= 10
		k++
		if n == 0 {
			return append(dst, d[i:]...)
		}
	}
}

// appendNumFRStrconv is appendNumFR by strconv's 'f' format, the reference
// the integer path equals and the path of the cases it leaves out.
func appendNumFRStrconv(dst []byte, x float64, decimals int) []byte {
	var num [64]byte
	s := strconv.AppendFloat(num[:0], x, 'f', decimals, 64)
	if len(s) > 0 && s[0] == '-' {
		dst, s = append(dst, '-'), s[1:]
	}
	intPart, frac := s, []byte(nil)
	if i := bytes.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
	}
	for i, d := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			dst = append(dst, "\u202f"...)
		}
		dst = append(dst, d)
	}
	if len(bytes.Trim(frac, "0")) > 0 {
		dst = append(append(dst, ','), frac...)
	}
	return dst
}

// lowerFirst lower-cases the first letter of s ("Électrotechnique" →
// "électrotechnique"), rune-aware.
func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}

func capitalize(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}

// plural1 picks the singular for a quantity below 2, as French does
// ("1,5 lycée").
func plural1(x float64, one, many string) string {
	if x < 2 {
		return one
	}
	return many
}
