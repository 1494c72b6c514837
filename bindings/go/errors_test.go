package hfi_test

import (
	"errors"
	"testing"
	"time"

	"hfi"
)

func TestHTTPErrorsCarryTheirDetail(t *testing.T) {
	t.Parallel()
	base, path := route(t)
	c := client(t, hfi.WithBaseURL(base))
	script(t, path, map[string]any{"status": 429, "headers": map[string]any{"Retry-After": "7",
		"RateLimit-Limit": "100", "RateLimit-Remaining": "0", "RateLimit-Reset": "30"},
		"body": `{"error":{"message":"slow down","type":"rate_limit"}}`})
	_, err := c.Chat(background(), ask("x"), hfi.WithRequestMaxRetries(0))
	e := asError(t, err)
	if e.Code != hfi.StatusRateLimited || e.HTTPStatus != 429 || e.Message != "slow down" || e.Type != "rate_limit" ||
		e.RetryAfter != 7*time.Second {
		t.Fatalf("%+v", e)
	}
	if e.RateLimit.Limit != 100 || e.RateLimit.Remaining != 0 || e.RateLimit.Reset != 30*time.Second {
		t.Fatalf("rate limit %+v", e.RateLimit)
	}
	if !errors.Is(err, hfi.ErrRateLimited) || errors.Is(err, hfi.ErrAuth) {
		t.Fatal("errors.Is by code")
	}
	if e.Error() != "hfi: rate limited (HTTP 429): slow down" {
		t.Fatalf("Error() = %q", e.Error())
	}
}

func TestAuthFailureInAStream(t *testing.T) {
	t.Parallel()
	base, path := route(t)
	c := client(t, hfi.WithBaseURL(base))
	script(t, path, map[string]any{"status": 401, "body": `{"error":"Invalid credentials in Authorization header"}`})
	s, err := c.Stream(background(), ask("x"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Next() {
		t.Fatal("an event from a 401")
	}
	e := asError(t, s.Err())
	if e.Code != hfi.StatusAuth || e.HTTPStatus != 401 || e.Message != "Invalid credentials in Authorization header" ||
		!errors.Is(s.Err(), hfi.ErrAuth) {
		t.Fatalf("%+v", e)
	}
}

func TestRetriesThenSuccessCountAttempts(t *testing.T) {
	t.Parallel()
	base, path := route(t)
	c := client(t, hfi.WithBaseURL(base))
	script(t, path, map[string]any{"status": 503, "headers": map[string]any{"Retry-After": "0"}, "repeat": 2})
	resp, err := c.Chat(background(), ask("again"))
	if err != nil || resp.Attempts != 3 || resp.Content != "Hello! You said: again" {
		t.Fatalf("%+v %v", resp, err)
	}
}

func TestStreamCutOffIsTruncatedWithThePartialText(t *testing.T) {
	t.Parallel()
	base, path := route(t)
	c := client(t, hfi.WithBaseURL(base))
	script(t, path, map[string]any{"default_sse": true, "drop_after": 4})
	s, err := c.Stream(background(), ask(words(30)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := 0
	for s.Next() {
		n++
	}
	if e := asError(t, s.Err()); e.Code != hfi.StatusStreamTruncated || n == 0 || s.Response().Content == "" {
		t.Fatalf("%d events, %+v", n, e)
	}
}

func TestNetworkDownIsAConnectError(t *testing.T) {
	t.Parallel()
	c := client(t, hfi.WithBaseURL("http://127.0.0.1:9/v1"), hfi.WithMaxRetries(0))
	_, err := c.Chat(background(), ask("x"))
	if e := asError(t, err); e.Code != hfi.StatusConnect && e.Code != hfi.StatusNetwork {
		t.Fatalf("%+v", e)
	}
}

func TestUnknownModelOfATaskIsNotFound(t *testing.T) {
	t.Parallel()
	c := client(t)
	_, err := c.Summarization(background(), "nobody/nothing", "text", nil)
	if e := asError(t, err); e.Code != hfi.StatusNotFound || e.HTTPStatus != 404 {
		t.Fatalf("%+v", e)
	}
}
