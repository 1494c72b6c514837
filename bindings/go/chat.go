package hfi

// #include "hfi_go.h"
import "C"

import (
	"context"
	"encoding/json"
)

// Message is one chat message. Content is a string, or a []ContentPart for text with images.
type Message struct {
	Role       string     `json:"role"`
	Content    any        `json:"content,omitempty"`
	Name       string     `json:"name,omitempty"`
	ToolCalls  []ToolCall `json:"tool_calls,omitempty"`
	ToolCallID string     `json:"tool_call_id,omitempty"`
}

// ContentPart is a piece of a multimodal message: {"type":"text"} or {"type":"image_url"}.
type ContentPart struct {
	Type     string    `json:"type"`
	Text     string    `json:"text,omitempty"`
	ImageURL *ImageURL `json:"image_url,omitempty"`
}

// ImageURL is an http(s) URL or a data URL (see DataURL).
type ImageURL struct {
	URL string `json:"url"`
}

// Tool is a function the model may call.
type Tool struct {
	Type     string       `json:"type"` // "function"
	Function ToolFunction `json:"function"`
}

// ToolFunction describes a tool: its name, what it does, and its JSON-schema parameters.
type ToolFunction struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters,omitempty"`
}

// ToolCall is a call of a tool by the model; Arguments is JSON text.
type ToolCall struct {
	ID       string           `json:"id,omitempty"`
	Type     string           `json:"type,omitempty"`
	Function ToolCallFunction `json:"function"`
}

// ToolCallFunction is the called tool's name and its JSON arguments.
type ToolCallFunction struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

// ChatRequest is an OpenAI chat-completions request. Extra members (any the API takes) go in
// Extra and are sent as they are.
type ChatRequest struct {
	Model          string                     `json:"model"`
	Messages       []Message                  `json:"messages"`
	MaxTokens      *int                       `json:"max_tokens,omitempty"`
	Temperature    *float64                   `json:"temperature,omitempty"`
	TopP           *float64                   `json:"top_p,omitempty"`
	Seed           *int64                     `json:"seed,omitempty"`
	Stop           []string                   `json:"stop,omitempty"`
	Tools          []Tool                     `json:"tools,omitempty"`
	ToolChoice     any                        `json:"tool_choice,omitempty"`
	ResponseFormat any                        `json:"response_format,omitempty"`
	Extra          map[string]json.RawMessage `json:"-"`
}

// MarshalJSON writes the request with its Extra members.
func (r ChatRequest) MarshalJSON() ([]byte, error) {
	type plain ChatRequest
	body, err := json.Marshal(plain(r))
	if err != nil || len(r.Extra) == 0 {
		return body, err
	}
	var merged map[string]json.RawMessage
	if err := json.Unmarshal(body, &merged); err != nil {
		return nil, err
	}
	for k, v := range r.Extra {
		if _, taken := merged[k]; !taken {
			merged[k] = v
		}
	}
	return json.Marshal(merged)
}

// Usage counts tokens; -1 where the server did not say.
type Usage struct {
	PromptTokens, CompletionTokens, TotalTokens int64
}

// ChatResponse is a finished chat: the text, tool calls, usage, and the raw chat.completion.
type ChatResponse struct {
	Content      string
	Reasoning    string
	FinishReason string
	Model        string
	ToolCalls    []ToolCall
	Usage        Usage
	RequestID    string
	Target       string // the failover target that answered, when targets are set
	Attempts     int    // attempts made, retries and failovers included
	JSON         []byte // the chat.completion object (assembled from the stream for streams)
}

// Chat sends a chat completion and waits for the whole answer. It returns when ctx ends too,
// with an error that errors.Is(err, ctx.Err()).
func (c *Client) Chat(ctx context.Context, req *ChatRequest, opts ...CallOption) (*ChatResponse, error) {
	body, err := chatBody(req)
	if err != nil {
		return nil, err
	}
	return c.ChatJSON(ctx, body, opts...)
}

// ChatJSON is Chat with the request body as JSON, passed through as it is.
func (c *Client) ChatJSON(ctx context.Context, body []byte, opts ...CallOption) (*ChatResponse, error) {
	r, err := newRequest(ctx, opts)
	if err != nil {
		return nil, err
	}
	resp, err := c.run(r, func(client *C.hfi_client, o *C.hfi_request_options, out **C.hfi_request) C.hfi_status {
		return C.hfi_request_start(client, C.HFI_TASK_CHAT, cBytes(body), C.size_t(len(body)), o, out)
	})
	defer C.hfi_response_free(resp)
	if err != nil {
		return nil, err
	}
	return chatResponse(resp), nil
}

func newRequest(ctx context.Context, opts []CallOption) (*request, error) {
	r := &request{ctx: ctx}
	for i, opt := range opts {
		if opt == nil {
			return nil, invalid("call option %d is nil", i)
		}
		opt(&r.settings)
	}
	return r, nil
}

func chatBody(req *ChatRequest) ([]byte, error) {
	if req == nil {
		return nil, invalid("the chat request is nil")
	}
	if req.Model == "" {
		return nil, invalid("the chat request has no model")
	}
	if len(req.Messages) == 0 {
		return nil, invalid("the chat request has no messages")
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, invalid("the chat request is not JSON: %v", err)
	}
	return body, nil
}

func chatResponse(r *C.hfi_response) *ChatResponse {
	out := &ChatResponse{
		Content: responseText(r, func(r *C.hfi_response, p **C.char, n *C.size_t) C.hfi_status { return C.hfi_response_content(r, p, n) }),
		Reasoning: responseText(r, func(r *C.hfi_response, p **C.char, n *C.size_t) C.hfi_status {
			return C.hfi_response_reasoning(r, p, n)
		}),
		FinishReason: responseText(r, func(r *C.hfi_response, p **C.char, n *C.size_t) C.hfi_status {
			return C.hfi_response_finish_reason(r, p, n)
		}),
		Model: responseText(r, func(r *C.hfi_response, p **C.char, n *C.size_t) C.hfi_status { return C.hfi_response_model(r, p, n) }),
		RequestID: responseText(r, func(r *C.hfi_response, p **C.char, n *C.size_t) C.hfi_status {
			return C.hfi_response_request_id(r, p, n)
		}),
		Target:   responseText(r, func(r *C.hfi_response, p **C.char, n *C.size_t) C.hfi_status { return C.hfi_response_target(r, p, n) }),
		JSON:     []byte(responseText(r, func(r *C.hfi_response, p **C.char, n *C.size_t) C.hfi_status { return C.hfi_response_json(r, p, n) })),
		Attempts: int(C.hfi_response_attempts(r)),
	}
	var prompt, completion, total C.int64_t
	C.hfi_response_usage(r, &prompt, &completion, &total)
	out.Usage = Usage{int64(prompt), int64(completion), int64(total)}
	var count C.size_t
	if C.hfi_response_tool_call_count(r, &count) == C.HFI_OK {
		for i := C.size_t(0); i < count; i++ {
			var p *C.char
			var n C.size_t
			var call ToolCall
			call.Type = "function"
			if C.hfi_response_tool_call_id(r, i, &p, &n) == C.HFI_OK {
				call.ID = goText(p, n)
			}
			if C.hfi_response_tool_call_name(r, i, &p, &n) == C.HFI_OK {
				call.Function.Name = goText(p, n)
			}
			if C.hfi_response_tool_call_arguments(r, i, &p, &n) == C.HFI_OK {
				call.Function.Arguments = goText(p, n)
			}
			out.ToolCalls = append(out.ToolCalls, call)
		}
	}
	return out
}
