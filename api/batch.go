package api

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"sitematch/matching"
)

// Batch (POST /v1/batch)
//
// The body is NDJSON (Content-Type application/x-ndjson): one project per
// line, the JSON of docs/CONTRACT.md's "A project", exactly what POST /v1/match
// takes under "project". Blank lines are skipped. Options that apply to
// every line are query parameters: limit, robustness, seed, draws.
//
// The answer is NDJSON too, one line per non-blank input line, in input
// order, each written and flushed as soon as it and every line before it
// are ready (lines are scored concurrently). Every answer line carries
// "line" (the 1-based line number in the input) and "status": 200 with
// the fields of a match response, or the status and fields of the problem
// that line has (400 invalid or malformed, 413 longer than the single
// request limit, 503 over the per-line time limit). A bad line never fails
// the batch. When the body as a whole exceeds the batch limit, or cannot be
// read to its end, the stream ends with a problem line numbered after the
// last complete line.
//
// Deadlines: each line gets Config.RequestTimeout to compute; the batch as
// a whole has no time limit, since it lasts as long as the client keeps
// sending, but the client must send its next line, and read the answers,
// within Config.BatchIdleTimeout. A graceful shutdown lets a batch in
// flight run to its end (within Config.ShutdownTimeout).

// MaxBadBatchLines is the run of consecutive bad lines after which a
// batch stops: the answer's last line is a batch-stopped problem numbered
// after the last line answered, and the rest of the body is not read.
const MaxBadBatchLines = 100

// batchStoppedError ends a batch after MaxBadBatchLines bad lines in a row.
type batchStoppedError struct{ first, last int }

func (e *batchStoppedError) Error() string {
	return fmt.Sprintf("api: batch stopped: lines %d to %d (%d in a row) were all refused; fix the file and send the rest again",
		e.first, e.last, MaxBadBatchLines)
}

// batchQuery are the options of a batch, from the query string.
type batchQuery struct {
	Limit      int
	Robustness bool
	Seed       uint64
	Draws      int
}

func parseBatchQuery(q url.Values) (batchQuery, error) {
	var (
		out batchQuery
		ve  matching.ValidationError
	)
	for k := range q {
		switch k {
		case "limit", "robustness", "seed", "draws":
		default:
			ve.Add(k, "unknown query parameter (known: limit, robustness, seed, draws)")
		}
	}
	intParam := func(name string, lo, hi int64) int64 {
		v := q.Get(name)
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < lo || n > hi {
			ve.Add(name, "must be a whole number between %d and %d", lo, hi)
			return 0
		}
		return n
	}
	out.Limit = int(intParam("limit", 1, matching.MaxLimit))
	out.Seed = uint64(intParam("seed", 0, 1<<53))
	out.Draws = int(intParam("draws", 1, matching.MaxDraws))
	if v := q.Get("robustness"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			ve.Add("robustness", "must be true or false")
		}
		out.Robustness = b
	}
	if err := ve.Err(); err != nil {
		return out, &paramError{err.(*matching.ValidationError)}
	}
	return out, nil
}

// batchJob is one input line on its way to the answer.
type batchJob struct {
	line  int
	body  []byte
	err   error // set by the reader: the line cannot be scored
	skip  bool  // a blank line: no answer
	out   []byte
	ok    bool // out is a 200 answer, in a buffer of Server.bufs
	final bool // the last line of the stream (a body error)
	done  chan struct{}
}

// batchProblem is an answer line for a line that has a problem.
type batchProblem struct {
	Line int `json:"line"`
	Problem
}

func (s *Server) batch(c echo.Context) error {
	req := c.Request()
	if err := checkMediaType(req, mimeNDJSON, "application/jsonl"); err != nil {
		return err
	}
	if req.ContentLength > s.cfg.MaxBatchBody {
		return &TooLargeError{Limit: s.cfg.MaxBatchBody}
	}
	opts, err := parseBatchQuery(c.QueryParams())
	if err != nil {
		return err
	}
	reqID, client := requestID(c), c.RealIP()
	eng := s.engine() // every line ranks the same data
	res := c.Response()
	rc := http.NewResponseController(res)
	// Answers go out while the body still comes in.
	_ = rc.EnableFullDuplex()

	ctx, cancel := context.WithCancel(req.Context())
	defer cancel()
	body := http.MaxBytesReader(res, req.Body, s.cfg.MaxBatchBody)
	workers := runtime.GOMAXPROCS(0)
	order := make(chan *batchJob, 4*workers) // bounds the lines in flight
	jobs := make(chan *batchJob)
	var wg sync.WaitGroup

	readerDone := make(chan struct{})
	wg.Add(1)
	go func() { // reader
		defer wg.Done()
		defer close(readerDone)
		defer close(order)
		defer close(jobs)
		s.readBatch(ctx, reqID, rc, body, order, jobs)
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.out, j.ok = s.batchLine(ctx, eng, client, reqID, j, opts)
				close(j.done)
			}
		}()
	}
	defer wg.Wait()
	defer func() {
		// On an early return, unblock a reader still waiting on the
		// network; then (wg.Wait) let every goroutine end before the
		// request and its Echo context are recycled.
		cancel()
		select {
		case <-readerDone:
		default:
			_ = rc.SetReadDeadline(time.Now())
		}
	}()

	answered, badRun := 0, 0
	for j := range order {
		select {
		case <-j.done:
		case <-ctx.Done():
			return ctxError(ctx)
		}
		if j.skip {
			continue
		}
		if answered == 0 {
			res.Header().Set(echo.HeaderContentType, mimeNDJSON)
			res.Header().Set("X-Content-Type-Options", "nosniff")
			res.WriteHeader(http.StatusOK)
		}
		answered++
		_ = rc.SetWriteDeadline(time.Now().Add(s.cfg.BatchIdleTimeout))
		if _, err := res.Write(j.out); err != nil {
			return fmt.Errorf("api: batch: writing line %d: %w", j.line, err)
		}
		if j.ok {
			s.bufs.put(j.out) // a match answer's buffer (runMatch)
		}
		if err := rc.Flush(); err != nil {
			return fmt.Errorf("api: batch: flushing line %d: %w", j.line, err)
		}
		if j.final {
			return nil
		}
		if badRun = badRun + 1; j.ok {
			badRun = 0
		}
		if badRun == MaxBadBatchLines {
			// A run of bad lines is a client sending the wrong file: stop
			// reading it rather than answer each line at many times its size.
			out := s.problemLine(reqID, j.line+1, &batchStoppedError{first: j.line - MaxBadBatchLines + 1, last: j.line})
			_, _ = res.Write(out)
			_ = rc.Flush()
			return nil
		}
	}
	if answered == 0 {
		return fmt.Errorf("%w: the batch holds no project (send one JSON project per line)", ErrMalformed)
	}
	return nil
}

