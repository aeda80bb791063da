package api

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"sitematch/api/features"
	"sitematch/data/store"
	"sitematch/matching"
)

// Problem is an RFC 9457 problem detail, the body of every error response
// (Content-Type: application/problem+json), as docs/CONTRACT.md ("Errors") shows.
// Errors always holds the invalid fields, empty when the problem is not
// about a field.
type Problem struct {
	Type   string         `json:"type"`
	Title  string         `json:"title"`
	Status int            `json:"status"`
	Detail string         `json:"detail,omitempty"`
	Errors []FieldProblem `json:"errors"`
	// ErrorCount is how many invalid fields there are in all, when Errors
	// lists only the first MaxErrors of them.
	ErrorCount int    `json:"error_count,omitempty"`
	RequestID  string `json:"request_id,omitempty"`
}

// MaxErrors is how many field errors a problem lists; ErrorCount gives the
// total beyond it, so that a bad body's answer stays small.
const MaxErrors = 100

// FieldProblem names one invalid field: a JSON path in the body
// ("project.suppliers[1].lat"), a query or path parameter ("bbox", "id"),
// "body" for the body as a whole, or a header ("Content-Type").
type FieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Media types the server speaks.
const (
	mimeJSON       = features.MediaJSON
	mimeProblem    = "application/problem+json"
	mimeGeoJSON    = features.MediaGeoJSON
	mimeMergePatch = "application/merge-patch+json"
	mimeNDJSON     = "application/x-ndjson"
	mimeOpenAPI    = "application/vnd.oai.openapi+json;version=3.0"
	mimeSchemaJSON = features.MediaSchemaJSON
	mimeMVT        = features.MediaMVT
	problemTypeDir = "/problems/"
)

// statusClientClosed is the status logged for a request whose client went
// away (nginx's convention); no client ever reads it.
const statusClientClosed = 499

// Problem types, relative URI references under /problems/.
const (
	ptInvalidProject   = "invalid-project"
	ptInvalidRequest   = "invalid-request"
	ptInvalidParameter = "invalid-parameter"
	ptMalformed        = "malformed-body"
	ptTooLarge         = "body-too-large"
	ptMediaType        = "unsupported-media-type"
	ptNotFound         = "not-found"
	ptMethod           = "method-not-allowed"
	ptRateLimited      = "rate-limited"
	ptTimeout          = "timeout"
	ptRequestTimeout   = "request-timeout"
	ptCancelled        = "cancelled"
	ptInternal         = "internal"
	ptNotAcceptable    = "not-acceptable"
	ptUnavailable      = "registry-unavailable"
	ptInvalidSite      = "invalid-site"
	ptUnauthorized     = "unauthorized"
	ptForbidden        = "forbidden"
	ptExists           = "already-exists"
	ptPrecondition     = "precondition-failed"
	ptPreconditionReq  = "precondition-required"
	ptHTTP             = "http-error"
	ptBatchStopped     = "batch-stopped"
)

