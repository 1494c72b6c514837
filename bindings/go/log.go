package hfi

// #include "hfi_go.h"
import "C"

import "runtime/cgo"

// LogLevel is the severity of a log line.
type LogLevel int32

// Log levels (hfi's HFI_LOG_*): errors are final failures; warnings retries, failovers and
// resting targets; info each attempt's URL, status and time; debug every header line (with
// credentials redacted).
const (
	LogError LogLevel = C.HFI_LOG_ERROR
	LogWarn  LogLevel = C.HFI_LOG_WARN
	LogInfo  LogLevel = C.HFI_LOG_INFO
	LogDebug LogLevel = C.HFI_LOG_DEBUG
)

// WithLogger sends the client's log lines up to max to f. Tokens and keys never appear in them.
// f runs on hfi's I/O thread, one line at a time; it must not call the client. A panic in f is
// recovered and the line dropped, since no caller's goroutine is there to receive it.
func WithLogger(f func(level LogLevel, line string), max LogLevel) Option {
	return func(s *settings) {
		if f == nil && s.err == nil {
			s.err = invalid("WithLogger: the function is nil")
		}
		s.logger, s.logLevel = f, max
	}
}

type logger struct{ f func(LogLevel, string) }

//export goHfiLog
func goHfiLog(level C.int32_t, message *C.char, n C.size_t, handle C.uintptr_t) {
	defer func() { _ = recover() }()
	cgo.Handle(handle).Value().(*logger).f(LogLevel(level), goText(message, n))
}
