package api

import (
	"errors"
	"fmt"
	"strings"

	"sitematch/api/features"
	"sitematch/matching"
)

// Errors the handlers return; the error handler maps each to its status.
var (
	// ErrTimeout means a computation outlived the per-request timeout.
	ErrTimeout = errors.New("api: the request took longer than the server's time limit")
	// ErrRateLimited means the client sent more requests than the rate limit allows.
	ErrRateLimited = errors.New("api: rate limit exceeded")
)

// TooLargeError is a body over the size limit.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("api: the body is larger than the limit of %s", byteSize(e.Limit))
}

// MediaTypeError is a request whose Content-Type the route does not accept.
type MediaTypeError struct {
	Got    string
	Accept []string
	Header string // the header at fault: Content-Type when empty, or Content-Encoding
}

func (e *MediaTypeError) Error() string {
	got := e.Got
	if got == "" {
		got = "no Content-Type"
	}
	if e.Header == "Content-Encoding" {
		return fmt.Sprintf("api: %s is not accepted here; send the body uncompressed", got)
	}
	return fmt.Sprintf("api: %s is not accepted here; send Content-Type: %s", got, strings.Join(e.Accept, " or "))
}

// NotFoundError is an unknown resource named by a path parameter.
type NotFoundError struct {
	Param string // the path parameter: "id", "collectionId", "featureId"
	What  string // "site", "collection", "feature"
	Value string
}

func (e *NotFoundError) Error() string { return fmt.Sprintf("api: unknown %s %q", e.What, e.Value) }

// paramError wraps the field errors of query parameters, so that they are
// typed invalid-parameter rather than invalid-request.
type paramError struct{ *matching.ValidationError }

func (e *paramError) Unwrap() error { return e.ValidationError }

// featuresError translates the errors of package features: its
// parameter errors are query parameter errors, its unknown resources
// NotFoundErrors.
func featuresError(err error) (error, bool) {
	var (
		pe *features.ParamError
		nf *features.NotFoundError
	)
	switch {
	case errors.As(err, &pe):
		ve := &matching.ValidationError{}
		for _, f := range pe.Fields {
			ve.Add(f.Field, "%s", f.Message)
		}
		return &paramError{ve}, true
	case errors.As(err, &nf):
		return &NotFoundError{Param: nf.Param, What: nf.What, Value: nf.Value}, true
	}
	return nil, false
}

// readError is a body that could not be read to its end (the client
// stalled past the read deadline or went away).
type readError struct{ err error }

func (e *readError) Error() string { return "api: reading the body: " + e.err.Error() }
func (e *readError) Unwrap() error { return e.err }
