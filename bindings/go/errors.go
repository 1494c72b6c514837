package hfi

// #include "hfi_go.h"
import "C"

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"
)

// Error is every failure hfi reports: an argument it refused, or a request that failed. Use
// errors.As to read it; errors.Is(err, context.Canceled) and context.DeadlineExceeded hold when
// the request ended because its context did.
type Error struct {
	Code       Status        // hfi's status code (StatusRateLimited, StatusAuth, ...)
	HTTPStatus int           // the HTTP status, 0 when the failure was not an HTTP answer
	Message    string        // the provider's message, or hfi's explanation
	Type       string        // the provider's error type or code, when it gave one
	RetryAfter time.Duration // the server's Retry-After, -1 when it gave none
	Body       string        // the raw error body (with secrets scrubbed)
	Provider   string        // the provider that failed (tasks), when known
	RateLimit  RateLimit     // the rate limit the server reported, -1 fields when it did not
	cause      error
}

// RateLimit is what the server said of its request rate limit; each field is -1 when unknown.
type RateLimit struct {
	Limit     int64
	Remaining int64
	Reset     time.Duration
}

func (e *Error) Error() string {
	if e.Message == "" {
		return "hfi: " + e.Code.String()
	}
	return fmt.Sprintf("hfi: %s: %s", e.Code, e.Message)
}

// Unwrap gives the context's error when the request ended because its context did.
func (e *Error) Unwrap() error { return e.cause }

// Is matches another *Error by code, so errors.Is(err, &hfi.Error{Code: hfi.StatusRateLimited})
// works, as do the sentinel errors below.
func (e *Error) Is(target error) bool {
	var t *Error
	return errors.As(target, &t) && t.Code == e.Code && t.HTTPStatus == 0 && t.Message == ""
}

// Sentinels for errors.Is.
var (
	ErrClosed      = &Error{Code: StatusBadState, Message: "the client is closed"}
	ErrInvalidArg  = &Error{Code: StatusInvalidArg}
	ErrCancelled   = &Error{Code: StatusCancelled}
	ErrRateLimited = &Error{Code: StatusRateLimited}
	ErrAuth        = &Error{Code: StatusAuth}
	ErrNotFound    = &Error{Code: StatusNotFound}
	ErrTimeout     = &Error{Code: StatusTimeout}
)

func goText(p *C.char, n C.size_t) string {
	if p == nil || n == 0 {
		return ""
	}
	return C.GoStringN(p, C.int(n))
}

// checked runs one hfi call that may refuse its arguments and turns a refusal into an *Error
// carrying hfi's explanation. The explanation is thread-local in hfi, so the goroutine stays on
// its OS thread from the call to the read.
func checked(call func() C.hfi_status) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if code := call(); code < 0 {
		var p *C.char
		var n C.size_t
		C.hfi_last_error_message(&p, &n)
		return &Error{Code: Status(code), Message: goText(p, n), RetryAfter: -1, RateLimit: noRateLimit}
	}
	return nil
}

var noRateLimit = RateLimit{Limit: -1, Remaining: -1, Reset: -1}

// errorOf reads an hfi_error (of a response or an ERROR event) into an *Error.
func errorOf(code C.hfi_status, e *C.hfi_error) *Error {
	out := &Error{Code: Status(code), RetryAfter: -1, RateLimit: noRateLimit}
	if e == nil {
		return out
	}
	out.Code = Status(C.hfi_error_code(e))
	out.HTTPStatus = int(C.hfi_error_http_status(e))
	var p *C.char
	var n C.size_t
	if C.hfi_error_message(e, &p, &n) == C.HFI_OK {
		out.Message = goText(p, n)
	}
	if C.hfi_error_type(e, &p, &n) == C.HFI_OK {
		out.Type = goText(p, n)
	}
	if C.hfi_error_body(e, &p, &n) == C.HFI_OK {
		out.Body = goText(p, n)
	}
	if ms := int64(C.hfi_error_retry_after_ms(e)); ms >= 0 {
		out.RetryAfter = time.Duration(ms) * time.Millisecond
	}
	var limit, remaining, reset C.int64_t
	if C.hfi_error_rate_limit(e, &limit, &remaining, &reset) == C.HFI_OK {
		out.RateLimit = RateLimit{Limit: int64(limit), Remaining: int64(remaining), Reset: -1}
		if reset >= 0 {
			out.RateLimit.Reset = time.Duration(reset) * time.Millisecond
		}
	}
	return out
}

// withContext marks a cancelled request as ended by its context, if that is why.
func withContext(err *Error, ctx context.Context) *Error {
	if err != nil && err.Code == StatusCancelled && ctx.Err() != nil {
		err.cause = ctx.Err()
	}
	return err
}

func invalid(format string, args ...any) *Error {
	return &Error{Code: StatusInvalidArg, Message: fmt.Sprintf(format, args...), RetryAfter: -1, RateLimit: noRateLimit}
}