// problemFor maps any error a handler returns to its problem. It is the
// one place where errors become statuses (STYLE.md §4); anything it does
// not recognise is a 500 without internals.
func problemFor(err error) Problem {
	var (
		ve  *matching.ValidationError
		pe  *paramError
		tl  *TooLargeError
		mt  *MediaTypeError
		nf  *NotFoundError
		re  *readError
		he  *echo.HTTPError
		mbe *http.MaxBytesError
		bs  *batchStoppedError
		wr  *WriteRateError
		na  *NotAcceptableError
	)
	if p, ok := registryProblem(err); ok {
		return p
	}
	if e, ok := featuresError(err); ok {
		return problemFor(e)
	}
	switch {
	case errors.As(err, &pe):
		return fieldsProblem(ptInvalidParameter, "Invalid query parameter", pe.ValidationError)
	case errors.As(err, &ve):
		t, title := ptInvalidRequest, "Invalid request"
		if allUnder(ve, "project") {
			t, title = ptInvalidProject, "Invalid project"
		}
		return fieldsProblem(t, title, ve)
	case errors.Is(err, ErrMalformed):
		msg := strings.TrimPrefix(err.Error(), ErrMalformed.Error()+": ")
		return Problem{Type: ptMalformed, Title: "Malformed request body", Status: http.StatusBadRequest,
			Detail: "the body is not a JSON document", Errors: []FieldProblem{{"body", msg}}}
	case errors.As(err, &tl):
		return Problem{Type: ptTooLarge, Title: "Request body too large", Status: http.StatusRequestEntityTooLarge,
			Detail: strings.TrimPrefix(tl.Error(), "api: "), Errors: []FieldProblem{{"body", "must be at most " + byteSize(tl.Limit)}}}
	case errors.As(err, &mbe):
		return problemFor(&TooLargeError{Limit: mbe.Limit})
	case errors.As(err, &mt):
		fe := FieldProblem{"Content-Type", "must be " + strings.Join(mt.Accept, " or ")}
		if mt.Header == "Content-Encoding" {
			fe = FieldProblem{"Content-Encoding", "must be absent or identity"}
		}
		return Problem{Type: ptMediaType, Title: "Unsupported media type", Status: http.StatusUnsupportedMediaType,
			Detail: strings.TrimPrefix(mt.Error(), "api: "), Errors: []FieldProblem{fe}}
	case errors.As(err, &nf):
		return Problem{Type: ptNotFound, Title: "Not found", Status: http.StatusNotFound,
			Detail: strings.TrimPrefix(nf.Error(), "api: "), Errors: []FieldProblem{{nf.Param, "unknown " + nf.What}}}
	case errors.As(err, &wr):
		return Problem{Type: ptRateLimited, Title: "Too many writes", Status: http.StatusTooManyRequests,
			Detail: strings.TrimPrefix(wr.Error(), "api: "), Errors: []FieldProblem{{"Authorization", "over the key's write rate limit"}}}
	case errors.As(err, &na):
		return Problem{Type: ptNotAcceptable, Title: "Not acceptable", Status: http.StatusNotAcceptable,
			Detail: strings.TrimPrefix(na.Error(), "api: "), Errors: []FieldProblem{{"Accept", "allows none of the answer's formats"}}}
	case errors.As(err, &bs):
		return Problem{Type: ptBatchStopped, Title: "Batch stopped", Status: http.StatusBadRequest,
			Detail: strings.TrimPrefix(bs.Error(), "api: "), Errors: []FieldProblem{{"body", fmt.Sprintf("lines %d to %d refused", bs.first, bs.last)}}}
	case errors.Is(err, ErrTimeout):
		return Problem{Type: ptTimeout, Title: "Request timed out", Status: http.StatusServiceUnavailable,
			Detail: strings.TrimPrefix(err.Error(), "api: ") + "; retry later or ask for less (a lower limit, fewer robustness draws)"}
	case errors.As(err, &re):
		t, status, title := ptMalformed, http.StatusBadRequest, "Body not readable"
		if errors.Is(err, os.ErrDeadlineExceeded) {
			t, status, title = ptRequestTimeout, http.StatusRequestTimeout, "Request body too slow"
		}
		return Problem{Type: t, Title: title, Status: status, Detail: "the request body could not be read to its end",
			Errors: []FieldProblem{{"body", "incomplete"}}}
	case errors.Is(err, ErrRateLimited):
		return Problem{Type: ptRateLimited, Title: "Too many requests", Status: http.StatusTooManyRequests,
			Detail: "this client sent more requests than the server's rate limit allows; retry after a second"}
	case errors.Is(err, errClientGone):
		return Problem{Type: ptCancelled, Title: "Client closed request", Status: statusClientClosed,
			Detail: "the client went away before the answer was ready"}
	case errors.As(err, &he):
		return httpProblem(he)
	}
	return Problem{Type: ptInternal, Title: "Internal server error", Status: http.StatusInternalServerError,
		Detail: "the server failed to answer; the request id identifies the failure in the server's logs"}
}

