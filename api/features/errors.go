package features

import (
	"fmt"
	"strings"
)

// ParamError is a request with wrong query or path parameters, each
// named with what is wrong (HTTP 400).
type ParamError struct {
	Fields []FieldError
}

// FieldError is one wrong parameter.
type FieldError struct {
	Field   string
	Message string
}

func (e *ParamError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return "features: " + strings.Join(parts, "; ")
}

// add records a wrong parameter.
func (e *ParamError) add(field, format string, args ...any) {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// err returns e when it holds a field, else nil.
func (e *ParamError) err() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// NotFoundError is an unknown resource named by a path parameter (HTTP
// 404).
type NotFoundError struct {
	Param string // the path parameter: "collectionId", "featureId", "tileMatrixSetId"
	What  string // "collection", "feature", "tile matrix set"
	Value string
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("features: unknown %s %q", e.What, e.Value)
}