// readBatch reads the body line by line, queueing every line in order and
// sending those to score to the workers.
func (s *Server) readBatch(ctx context.Context, reqID string, rc *http.ResponseController, body io.Reader, order, jobs chan<- *batchJob) {
	br := bufio.NewReaderSize(body, 64<<10)
	push := func(j *batchJob) bool {
		select {
		case order <- j:
		case <-ctx.Done():
			return false
		}
		if j.err != nil || j.skip {
			close(j.done)
			return true
		}
		select {
		case jobs <- j:
			return true
		case <-ctx.Done():
			close(j.done)
			return false
		}
	}
	for n := 1; ; n++ {
		_ = rc.SetReadDeadline(time.Now().Add(s.cfg.BatchIdleTimeout))
		line, tooLong, err := readLine(br, s.cfg.MaxBody)
		eof := errors.Is(err, io.EOF)
		if err != nil && !eof {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				err = &TooLargeError{Limit: mbe.Limit}
			} else {
				err = &readError{err}
			}
			push(&batchJob{line: n, err: err, out: s.problemLine(reqID, n, err), final: true, done: make(chan struct{})})
			return
		}
		j := &batchJob{line: n, body: line, done: make(chan struct{})}
		switch {
		case tooLong:
			j.err = &TooLargeError{Limit: s.cfg.MaxBody}
		case len(bytes.TrimSpace(line)) == 0:
			j.skip = true
		}
		if j.err != nil {
			j.out = s.problemLine(reqID, n, j.err)
		}
		if eof && j.skip && len(line) == 0 {
			return // the newline at the end of the last line
		}
		if !push(j) || eof {
			return
		}
	}
}

// readLine reads one line (without its end of line) of at most max bytes;
// a longer line is read to its end and reported too long.
func readLine(br *bufio.Reader, max int64) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if int64(len(line)+len(chunk)) > max+2 {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
		if err == nil && len(chunk) > 0 {
			return line, tooLong, nil
		}
		return line, tooLong, err
	}
}

// batchLine scores one line and returns its answer line.
func (s *Server) batchLine(ctx context.Context, eng *matching.Engine, client, reqID string, j *batchJob, opts batchQuery) ([]byte, bool) {
	p, err := DecodeProject(j.body, "project")
	if err != nil {
		return s.problemLine(reqID, j.line, s.withValues(eng, err, p)), false
	}
	lctx, cancel := context.WithTimeout(ctx, s.cfg.RequestTimeout)
	defer cancel()
	out, err := s.runMatch(lctx, eng, client, reqID, "batch", MatchRequest{Project: p, Limit: opts.Limit, Robustness: opts.Robustness,
		Seed: opts.Seed, Draws: opts.Draws}, `"line":`+strconv.Itoa(j.line)+`,"status":200,`)
	if err != nil {
		return s.problemLine(reqID, j.line, err), false
	}
	s.metrics.batchLines.WithLabelValues("200").Inc()
	return out, true
}

func (s *Server) problemLine(reqID string, line int, err error) []byte {
	p := problemFor(err).finish(reqID)
	s.metrics.batchLines.WithLabelValues(strconv.Itoa(p.Status)).Inc()
	if p.Status >= 500 && !errors.Is(err, ErrTimeout) && !errors.Is(err, errClientGone) {
		s.log.Error("batch line failed", "request_id", reqID, "line", line, "error", err.Error())
	}
	out, merr := marshal(batchProblem{Line: line, Problem: p})
	if merr != nil {
		return []byte(`{"line":` + strconv.Itoa(line) + `,"type":"/problems/internal","title":"Internal server error","status":500,"errors":[]}` + "\n")
	}
	return out
}
