package hfi_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"hfi"
)

// Misuse gets an error, never a crash or a hang.

func wantInvalid(t *testing.T, what string, err error, contains string) {
	t.Helper()
	var e *hfi.Error
	if !errors.As(err, &e) || e.Code != hfi.StatusInvalidArg || !strings.Contains(e.Message, contains) {
		t.Errorf("%s: %v (want invalid argument mentioning %q)", what, err, contains)
	}
}

func TestBadOptionsFailNewWithTheReason(t *testing.T) {
	t.Parallel()
	_, err := hfi.New(hfi.WithBaseURL("ftp://example.com"))
	wantInvalid(t, "ftp base URL", err, "")
	_, err = hfi.New(hfi.WithTimeout(-time.Second))
	wantInvalid(t, "negative timeout", err, "negative")
	_, err = hfi.New(hfi.WithHeader("Bad\r\nName", "x"))
	wantInvalid(t, "CR/LF header", err, "")
	_, err = hfi.New(nil)
	wantInvalid(t, "nil option", err, "nil")
	_, err = hfi.New(hfi.WithIntOption(2999, 1))
	if e := asError(t, err); e.Code != hfi.StatusUnknownOption {
		t.Errorf("unknown option: %v", err)
	}
	_, err = hfi.New(hfi.WithTarget("https://a.example/v1"), hfi.WithBaseURL("https://b.example/v1"))
	if err == nil {
		t.Error("targets with a base URL were accepted")
	}
}

func TestNilAndEmptyArguments(t *testing.T) {
	t.Parallel()
	c := client(t)
	var nilCtx context.Context
	_, err := c.Chat(nilCtx, ask("x"))
	wantInvalid(t, "nil context", err, "context")
	_, err = c.Chat(background(), nil)
	wantInvalid(t, "nil request", err, "nil")
	_, err = c.Chat(background(), &hfi.ChatRequest{Messages: []hfi.Message{{Role: "user", Content: "x"}}})
	wantInvalid(t, "no model", err, "model")
	_, err = c.Chat(background(), &hfi.ChatRequest{Model: "m"})
	wantInvalid(t, "no messages", err, "messages")
	_, err = c.ChatJSON(background(), []byte(`{"messages":[]}`))
	wantInvalid(t, "body without a model", err, "")
	_, err = c.ChatJSON(background(), nil)
	wantInvalid(t, "empty body", err, "")
	_, err = c.StreamJSON(background(), []byte("not json"))
	wantInvalid(t, "stream body not JSON", err, "JSON")
	_, err = c.Chat(background(), ask("x"), nil)
	wantInvalid(t, "nil call option", err, "nil")
	_, err = c.Chat(background(), ask("x"), hfi.WithRequestTimeout(-1))
	wantInvalid(t, "negative request timeout", err, "negative")
	_, err = c.Task(background(), "", "m", nil)
	wantInvalid(t, "empty task", err, "task")
	_, err = c.Task(background(), "text-to-image", "", nil)
	wantInvalid(t, "empty model", err, "model")
	_, err = c.Task(background(), "no-such-task", "emu/x", map[string]any{"inputs": "x"})
	if err == nil {
		t.Error("an unknown task was accepted")
	}
	_, err = c.Summarization(background(), "emu/summarization", "x", nil, hfi.WithInput(nil, ""))
	wantInvalid(t, "empty binary input", err, "empty")
	_, err = c.ImageClassification(background(), "emu/image-classification", nil)
	wantInvalid(t, "no image", err, "empty")
	_, err = c.FeatureExtraction(background(), "emu/feature-extraction", nil)
	wantInvalid(t, "no texts", err, "text")
	_, err = c.Task(background(), "summarization", "emu/summarization", func() {})
	wantInvalid(t, "body not JSON", err, "JSON")
	_, err = hfi.DataURL(nil, "")
	wantInvalid(t, "DataURL of nothing", err, "bytes")
}

