package hfi_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"hfi"
)

func TestChatAnswersWithTheWholeCompletion(t *testing.T) {
	t.Parallel()
	c := client(t)
	resp, err := c.Chat(background(), ask("ping"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Content != "Hello! You said: ping" {
		t.Fatalf("content %q", resp.Content)
	}
	if resp.FinishReason != "stop" || resp.Model == "" || resp.Attempts != 1 {
		t.Fatalf("finish %q, model %q, attempts %d", resp.FinishReason, resp.Model, resp.Attempts)
	}
	if resp.Usage.PromptTokens <= 0 || resp.Usage.TotalTokens != resp.Usage.PromptTokens+resp.Usage.CompletionTokens {
		t.Fatalf("usage %+v", resp.Usage)
	}
	var doc struct {
		Object  string
		Choices []struct{ Message struct{ Content string } }
	}
	if err := json.Unmarshal(resp.JSON, &doc); err != nil || doc.Object != "chat.completion" ||
		doc.Choices[0].Message.Content != resp.Content {
		t.Fatalf("JSON %s (%v)", resp.JSON, err)
	}
}

func TestChatJSONPassesTheBodyThrough(t *testing.T) {
	t.Parallel()
	c := client(t)
	resp, err := c.ChatJSON(background(), []byte(`{"model":"m","messages":[{"role":"user","content":"raw body"}],"max_tokens":5}`))
	if err != nil || resp.Content != "Hello! You said: raw body" {
		t.Fatalf("%+v, %v", resp, err)
	}
}

func TestChatRequestExtraMembersAreSent(t *testing.T) {
	t.Parallel()
	base, path := route(t)
	c := client(t, hfi.WithBaseURL(base))
	req := ask("extra")
	req.Extra = map[string]json.RawMessage{"top_k": json.RawMessage(`7`), "model": json.RawMessage(`"ignored"`)}
	if _, err := c.Chat(background(), req); err != nil {
		t.Fatal(err)
	}
	body := lastBody(t, path)
	if !strings.Contains(body, `"top_k":7`) || !strings.Contains(body, `"model":"meta-llama/Llama-3.1-8B-Instruct"`) {
		t.Fatalf("body sent: %s", body)
	}
}

func TestStreamDeliversEveryDeltaThenTheResponse(t *testing.T) {
	t.Parallel()
	c := client(t)
	prompt := words(40)
	s, err := c.Stream(background(), ask(prompt))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var text strings.Builder
	deltas, finished := 0, false
	for s.Next() {
		switch s.Event().Type {
		case hfi.EventDelta:
			deltas++
			text.WriteString(s.Delta())
		case hfi.EventFinish:
			finished = s.Event().Text == "stop"
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	want := "Hello! You said: " + prompt
	if text.String() != want || deltas < 40 || !finished {
		t.Fatalf("%d deltas, finished %v, text %q", deltas, finished, text.String())
	}
	if r := s.Response(); r == nil || r.Content != want || r.FinishReason != "stop" {
		t.Fatalf("response %+v", r)
	}
	if s.Next() {
		t.Fatal("Next after the end")
	}
}

func TestStreamIsReadAtTheReadersPace(t *testing.T) {
	t.Parallel()
	c := client(t)
	prompt := words(600) // more events than the stream buffers
	s, err := c.Stream(background(), ask(prompt))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var text strings.Builder
	for i := 0; s.Next(); i++ {
		if i == 0 {
			sleep(300) // let hfi and the emulator run ahead
		}
		text.WriteString(s.Delta())
	}
	if s.Err() != nil || text.String() != "Hello! You said: "+prompt {
		t.Fatalf("err %v, %d bytes", s.Err(), text.Len())
	}
}

func lastBody(t *testing.T, path string) string {
	t.Helper()
	var seen []struct{ Path, Body string }
	getJSON(t, emu.url+"/_emulator/requests", &seen)
	for i := len(seen) - 1; i >= 0; i-- {
		if seen[i].Path == path {
			return seen[i].Body
		}
	}
	t.Fatalf("no request to %s", path)
	return ""
}

func asError(t *testing.T, err error) *hfi.Error {
	t.Helper()
	var e *hfi.Error
	if !errors.As(err, &e) {
		t.Fatalf("%v (%T) is not an *hfi.Error", err, err)
	}
	return e
}
