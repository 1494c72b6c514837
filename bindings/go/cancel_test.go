package hfi_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"hfi"
)

// Cancellation through the context at each stage of a call: before it starts, while it waits
// for the first byte, in the middle of a stream, on a deadline, and between the polls of a job.

func TestContextCancelledBeforeTheCallSendsNothing(t *testing.T) {
	t.Parallel()
	base, path := route(t)
	c := client(t, hfi.WithBaseURL(base))
	ctx, cancel := context.WithCancel(background())
	cancel()
	_, err := c.Chat(ctx, ask("never sent"))
	if !errors.Is(err, context.Canceled) || asError(t, err).Code != hfi.StatusCancelled {
		t.Fatalf("%v", err)
	}
	s, err := c.Stream(ctx, ask("never sent"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Next() || !errors.Is(s.Err(), context.Canceled) {
		t.Fatalf("stream: %v", s.Err())
	}
	if n := emu.requestsTo(t, path); n != 0 {
		t.Fatalf("%d requests reached the server", n)
	}
}

func TestContextCancelledWhileWaitingForTheFirstByte(t *testing.T) {
	t.Parallel()
	base, path := route(t)
	c := client(t, hfi.WithBaseURL(base))
	script(t, path, map[string]any{"delay_ms": 10000})
	ctx, cancel := context.WithCancel(background())
	defer cancel()
	time.AfterFunc(150*time.Millisecond, cancel)
	started := time.Now()
	_, err := c.Chat(ctx, ask("slow"))
	if !errors.Is(err, context.Canceled) || asError(t, err).Code != hfi.StatusCancelled {
		t.Fatalf("%v", err)
	}
	if elapsed := time.Since(started); elapsed > 5*time.Second {
		t.Fatalf("the cancel took %v", elapsed)
	}
}

func TestContextDeadlineEndsTheCall(t *testing.T) {
	t.Parallel()
	base, path := route(t)
	c := client(t, hfi.WithBaseURL(base))
	script(t, path, map[string]any{"delay_ms": 10000})
	ctx, cancel := context.WithTimeout(background(), 200*time.Millisecond)
	defer cancel()
	_, err := c.Chat(ctx, ask("slow"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%v", err)
	}
}

func TestContextCancelledMidStreamKeepsThePartialText(t *testing.T) {
	t.Parallel()
	base, path := route(t)
	c := client(t, hfi.WithBaseURL(base))
	script(t, path, map[string]any{"default_sse": true, "chunk_delay_ms": 30})
	ctx, cancel := context.WithCancel(background())
	defer cancel()
	prompt := words(200)
	s, err := c.Stream(ctx, ask(prompt))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var text strings.Builder
	for s.Next() {
		text.WriteString(s.Delta())
		if text.Len() > 0 {
			cancel()
		}
	}
	if !errors.Is(s.Err(), context.Canceled) {
		t.Fatalf("err %v", s.Err())
	}
	full := "Hello! You said: " + prompt
	if text.Len() == 0 || text.Len() >= len(full) || !strings.HasPrefix(full, text.String()) {
		t.Fatalf("read %q", text.String())
	}
	if r := s.Response(); r == nil || !strings.HasPrefix(full, r.Content) || r.Content == "" {
		t.Fatalf("partial response %+v", r)
	}
}

func TestStreamClosedMidStreamEndsTheRequest(t *testing.T) {
	t.Parallel()
	base, path := route(t)
	c := client(t, hfi.WithBaseURL(base))
	script(t, path, map[string]any{"default_sse": true, "chunk_delay_ms": 50})
	s, err := c.Stream(background(), ask(words(400)))
	if err != nil {
		t.Fatal(err)
	}
	if !s.Next() {
		t.Fatal(s.Err())
	}
	started := time.Now()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(started); elapsed > 5*time.Second {
		t.Fatalf("Close took %v", elapsed)
	}
	if s.Next() || !errors.Is(s.Err(), hfi.ErrStreamClosed) {
		t.Fatalf("after Close: %v", s.Err())
	}
	if err := s.Close(); err != nil {
		t.Fatal("a second Close:", err)
	}
}

func TestContextCancelledBetweenThePollsOfAJob(t *testing.T) {
	e, err := startEmulator()
	if err != nil {
		t.Fatal(err)
	}
	defer e.stop()
	e.post(t, "/_emulator/jobs", `{"never_finish":true}`)
	c, err := hfi.New(hfi.WithRouterURL(e.url), hfi.WithHubURL(e.url), hfi.WithToken("hf_test"), hfi.WithTokenFromEnv(false))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithCancel(background())
	defer cancel()
	polls := 0
	_, err = c.TextToVideo(ctx, "emu/text-to-video", "a fox", nil, hfi.WithProviders("fal-ai"),
		hfi.WithPollInterval(20*time.Millisecond),
		hfi.WithProgress(func(p hfi.Progress) {
			if polls++; polls == 2 {
				cancel()
			}
		}))
	if !errors.Is(err, context.Canceled) || polls < 2 {
		t.Fatalf("after %d polls: %v", polls, err)
	}
}
