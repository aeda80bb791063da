package api

import "sync"

// maxPooledBuffer is the largest answer buffer kept for the next answer: a
// limit-20 match answer is about 180 KB; the rare answers of megabytes
// (limit 1000) go to the garbage collector rather than stay pinned.
const maxPooledBuffer = 1 << 20

// answerBuffers recycles the buffers match answers are encoded into, so
// that an answer costs no allocation of its size once the server is warm.
// The zero value is ready to use.
type answerBuffers struct{ p sync.Pool }

// get returns an empty buffer.
func (ab *answerBuffers) get() []byte {
	if b, ok := ab.p.Get().(*[]byte); ok {
		return (*b)[:0]
	}
	return make([]byte, 0, 64<<10)
}

// put gives back a buffer get returned once nothing reads it any more.
func (ab *answerBuffers) put(b []byte) {
	if cap(b) == 0 || cap(b) > maxPooledBuffer {
		return
	}
	ab.p.Put(&b)
}