func TestClosedAndNilClients(t *testing.T) {
	t.Parallel()
	c := client(t)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
	if _, err := c.Chat(background(), ask("x")); err != hfi.ErrClosed {
		t.Errorf("Chat: %v", err)
	}
	if _, err := c.Stream(background(), ask("x")); err != hfi.ErrClosed {
		t.Errorf("Stream: %v", err)
	}
	if _, err := c.TextToImage(background(), "emu/text-to-image", "x", nil); err != hfi.ErrClosed {
		t.Errorf("Task: %v", err)
	}
	if _, err := c.ListModels(background(), ""); err != hfi.ErrClosed {
		t.Errorf("ListModels: %v", err)
	}
	var none *hfi.Client
	if err := none.Close(); err != nil {
		t.Error(err)
	}
	_, err := none.Chat(background(), ask("x"))
	wantInvalid(t, "nil client", err, "nil")
}

func TestStreamMisuse(t *testing.T) {
	t.Parallel()
	var none *hfi.Stream
	if none.Next() || none.Close() != nil || none.Response() != nil {
		t.Error("a nil stream")
	}
	wantInvalid(t, "nil stream Err", none.Err(), "nil")
	c := client(t)
	s, err := c.Stream(background(), ask("read after close"))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s.Next() || s.Err() != hfi.ErrStreamClosed || s.Delta() != "" {
		t.Errorf("after Close: %v", s.Err())
	}
}

func TestPanicInACallbackIsRaisedOnTheCallingGoroutine(t *testing.T) {
	t.Parallel()
	c := client(t)
	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Fatalf("recovered %v", p)
			}
		}()
		_, _ = c.TextToVideo(background(), "emu/text-to-video", "a fox", nil, hfi.WithProviders("fal-ai"),
			hfi.WithPollInterval(10*time.Millisecond), hfi.WithProgress(func(hfi.Progress) { panic("boom") }))
		t.Fatal("no panic")
	}()
	if resp, err := c.Chat(background(), ask("still fine")); err != nil || resp.Content != "Hello! You said: still fine" {
		t.Fatalf("the client after a panic: %v %v", resp, err)
	}
}

func TestAbandonedClientsAndStreamsAreFinalized(t *testing.T) {
	t.Parallel()
	for i := 0; i < 5; i++ {
		c, err := hfi.New(hfi.WithRouterURL(emu.url), hfi.WithTokenFromEnv(false))
		if err != nil {
			t.Fatal(err)
		}
		s, err := c.Stream(background(), ask(words(300)))
		if err != nil {
			t.Fatal(err)
		}
		s.Next() // then drop both without Close
	}
	for i := 0; i < 5; i++ {
		runtime.GC()
		sleep(20)
	}
	if _, err := client(t).Chat(background(), ask("alive")); err != nil {
		t.Fatal(err)
	}
}

func TestLoggerReceivesRedactedLines(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var lines []string
	// Built at run time so that the source holds nothing shaped like a real token.
	token := "hf_" + strings.Repeat("secret", 5) + "1234"
	c := client(t, hfi.WithToken(token), hfi.WithLogger(func(level hfi.LogLevel, line string) {
		mu.Lock()
		lines = append(lines, line)
		mu.Unlock()
	}, hfi.LogDebug))
	if _, err := c.Chat(background(), ask("logged")); err != nil {
		t.Fatal(err)
	}
	c.Close()
	mu.Lock()
	defer mu.Unlock()
	all := strings.Join(lines, "\n")
	if len(lines) == 0 || !strings.Contains(all, "/v1/chat/completions") || strings.Contains(all, "secretsecret") {
		t.Fatalf("log lines:\n%s", all)
	}
	_, err := hfi.New(hfi.WithLogger(nil, hfi.LogInfo))
	wantInvalid(t, "nil logger", err, "nil")
	_, err = hfi.New(hfi.WithLogger(func(hfi.LogLevel, string) {}, 9))
	wantInvalid(t, "log level out of range", err, "")
}