// httpProblem maps Echo's own errors (router 404 and 405, middleware).
func httpProblem(he *echo.HTTPError) Problem {
	switch he.Code {
	case http.StatusNotFound:
		return Problem{Type: ptNotFound, Title: "Not found", Status: http.StatusNotFound,
			Detail: "no resource at this path; GET /api lists every route"}
	case http.StatusMethodNotAllowed:
		return Problem{Type: ptMethod, Title: "Method not allowed", Status: http.StatusMethodNotAllowed,
			Detail: "this path does not accept the method; the Allow header lists those it does"}
	case http.StatusTooManyRequests:
		return problemFor(ErrRateLimited)
	case http.StatusRequestEntityTooLarge:
		return Problem{Type: ptTooLarge, Title: "Request body too large", Status: he.Code, Errors: []FieldProblem{{"body", "too large"}}}
	case http.StatusUnsupportedMediaType:
		return Problem{Type: ptMediaType, Title: "Unsupported media type", Status: he.Code, Errors: []FieldProblem{{"Content-Type", "not accepted"}}}
	}
	if he.Code >= 500 || he.Code < 400 {
		return problemFor(nil)
	}
	p := Problem{Type: ptHTTP, Title: http.StatusText(he.Code), Status: he.Code}
	if m, ok := he.Message.(string); ok {
		p.Detail = m
	}
	return p
}

// registryProblem maps the site registry's errors: the store's sentinels
// and validation errors, and the API's rights errors.
func registryProblem(err error) (Problem, bool) {
	var (
		sve *store.ValidationError
		ae  *AuthError
		fe  *ForbiddenError
	)
	detail := func() string { return strings.TrimPrefix(strings.TrimPrefix(err.Error(), "api: "), "store: ") }
	switch {
	case errors.As(err, &sve):
		p := Problem{Type: ptInvalidSite, Title: "Invalid site", Status: http.StatusBadRequest, Errors: make([]FieldProblem, len(sve.Fields))}
		for i, f := range sve.Fields {
			field := f.Field
			if field == "" {
				field = "body"
			}
			p.Errors[i] = FieldProblem{field, f.Message}
		}
		if n := len(sve.Fields); n == 1 {
			p.Detail = "1 field is invalid"
		} else {
			p.Detail = strconv.Itoa(n) + " fields are invalid"
		}
		return p, true
	case errors.As(err, &ae):
		return Problem{Type: ptUnauthorized, Title: "Authentication required", Status: http.StatusUnauthorized,
			Detail: ae.Detail, Errors: []FieldProblem{{"Authorization", ae.Detail}}}, true
	case errors.Is(err, store.ErrUnauthorized):
		return Problem{Type: ptUnauthorized, Title: "Authentication required", Status: http.StatusUnauthorized,
			Detail: "the API key is unknown or revoked", Errors: []FieldProblem{{"Authorization", "unknown or revoked key"}}}, true
	case errors.As(err, &fe):
		return Problem{Type: ptForbidden, Title: "Forbidden", Status: http.StatusForbidden, Detail: fe.Detail,
			Errors: []FieldProblem{{fe.Field, fe.Detail}}}, true
	case errors.Is(err, store.ErrConflict):
		return Problem{Type: ptPrecondition, Title: "Precondition failed", Status: http.StatusPreconditionFailed, Detail: detail(),
			Errors: []FieldProblem{{"If-Match", "is not the site's current ETag"}}}, true
	case errors.Is(err, store.ErrPreconditionRequired):
		return Problem{Type: ptPreconditionReq, Title: "Precondition required", Status: http.StatusPreconditionRequired, Detail: detail(),
			Errors: []FieldProblem{{"If-Match", "is required"}}}, true
	case errors.Is(err, store.ErrExists):
		return Problem{Type: ptExists, Title: "Site already exists", Status: http.StatusConflict,
			Detail: detail() + "; change it with PUT or PATCH, or choose another id", Errors: []FieldProblem{{"id", "is taken"}}}, true
	case errors.Is(err, store.ErrNotFound):
		return Problem{Type: ptNotFound, Title: "Not found", Status: http.StatusNotFound, Detail: detail(),
			Errors: []FieldProblem{{"id", "unknown site"}}}, true
	case errors.Is(err, ErrCommittedNotApplied):
		return Problem{Type: ptUnavailable, Title: "Site registry unavailable", Status: http.StatusServiceUnavailable,
			Detail: "the write is committed (read the site for its ETag; do not repeat it), but the site registry's database " +
				"became unreachable before this server could apply it to its answers: it will once the database is back"}, true
	case errors.Is(err, store.ErrUnavailable):
		d := "the site registry's database cannot be reached; reads and matches are answered from the last state, writes fail until it is back: retry later"
		if errors.Is(err, store.ErrOutcomeUnknown) {
			d = "the connection to the site registry's database was lost while the write committed: it may or may not be applied; read the site (its ETag) before retrying"
		}
		return Problem{Type: ptUnavailable, Title: "Site registry unavailable", Status: http.StatusServiceUnavailable, Detail: d}, true
	}
	return Problem{}, false
}

