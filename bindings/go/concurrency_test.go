package hfi_test

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"hfi"
)

// 100 goroutines share one client, each mixing blocking chats, streams and a task; every answer
// must be its own (the prompts differ), and Close at the end must not race with anything.
func TestHundredGoroutinesShareOneClient(t *testing.T) {
	t.Parallel()
	c := client(t)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for g := 0; g < 100; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 3; i++ {
				prompt := fmt.Sprintf("goroutine %d call %d %s", g, i, words(g%7))
				want := "Hello! You said: " + prompt
				switch (g + i) % 3 {
				case 0:
					resp, err := c.Chat(background(), ask(prompt))
					if err != nil || resp.Content != want {
						errs <- fmt.Errorf("chat %d/%d: %v %v", g, i, resp, err)
						return
					}
				case 1:
					s, err := c.Stream(background(), ask(prompt))
					if err != nil {
						errs <- err
						return
					}
					var text strings.Builder
					for s.Next() {
						text.WriteString(s.Delta())
					}
					s.Close()
					if s.Err() != hfi.ErrStreamClosed || text.String() != want {
						errs <- fmt.Errorf("stream %d/%d: %q %v", g, i, text.String(), s.Err())
						return
					}
				default:
					sum, err := c.Summarization(background(), "emu/summarization", prompt+". More.", nil)
					if err != nil || sum.SummaryText == "" {
						errs <- fmt.Errorf("task %d/%d: %v %v", g, i, sum, err)
						return
					}
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Close while calls run on other goroutines: each returns (an answer or a cancellation), none
// hangs or crashes, and calls after Close are refused.
func TestCloseWhileCallsRun(t *testing.T) {
	t.Parallel()
	base, path := route(t)
	c, err := hfi.New(hfi.WithBaseURL(base), hfi.WithTokenFromEnv(false))
	if err != nil {
		t.Fatal(err)
	}
	script(t, path, map[string]any{"default_sse": true, "chunk_delay_ms": 20, "repeat": 20})
	var wg sync.WaitGroup
	for g := 0; g < 20; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := c.Stream(background(), ask(words(100)))
			if err != nil {
				return // the client closed first
			}
			for s.Next() {
			}
			if e := s.Err(); e != nil && !isCancelOrClosed(e) {
				t.Errorf("stream ended with %v", e)
			}
			s.Close()
		}()
	}
	sleep(100)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if _, err := c.Chat(background(), ask("late")); err != hfi.ErrClosed {
		t.Fatalf("after Close: %v", err)
	}
	runtime.GC()
}

func isCancelOrClosed(err error) bool {
	e, ok := err.(*hfi.Error)
	return ok && (e.Code == hfi.StatusCancelled || e.Code == hfi.StatusBadState)
}
