package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
)

const requestIDKey = "request_id"

// requestID takes the client's X-Request-ID when it is a short token
// (letters, digits, "-", "_", ".", ":" up to 128 characters) and otherwise
// makes one, then echoes it in the response and in every log line.
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !validRequestID(id) {
			var b [12]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Set(requestIDKey, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		b := id[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-' || b == '_' || b == '.' || b == ':') {
			return false
		}
	}
	return true
}

func requestID(c echo.Context) string {
	id, _ := c.Get(requestIDKey).(string)
	return id
}

// quietRoutes are logged at debug level: probes and scrapes would drown
// the access log.
var quietRoutes = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// observe writes the access log line and the request metrics. It turns a
// handler's error into its response first, so both see the final status.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		req, res := c.Request(), c.Response()
		route := c.Path()
		if errors.Is(err, echo.ErrNotFound) || route == "" {
			route = "unmatched" // keeps the metrics' label set bounded
		}
		method := req.Method
		if !slices.Contains([]string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}, method) {
			method = "OTHER"
		}
		d := time.Since(start)
		status := res.Status
		s.metrics.observeRequest(method, route, status, d)
		level := slog.LevelInfo
		switch {
		case status >= 500:
			level = slog.LevelError
		case quietRoutes[route]:
			level = slog.LevelDebug
		}
		if !s.log.Enabled(req.Context(), level) {
			return nil
		}
		uri := req.RequestURI
		if len(uri) > 1024 {
			uri = uri[:1024] + "…"
		}
		attrs := []slog.Attr{
			slog.String("request_id", requestID(c)),
			slog.String("method", req.Method),
			slog.String("uri", uri),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Int64("bytes_in", max(req.ContentLength, 0)),
			slog.Int64("bytes_out", res.Size),
			slog.Float64("duration_ms", float64(d.Microseconds())/1000),
			slog.String("remote_ip", c.RealIP()),
			slog.String("user_agent", req.UserAgent()),
		}
		if err != nil && status >= 500 {
			attrs = append(attrs, slog.String("error", err.Error()))
		}
		s.log.LogAttrs(context.WithoutCancel(req.Context()), level, "request", attrs...)
		return nil
	}
}

// panicError is a recovered panic; its message stays in the logs.
type panicError struct {
	value any
}

func (e *panicError) Error() string { return fmt.Sprintf("api: panic: %v", e.value) }

// recoverer turns a panic in a handler into a 500, logging the panic value
// and stack with the request id. The client sees no internals.
func (s *Server) recoverer(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			if r == http.ErrAbortHandler {
				panic(r)
			}
			s.log.Error("panic", "request_id", requestID(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = &panicError{r}
		}()
		return next(c)
	}
}

// timeout gives every request but the batch a context that ends after
// Config.RequestTimeout; compute honours it. (The http.Server's read and
// write timeouts bound the connection the same way.)
func (s *Server) timeout(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Path() == batchRoute {
			return next(c)
		}
		ctx, cancel := context.WithTimeout(c.Request().Context(), s.cfg.RequestTimeout)
		defer cancel()
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

// errClientGone is a request whose client went away before the answer.
var errClientGone = errors.New("api: the client closed the request")

// compute runs fn in one of the client's computation slots
// (Config.MaxPerClient) and one of the server's (Config.MaxConcurrent),
// waiting for both within ctx, then waits until fn ends or ctx does. fn
// gets ctx and must stop soon after it ends (the engine looks at it every
// few hundred candidates and every robustness draw) and must not touch the
// echo.Context; it holds its slots until it returns, so the number of
// computations running at once stays bounded even when clients leave. A
// panic in fn is logged and returned as an error.
func (s *Server) compute(ctx context.Context, client, reqID string, fn func(ctx context.Context)) error {
	s.metrics.waiting.Inc()
	release, err := s.perClient.acquire(ctx, client)
	if err != nil {
		s.metrics.waiting.Dec()
		return err
	}
	select {
	case s.slots <- struct{}{}:
	default:
		s.metrics.saturated.Inc()
		select {
		case s.slots <- struct{}{}:
		case <-ctx.Done():
			s.metrics.waiting.Dec()
			release()
			return ctxError(ctx)
		}
	}
	s.metrics.waiting.Dec()
	done := make(chan error, 1)
	s.metrics.inFlight.Inc()
	go func() {
		defer func() {
			s.metrics.inFlight.Dec()
			<-s.slots
			release()
			if r := recover(); r != nil {
				s.log.Error("panic", "request_id", reqID, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				done <- &panicError{r}
			}
			close(done)
		}()
		fn(ctx)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctxError(ctx)
	}
}

func ctxError(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return ErrTimeout
	}
	return errClientGone
}

// readBody reads a request body of at most limit bytes after checking its
// media type against accept.
func readBody(c echo.Context, limit int64, accept ...string) ([]byte, error) {
	req := c.Request()
	if err := checkMediaType(req, accept...); err != nil {
		return nil, err
	}
	if req.ContentLength > limit {
		return nil, &TooLargeError{Limit: limit}
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &TooLargeError{Limit: limit}
		}
		return nil, &readError{err}
	}
	return body, nil
}

// checkMediaType accepts a Content-Type among accept (parameters such as
// charset=utf-8 allowed; another charset refused).
func checkMediaType(req *http.Request, accept ...string) error {
	if ce := req.Header.Get(echo.HeaderContentEncoding); ce != "" && !equalFold(ce, "identity") {
		return &MediaTypeError{Got: "Content-Encoding: " + ce, Accept: accept, Header: echo.HeaderContentEncoding}
	}
	ct := req.Header.Get(echo.HeaderContentType)
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || !slices.Contains(accept, mt) {
		return &MediaTypeError{Got: ct, Accept: accept}
	}
	if cs, ok := params["charset"]; ok && !equalFold(cs, "utf-8") {
		return &MediaTypeError{Got: ct, Accept: accept}
	}
	return nil
}

func equalFold(a, b string) bool { return bytes.EqualFold([]byte(a), []byte(b)) }

// writeJSON writes v as JSON with the content type, without HTML escaping.
func writeJSON(c echo.Context, status int, contentType string, v any) error {
	body, err := marshal(v)
	if err != nil {
		return err
	}
	return writeBody(c, status, contentType, body)
}

// writeBody writes an encoded body with its length, so that a client
// always knows whether it received the whole answer.
func writeBody(c echo.Context, status int, contentType string, body []byte) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, contentType)
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	c.Response().WriteHeader(status)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	_, err := c.Response().Write(body)
	return err
}

// marshal encodes v as one line of JSON (with its newline), keeping "<",
// ">" and "&" as they are.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("api: encoding the response: %w", err)
	}
	return buf.Bytes(), nil
}
