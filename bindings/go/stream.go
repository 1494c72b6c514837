package hfi

// #include "hfi_go.h"
import "C"

import (
	"context"
	"encoding/json"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// EventType says what a stream event carries.
type EventType int32

// Event types of a chat stream (hfi's HFI_EVENT_*).
const (
	EventDelta     EventType = C.HFI_EVENT_DELTA     // a piece of the answer: Text
	EventReasoning EventType = C.HFI_EVENT_REASONING // a piece of the model's reasoning: Text
	EventToolCall  EventType = C.HFI_EVENT_TOOL_CALL // a piece of a tool call: ToolIndex, ToolCall
	EventUsage     EventType = C.HFI_EVENT_USAGE     // token counts: Usage
	EventFinish    EventType = C.HFI_EVENT_FINISH    // a choice finished: Text is the reason
)

// Event is one event of a stream.
type Event struct {
	Type        EventType
	Text        string
	ChoiceIndex int
	ToolIndex   int
	ToolCall    ToolCall // the piece of the call this event carries (arguments arrive in pieces)
	Usage       Usage
}

// Stream is a streamed chat. Read it with Next until it returns false, then check Err:
//
//	s, err := client.Stream(ctx, req)
//	if err != nil { ... }
//	defer s.Close()
//	for s.Next() {
//		fmt.Print(s.Delta())
//	}
//	if err := s.Err(); err != nil { ... }
//
// Cancelling ctx or calling Close ends the request. A Stream is read by one goroutine; Close may
// be called from any. Events arrive in batches: the reader makes one cgo call per batch of
// whatever arrived meanwhile, not one per event.
type Stream struct {
	*streamState
}

// streamState is what the request's goroutine shares with the reader; the Stream wrapper is what
// the reader holds, so that an abandoned Stream is finalized (and its request cancelled).
type streamState struct {
	queue     *C.hfi_go_stream // nil once freed
	reading   sync.Mutex       // held by Next while it uses the queue; Close frees it under it
	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
	closed    atomic.Bool
	batch     []Event
	next      int
	cur       Event
	result    *ChatResponse // set before done is closed
	err       error         // set before done is closed
}

// maxQueued bounds the events waiting for a slow reader; beyond it the request waits.
const maxQueued = 4096

// Stream starts a streamed chat. Errors of the request itself (HTTP, network, cancellation)
// come from Err after Next returns false; Stream fails only for bad arguments or a closed client.
func (c *Client) Stream(ctx context.Context, req *ChatRequest, opts ...CallOption) (*Stream, error) {
	body, err := chatBody(req)
	if err != nil {
		return nil, err
	}
	return c.StreamJSON(ctx, body, opts...)
}

// StreamJSON is Stream with the request body as JSON, passed through as it is.
func (c *Client) StreamJSON(ctx context.Context, body []byte, opts ...CallOption) (*Stream, error) {
	r, err := newRequest(ctx, opts)
	if err != nil {
		return nil, err
	}
	if ctx == nil {
		return nil, invalid("the context is nil")
	}
	if len(body) == 0 {
		return nil, invalid("the chat request body is empty")
	}
	if !json.Valid(body) {
		return nil, invalid("the chat request body is not JSON")
	}
	if _, err := c.acquire(); err != nil {
		return nil, err
	}
	c.mu.RUnlock()
	queue := C.hfi_go_stream_new(maxQueued)
	if queue == nil {
		return nil, StatusNoMem.errorf("cannot allocate the stream")
	}
	st := &streamState{queue: queue, stop: make(chan struct{}), done: make(chan struct{})}
	r.stop, r.stream = st.stop, queue
	go st.pump(c, r, body)
	s := &Stream{st}
	runtime.SetFinalizer(s, func(s *Stream) { s.Close() })
	return s, nil
}

// pump runs the request on its own goroutine: hfi dispatches the events there, into the queue.
func (st *streamState) pump(c *Client, r *request, body []byte) {
	defer close(st.done)
	resp, err := c.run(r, func(client *C.hfi_client, o *C.hfi_request_options, out **C.hfi_request) C.hfi_status {
		return C.hfi_request_start(client, C.HFI_TASK_CHAT_STREAM, cBytes(body), C.size_t(len(body)), o, out)
	})
	if resp != nil {
		st.result = chatResponse(resp)
		C.hfi_response_free(resp)
	}
	st.err = err
	C.hfi_go_stream_finish(st.queue)
}

// Next waits for the next event and reports whether there is one. It returns false at the end
// of the stream, when it failed, or after Close.
func (s *Stream) Next() bool {
	if s == nil || s.streamState == nil || s.closed.Load() {
		return false
	}
	if s.next < len(s.batch) {
		s.cur = s.batch[s.next]
		s.next++
		return true
	}
	if !s.take() {
		<-s.done
		return false
	}
	s.cur = s.batch[0]
	s.next = 1
	return true
}

// take fetches the next batch of events from the C queue, blocking while it is empty; false at
// the end or once the stream is closed.
func (s *Stream) take() bool {
	s.reading.Lock()
	defer s.reading.Unlock()
	if s.queue == nil {
		return false
	}
	var queued *C.hfi_go_queued
	var text *C.char
	n := int(C.hfi_go_stream_take(s.queue, &queued, &text))
	if n == 0 {
		return false
	}
	s.batch = s.batch[:0]
	for _, q := range unsafe.Slice(queued, n) {
		at := func(off, n C.size_t) string {
			if n == 0 {
				return ""
			}
			return C.GoStringN((*C.char)(unsafe.Add(unsafe.Pointer(text), off)), C.int(n))
		}
		ev := Event{Type: EventType(q._type), ChoiceIndex: int(q.choice_index)}
		switch ev.Type {
		case EventToolCall:
			ev.ToolIndex = int(q.tool_index)
			ev.ToolCall = ToolCall{ID: at(q.tool_id_off, q.tool_id_len), Type: "function", Function: ToolCallFunction{
				Name: at(q.tool_name_off, q.tool_name_len), Arguments: at(q.tool_args_off, q.tool_args_len)}}
		case EventUsage:
			ev.Usage = Usage{int64(q.prompt_tokens), int64(q.completion_tokens), int64(q.total_tokens)}
		default:
			ev.Text = at(q.text_off, q.text_len)
		}
		s.batch = append(s.batch, ev)
	}
	return true
}

// Event is the event Next moved to.
func (s *Stream) Event() Event { return s.cur }

// Delta is the text of the current event when it is a piece of the answer, else "".
func (s *Stream) Delta() string {
	if s.cur.Type != EventDelta {
		return ""
	}
	return s.cur.Text
}

// Err is the stream's error once Next returned false: nil when it completed, a *Error otherwise
// (errors.Is(err, context.Canceled) after its context was cancelled). After Close it is
// ErrStreamClosed unless the stream had already failed.
func (s *Stream) Err() error {
	if s == nil || s.streamState == nil {
		return invalid("the stream is nil")
	}
	if s.closed.Load() {
		<-s.done
		if s.err != nil && !isAbort(s.err) {
			return s.err
		}
		return ErrStreamClosed
	}
	select {
	case <-s.done:
		return s.err
	default:
		return nil // still running
	}
}

// Response is the whole answer once the stream ended (also after a failure, with what
// arrived), or nil while it runs.
func (s *Stream) Response() *ChatResponse {
	if s == nil || s.streamState == nil {
		return nil
	}
	select {
	case <-s.done:
		return s.result
	default:
		return nil
	}
}

// Close ends the stream: a running request is cancelled and its resources released before Close
// returns. It is idempotent and safe from any goroutine.
func (s *Stream) Close() error {
	if s == nil || s.streamState == nil {
		return nil
	}
	s.closeOnce.Do(func() {
		runtime.SetFinalizer(s, nil)
		s.closed.Store(true)
		C.hfi_go_stream_close(s.queue) // wakes a reader blocked in take, aborts the callback
		close(s.stop)                  // cancels a request still waiting for the network
		<-s.done
		s.reading.Lock()
		C.hfi_go_stream_free(s.queue)
		s.queue = nil
		s.reading.Unlock()
	})
	return nil
}

// ErrStreamClosed is the error of a stream read after Close.
var ErrStreamClosed = &Error{Code: StatusBadState, Message: "the stream is closed", RetryAfter: -1, RateLimit: noRateLimit}

func isAbort(err error) bool {
	e, ok := err.(*Error)
	return ok && (e.Code == StatusAbortedByCallback || e.Code == StatusCancelled)
}
