package hfi

// #include <stdlib.h>
// #include "hfi_go.h"
import "C"

import (
	"context"
	"fmt"
	"runtime/cgo"
	"time"
	"unsafe"
)

// CallOption adjusts one call (chat, stream or task).
type CallOption func(*callSettings)

type callSettings struct {
	timeout, stall, firstByte, pollInterval time.Duration
	maxRetries                              *int
	providers, headers                      []string
	input                                   []byte
	inputType                               string
	hasInput                                bool
	onProgress                              func(Progress)
}

// WithRequestTimeout bounds this call as a whole (polls of a job included).
func WithRequestTimeout(d time.Duration) CallOption { return func(s *callSettings) { s.timeout = d } }

// WithRequestStallTimeout overrides the client's stall timeout for this call.
func WithRequestStallTimeout(d time.Duration) CallOption {
	return func(s *callSettings) { s.stall = d }
}

// WithRequestFirstByteTimeout overrides the client's first-byte timeout for this call.
func WithRequestFirstByteTimeout(d time.Duration) CallOption {
	return func(s *callSettings) { s.firstByte = d }
}

// WithRequestMaxRetries overrides the client's retry count for this call.
func WithRequestMaxRetries(n int) CallOption { return func(s *callSettings) { s.maxRetries = &n } }

// WithRequestHeader adds a header to this call only.
func WithRequestHeader(name, value string) CallOption {
	return func(s *callSettings) { s.headers = append(s.headers, name+": "+value) }
}

// WithProviders chooses who serves a task, tried in this order against the model's mapping
// ("auto" by default).
func WithProviders(providers ...string) CallOption {
	return func(s *callSettings) { s.providers = append(s.providers, providers...) }
}

// WithPollInterval sets the interval between two polls of an asynchronous job.
func WithPollInterval(d time.Duration) CallOption {
	return func(s *callSettings) { s.pollInterval = d }
}

// WithInput gives a task its binary input (an image, an audio clip); mediaType may be empty to
// have hfi tell it from the bytes. The bytes are copied when the call starts.
func WithInput(data []byte, mediaType string) CallOption {
	return func(s *callSettings) { s.input, s.inputType, s.hasInput = data, mediaType, true }
}

// WithProgress receives the PROGRESS events of a task's job, on the calling goroutine. A panic in
// it cancels the call and is raised again from the call.
func WithProgress(f func(Progress)) CallOption { return func(s *callSettings) { s.onProgress = f } }

// Progress is the state of a running job.
type Progress struct {
	Status   string  // the provider's status word ("IN_QUEUE", "processing", ...)
	Fraction float64 // 0 to 1, or -1 when the provider does not say
	JSON     []byte  // the provider's status answer
}

// request is what a call needs from the request options builder, and the events' receiver.
type request struct {
	ctx      context.Context
	settings callSettings
	onEvent  func(*C.hfi_go_event) bool // false aborts the request; nil: no callback
	panicked any                        // a panic of user code in onEvent, raised again later
	stop     <-chan struct{}            // closing it cancels the request (a Stream's Close)
	stream   *C.hfi_go_stream           // a Stream's C queue, the receiver of its events
}

// goHfiEvent receives each event of a request with a callback, on the goroutine waiting for it.
//
//export goHfiEvent
func goHfiEvent(e *C.hfi_go_event, handle C.uintptr_t) (abort C.int32_t) {
	r := cgo.Handle(handle).Value().(*request)
	if r.panicked != nil {
		return 1
	}
	defer func() {
		if p := recover(); p != nil {
			r.panicked = p
			abort = 1
		}
	}()
	if !r.onEvent(e) {
		return 1
	}
	return 0
}

// goHfiRelease runs once when hfi is done with a request's user data.
//
//export goHfiRelease
func goHfiRelease(handle C.uintptr_t) { cgo.Handle(handle).Delete() }