func fieldsProblem(t, title string, ve *matching.ValidationError) Problem {
	p := Problem{Type: t, Title: title, Status: http.StatusBadRequest, Errors: make([]FieldProblem, len(ve.Fields))}
	for i, f := range ve.Fields {
		field := f.Field
		if field == "" {
			field = "body" // the document itself, e.g. an array where an object belongs
		}
		p.Errors[i] = FieldProblem{field, f.Message}
	}
	if n := len(ve.Fields); n == 1 {
		p.Detail = "1 field is invalid"
	} else {
		p.Detail = strconv.Itoa(n) + " fields are invalid"
	}
	return p
}

func allUnder(ve *matching.ValidationError, prefix string) bool {
	for _, f := range ve.Fields {
		if f.Field != prefix && !strings.HasPrefix(f.Field, prefix+".") && !strings.HasPrefix(f.Field, prefix+"[") {
			return false
		}
	}
	return len(ve.Fields) > 0
}

// finish fills in the parts of a problem that do not depend on the error.
func (p Problem) finish(requestID string) Problem {
	p.Type = problemTypeDir + p.Type
	if p.Errors == nil {
		p.Errors = []FieldProblem{}
	}
	if n := len(p.Errors); n > MaxErrors {
		p.Errors, p.ErrorCount = p.Errors[:MaxErrors], n
	}
	p.RequestID = requestID
	return p
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// handleError is the Echo HTTPErrorHandler: it writes the problem of err,
// and only logs it once a response is committed (a streaming batch reports
// its own errors in the stream).
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		if !errors.Is(err, ErrTimeout) {
			s.log.Warn("error after the response was committed", "request_id", requestID(c), "error", err.Error())
		}
		return
	}
	// The access log (observe) records the error of a 5xx with its request id.
	p := problemFor(err).finish(requestID(c))
	h := c.Response().Header()
	switch p.Status {
	case http.StatusUnauthorized:
		challenge := `Bearer realm="sitematch"`
		var ae *AuthError
		if errors.As(err, &ae) && ae.Code != "" {
			challenge += `, error="` + ae.Code + `"`
		}
		h.Set(echo.HeaderWWWAuthenticate, challenge)
	case http.StatusTooManyRequests:
		retry := "1"
		var wr *WriteRateError
		if errors.As(err, &wr) {
			retry = strconv.Itoa(retrySeconds(wr.RetryAfter))
		}
		h.Set("Retry-After", retry)
	case http.StatusServiceUnavailable:
		h.Set("Retry-After", "5")
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(p.Status)
		return
	}
	if werr := writeJSON(c, p.Status, mimeProblem, p); werr != nil {
		s.log.Debug("writing a problem", "request_id", p.RequestID, "error", werr.Error())
	}
}
