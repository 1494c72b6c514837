package hfi

// #include <stdlib.h>
// #include "hfi_go.h"
import "C"

import (
	"runtime"
	"runtime/cgo"
	"sync"
)

// Client is a connection pool, a token and settings shared by any number of goroutines. Create
// it with New and release it with Close; a Client that becomes unreachable unclosed is closed by
// a finalizer, but only as a safety net.
//
// hfi drives the network on its own I/O thread, and each call's events are delivered on the
// calling goroutine: no runtime.LockOSThread is needed anywhere.
type Client struct {
	mu     sync.RWMutex // calls hold it shared while they start; Close holds it exclusively
	c      *C.hfi_client
	closed bool
	log    cgo.Handle // the WithLogger function, 0 without one
}

// New creates a client. Options are applied in order; a value hfi refuses (a malformed URL, a
// negative timeout) fails here with a *Error saying why.
func New(opts ...Option) (*Client, error) {
	var s settings
	for _, opt := range opts {
		if opt == nil {
			return nil, invalid("hfi.New: option %d is nil", len(s.list))
		}
		opt(&s)
	}
	s.num(C.HFI_OPT_IO_MODE, C.HFI_IO_THREAD)

	var o *C.hfi_client_options
	if err := checked(func() C.hfi_status { return C.hfi_client_options_new(&o) }); err != nil {
		return nil, err
	}
	defer C.hfi_client_options_free(o)
	if err := s.apply(o); err != nil {
		return nil, err
	}
	client := &Client{}
	if s.logger != nil {
		client.log = cgo.NewHandle(&logger{s.logger})
		if err := checked(func() C.hfi_status {
			return C.hfi_go_set_log(o, C.uintptr_t(client.log), C.int32_t(s.logLevel))
		}); err != nil {
			client.log.Delete()
			return nil, err
		}
	}
	if err := checked(func() C.hfi_status { return C.hfi_client_new(&client.c, o) }); err != nil {
		if client.log != 0 {
			client.log.Delete()
		}
		return nil, err
	}
	runtime.SetFinalizer(client, (*Client).Close)
	return client, nil
}

// Close cancels the client's running calls (they return StatusCancelled), closes its
// connections and wipes its token. It is safe to call more than once and from any goroutine;
// calls made after it return ErrClosed.
func (c *Client) Close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	runtime.SetFinalizer(c, nil)
	C.hfi_client_free(c.c) // stops the I/O thread: no log line comes after it
	c.c = nil
	if c.log != 0 {
		c.log.Delete()
	}
	return nil
}

// acquire gives the live C client for starting a call, with the read lock held; release with
// c.mu.RUnlock(). It fails with ErrClosed on a nil or closed client.
func (c *Client) acquire() (*C.hfi_client, error) {
	if c == nil {
		return nil, invalid("the client is nil")
	}
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return nil, ErrClosed
	}
	return c.c, nil
}