func (r *request) options() (*C.hfi_request_options, error) {
	s := &r.settings
	var o *C.hfi_request_options
	if err := checked(func() C.hfi_status { return C.hfi_request_options_new(&o) }); err != nil {
		return nil, err
	}
	fail := func(err error) (*C.hfi_request_options, error) {
		C.hfi_request_options_free(o)
		return nil, err
	}
	ints := []struct {
		key C.int
		d   time.Duration
		on  bool
	}{
		{C.HFI_REQ_TIMEOUT_MS, s.timeout, s.timeout != 0},
		{C.HFI_REQ_STALL_TIMEOUT_MS, s.stall, s.stall != 0},
		{C.HFI_REQ_FIRST_BYTE_TIMEOUT_MS, s.firstByte, s.firstByte != 0},
		{C.HFI_REQ_POLL_INTERVAL_MS, s.pollInterval, s.pollInterval != 0},
	}
	for _, v := range ints {
		if !v.on {
			continue
		}
		if v.d < 0 {
			return fail(invalid("a request duration may not be negative (%v)", v.d))
		}
		ms := v.d.Milliseconds()
		if ms == 0 {
			ms = 1 // a positive duration under 1 ms is not "no limit"
		}
		if err := checked(func() C.hfi_status { return C.hfi_request_options_set_int(o, C.int32_t(v.key), C.int64_t(ms)) }); err != nil {
			return fail(err)
		}
	}
	if s.maxRetries != nil {
		if err := checked(func() C.hfi_status {
			return C.hfi_request_options_set_int(o, C.HFI_REQ_MAX_RETRIES, C.int64_t(*s.maxRetries))
		}); err != nil {
			return fail(err)
		}
	}
	strs := s.headers
	keys := make([]C.int, len(strs))
	for i := range keys {
		keys[i] = C.HFI_REQ_HEADER
	}
	if len(s.providers) > 0 {
		joined := ""
		for i, p := range s.providers {
			if i > 0 {
				joined += ","
			}
			joined += p
		}
		strs = append(strs, joined)
		keys = append(keys, C.HFI_REQ_PROVIDER)
	}
	for i, v := range strs {
		key, v := keys[i], v
		if err := checked(func() C.hfi_status {
			return C.hfi_request_options_set_str(o, C.int32_t(key), cText(v), C.size_t(len(v)))
		}); err != nil {
			return fail(err)
		}
	}
	if s.hasInput {
		if len(s.input) == 0 {
			return fail(invalid("the binary input is empty"))
		}
		mediaType := cString(s.inputType)
		err := checked(func() C.hfi_status {
			return C.hfi_request_options_set_input(o, unsafe.Pointer(cBytes(s.input)), C.size_t(len(s.input)), mediaType)
		})
		freeString(mediaType)
		if err != nil {
			return fail(err)
		}
	}
	if r.stream != nil {
		if code := C.hfi_go_stream_attach(o, r.stream); code != C.HFI_OK {
			return fail(Status(code).errorf("cannot attach the stream"))
		}
	}
	if r.onEvent != nil {
		handle := cgo.NewHandle(r)
		if code := C.hfi_go_set_callback(o, C.uintptr_t(handle)); code != C.HFI_OK {
			handle.Delete()
			return fail(&Error{Code: Status(code), Message: "cannot set the event callback", RetryAfter: -1, RateLimit: noRateLimit})
		}
	}
	return o, nil
}

// run starts a request with `start`, waits for its end on this goroutine (its events are
// delivered here), cancels it when the context ends or r.stop closes, and returns its response,
// which the caller frees. err is set when the request failed; resp may then still hold what
// arrived (a stream's partial text).
func (c *Client) run(r *request, start func(*C.hfi_client, *C.hfi_request_options, **C.hfi_request) C.hfi_status) (resp *C.hfi_response, err error) {
	if r.ctx == nil {
		return nil, invalid("the context is nil")
	}
	if err := r.ctx.Err(); err != nil {
		return nil, &Error{Code: StatusCancelled, Message: "the context ended before the call started", RetryAfter: -1, RateLimit: noRateLimit, cause: err}
	}
	o, err := r.options()
	if err != nil {
		return nil, err
	}
	client, err := c.acquire()
	if err != nil {
		C.hfi_request_options_free(o)
		return nil, err
	}
	var req *C.hfi_request
	err = checked(func() C.hfi_status { return start(client, o, &req) })
	c.mu.RUnlock()
	C.hfi_request_options_free(o) // the request has what it needs, the callback's handle included
	if err != nil {
		return nil, err
	}

	finished := make(chan struct{})
	watching := make(chan struct{})
	go func() {
		defer close(watching)
		select {
		case <-r.ctx.Done():
			C.hfi_request_cancel(req)
		case <-r.stop:
			C.hfi_request_cancel(req)
		case <-finished:
		}
	}()
	code := C.hfi_request_wait(req, -1, &resp)
	close(finished)
	<-watching // hfi_request_cancel may not follow hfi_request_free
	C.hfi_request_free(req)
	if r.panicked != nil {
		C.hfi_response_free(resp)
		panic(r.panicked)
	}
	if code != C.HFI_OK {
		if resp == nil {
			return nil, &Error{Code: Status(code), RetryAfter: -1, RateLimit: noRateLimit}
		}
		e := errorOf(code, C.hfi_response_error(resp))
		e.Provider = responseText(resp, providerOf)
		return resp, withContext(e, r.ctx)
	}
	return resp, nil
}

func cString(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

func freeString(p *C.char) {
	if p != nil {
		C.free(unsafe.Pointer(p))
	}
}

// textGetter reads one (ptr, len) string of a response.
type textGetter func(*C.hfi_response, **C.char, *C.size_t) C.hfi_status

func responseText(r *C.hfi_response, get textGetter) string {
	var p *C.char
	var n C.size_t
	if r == nil || get(r, &p, &n) != C.HFI_OK {
		return ""
	}
	return goText(p, n)
}

func providerOf(r *C.hfi_response, p **C.char, n *C.size_t) C.hfi_status {
	return C.hfi_response_provider(r, p, n)
}

func (s Status) errorf(format string, args ...any) *Error {
	return &Error{Code: s, Message: fmt.Sprintf(format, args...), RetryAfter: -1, RateLimit: noRateLimit}
}
