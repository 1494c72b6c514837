package hfi

// #include <stdlib.h>
// #include "hfi_go.h"
import "C"

import (
	"context"
	"encoding/json"
	"unsafe"
)

// TaskResult is the output of any task: JSON in the shape of the task's spec, or media bytes.
type TaskResult struct {
	JSON      []byte // the output, normalised to the task spec's shape (empty for media)
	Bytes     []byte // the media of an image, audio or video task
	MediaType string // the type of Bytes ("image/png", "audio/wav", "video/mp4", ...)
	Text      string // the main text of text outputs (generated text, summary, transcript)
	Provider  string // who served it
}

// Task runs any Hugging Face inference task ("text-to-image", "summarization", ...) on `model`
// and waits for its output. body is the task-spec request ({"inputs": ..., "parameters": ...}):
// a value encoding/json marshals, json.RawMessage, or nil when a binary input (WithInput) is all
// there is. Asynchronous jobs are polled to the end (WithProgress sees them) and their files
// downloaded. The typed methods (TextToImage, Summarization, ...) are built on it.
func (c *Client) Task(ctx context.Context, task, model string, body any, opts ...CallOption) (*TaskResult, error) {
	if task == "" {
		return nil, invalid("the task is empty")
	}
	if model == "" {
		return nil, invalid("the model is empty")
	}
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return nil, invalid("the %s request is not JSON: %v", task, err)
		}
	}
	r, err := newRequest(ctx, opts)
	if err != nil {
		return nil, err
	}
	if r.settings.onProgress != nil {
		onProgress := r.settings.onProgress
		r.onEvent = func(e *C.hfi_go_event) bool {
			if EventType(e._type) == C.HFI_EVENT_PROGRESS {
				onProgress(Progress{Status: goText(e.text, e.text_len), Fraction: float64(e.progress),
					JSON: []byte(goText(e.json, e.json_len))})
			}
			return true
		}
	}
	cTask, cModel := C.CString(task), C.CString(model)
	defer C.free(unsafe.Pointer(cTask))
	defer C.free(unsafe.Pointer(cModel))
	resp, err := c.run(r, func(client *C.hfi_client, o *C.hfi_request_options, out **C.hfi_request) C.hfi_status {
		return C.hfi_task_start(client, cTask, cModel, cBytes(payload), C.size_t(len(payload)), o, out)
	})
	defer C.hfi_response_free(resp)
	if err != nil {
		return nil, err
	}
	out := &TaskResult{
		JSON:     []byte(responseText(resp, func(r *C.hfi_response, p **C.char, n *C.size_t) C.hfi_status { return C.hfi_response_json(r, p, n) })),
		Text:     responseText(resp, func(r *C.hfi_response, p **C.char, n *C.size_t) C.hfi_status { return C.hfi_response_content(r, p, n) }),
		Provider: responseText(resp, providerOf),
		MediaType: responseText(resp, func(r *C.hfi_response, p **C.char, n *C.size_t) C.hfi_status {
			return C.hfi_response_media_type(r, p, n)
		}),
	}
	var data unsafe.Pointer
	var n C.size_t
	if C.hfi_response_bytes(resp, &data, &n) == C.HFI_OK && n > 0 {
		out.Bytes = C.GoBytes(data, C.int(n))
	}
	return out, nil
}

// taskJSON runs a task and decodes its JSON output into out.
func (c *Client) taskJSON(ctx context.Context, task, model string, body any, out any, opts []CallOption) error {
	res, err := c.Task(ctx, task, model, body, opts...)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(res.JSON, out); err != nil {
		return StatusProtocol.errorf("the %s output does not have the task's shape: %v", task, err)
	}
	return nil
}

// taskMedia runs a media task and returns its bytes.
func (c *Client) taskMedia(ctx context.Context, task, model string, body any, opts []CallOption) (*Media, error) {
	res, err := c.Task(ctx, task, model, body, opts...)
	if err != nil {
		return nil, err
	}
	if len(res.Bytes) == 0 {
		return nil, StatusProtocol.errorf("the %s answer has no media", task)
	}
	return &Media{Bytes: res.Bytes, Type: res.MediaType, Provider: res.Provider}, nil
}

// Media is an image, audio clip or video.
type Media struct {
	Bytes    []byte
	Type     string // MIME type
	Provider string
}

// Params are a task's "parameters" (see the task's spec on huggingface.co/docs/inference-providers).
type Params map[string]any

type inputs struct {
	Inputs     any    `json:"inputs,omitempty"`
	Parameters Params `json:"parameters,omitempty"`
}

// withInput prepends the binary input to a call's options.
func withInput(data []byte, opts []CallOption) []CallOption {
	return append([]CallOption{WithInput(data, "")}, opts...)
}

// ---- text -----------------------------------------------------------------------------------

// GeneratedText is the output of text-generation and image-to-text.
type GeneratedText struct {
	GeneratedText string `json:"generated_text"`
}

// TextGeneration continues a prompt (the task "text-generation").
func (c *Client) TextGeneration(ctx context.Context, model, prompt string, params Params, opts ...CallOption) (*GeneratedText, error) {
	var out GeneratedText
	return &out, c.taskJSON(ctx, "text-generation", model, inputs{prompt, params}, &out, opts)
}

// Summary is the output of summarization.
type Summary struct {
	SummaryText string `json:"summary_text"`
}

// Summarization summarises a text.
func (c *Client) Summarization(ctx context.Context, model, text string, params Params, opts ...CallOption) (*Summary, error) {
	var out Summary
	return &out, c.taskJSON(ctx, "summarization", model, inputs{text, params}, &out, opts)
}

// Translation is the output of translation.
type Translation struct {
	TranslationText string `json:"translation_text"`
}

// Translate translates a text (the task "translation").
func (c *Client) Translate(ctx context.Context, model, text string, params Params, opts ...CallOption) (*Translation, error) {
	var out Translation
	return &out, c.taskJSON(ctx, "translation", model, inputs{text, params}, &out, opts)
}

// Classification is one label with its score (text, image, audio and zero-shot classification).
type Classification struct {
	Label string  `json:"label"`
	Score float64 `json:"score"`
}

// TextClassification classifies a text (sentiment, topics, ...).
func (c *Client) TextClassification(ctx context.Context, model, text string, opts ...CallOption) ([]Classification, error) {
	var out []Classification
	return out, c.taskJSON(ctx, "text-classification", model, inputs{Inputs: text}, &out, opts)
}

// ZeroShotClassification scores a text against labels chosen at call time.
func (c *Client) ZeroShotClassification(ctx context.Context, model, text string, labels []string, opts ...CallOption) ([]Classification, error) {
	var out []Classification
	body := inputs{text, Params{"candidate_labels": labels}}
	return out, c.taskJSON(ctx, "zero-shot-classification", model, body, &out, opts)
}

// Token is one entity of token-classification.
type Token struct {
	EntityGroup string  `json:"entity_group"`
	Score       float64 `json:"score"`
	Word        string  `json:"word"`
	Start       *int    `json:"start"`
	End         *int    `json:"end"`
}

// TokenClassification finds the entities of a text (names, places, ...).
func (c *Client) TokenClassification(ctx context.Context, model, text string, opts ...CallOption) ([]Token, error) {
	var out []Token
	return out, c.taskJSON(ctx, "token-classification", model, inputs{Inputs: text}, &out, opts)
}

// Answer is the output of question-answering and of document-question-answering.
type Answer struct {
	Answer string  `json:"answer"`
	Score  float64 `json:"score"`
	Start  int     `json:"start"`
	End    int     `json:"end"`
}

// QuestionAnswering answers a question from a context text: the best answers first.
func (c *Client) QuestionAnswering(ctx context.Context, model, question, context string, opts ...CallOption) ([]Answer, error) {
	var out []Answer
	body := inputs{Inputs: map[string]string{"question": question, "context": context}}
	return out, c.taskJSON(ctx, "question-answering", model, body, &out, opts)
}

// TableAnswer is the output of table-question-answering.
type TableAnswer struct {
	Answer      string   `json:"answer"`
	Coordinates [][]int  `json:"coordinates"`
	Cells       []string `json:"cells"`
	Aggregator  string   `json:"aggregator"`
}

// TableQuestionAnswering answers a question about a table given as columns.
func (c *Client) TableQuestionAnswering(ctx context.Context, model, query string, table map[string][]string, opts ...CallOption) ([]TableAnswer, error) {
	var out []TableAnswer
	body := inputs{Inputs: map[string]any{"query": query, "table": table}}
	return out, c.taskJSON(ctx, "table-question-answering", model, body, &out, opts)
}

// Fill is one candidate of fill-mask.
type Fill struct {
	Sequence string  `json:"sequence"`
	Score    float64 `json:"score"`
	Token    int     `json:"token"`
	TokenStr string  `json:"token_str"`
}

// FillMask fills the mask token of a text.
func (c *Client) FillMask(ctx context.Context, model, text string, opts ...CallOption) ([]Fill, error) {
	var out []Fill
	return out, c.taskJSON(ctx, "fill-mask", model, inputs{Inputs: text}, &out, opts)
}

// FeatureExtraction embeds each text as a vector.
func (c *Client) FeatureExtraction(ctx context.Context, model string, texts []string, opts ...CallOption) ([][]float32, error) {
	if len(texts) == 0 {
		return nil, invalid("feature-extraction needs at least one text")
	}
	var out [][]float32
	return out, c.taskJSON(ctx, "feature-extraction", model, inputs{Inputs: texts}, &out, opts)
}

// SentenceSimilarity scores each sentence against the source sentence.
func (c *Client) SentenceSimilarity(ctx context.Context, model, source string, sentences []string, opts ...CallOption) ([]float64, error) {
	var out []float64
	body := inputs{Inputs: map[string]any{"source_sentence": source, "sentences": sentences}}
	return out, c.taskJSON(ctx, "sentence-similarity", model, body, &out, opts)
}

// TabularClassification classifies each row of a table given as columns.
func (c *Client) TabularClassification(ctx context.Context, model string, columns map[string][]string, opts ...CallOption) ([]json.RawMessage, error) {
	var out []json.RawMessage
	body := inputs{Inputs: map[string]any{"data": columns}}
	return out, c.taskJSON(ctx, "tabular-classification", model, body, &out, opts)
}

// TabularRegression predicts a number for each row of a table given as columns.
func (c *Client) TabularRegression(ctx context.Context, model string, columns map[string][]string, opts ...CallOption) ([]float64, error) {
	var out []float64
	body := inputs{Inputs: map[string]any{"data": columns}}
	return out, c.taskJSON(ctx, "tabular-regression", model, body, &out, opts)
}

// ---- images, audio, video ---------------------------------------------------------------------

// TextToImage generates an image from a prompt.
func (c *Client) TextToImage(ctx context.Context, model, prompt string, params Params, opts ...CallOption) (*Media, error) {
	return c.taskMedia(ctx, "text-to-image", model, inputs{prompt, params}, opts)
}

// ImageToImage transforms an image (params usually hold a "prompt").
func (c *Client) ImageToImage(ctx context.Context, model string, image []byte, params Params, opts ...CallOption) (*Media, error) {
	return c.taskMedia(ctx, "image-to-image", model, inputs{Parameters: params}, withInput(image, opts))
}

// TextToVideo generates a video from a prompt.
func (c *Client) TextToVideo(ctx context.Context, model, prompt string, params Params, opts ...CallOption) (*Media, error) {
	return c.taskMedia(ctx, "text-to-video", model, inputs{prompt, params}, opts)
}

// ImageToVideo animates an image (params usually hold a "prompt").
func (c *Client) ImageToVideo(ctx context.Context, model string, image []byte, params Params, opts ...CallOption) (*Media, error) {
	return c.taskMedia(ctx, "image-to-video", model, inputs{Parameters: params}, withInput(image, opts))
}

// TextToSpeech speaks a text.
func (c *Client) TextToSpeech(ctx context.Context, model, text string, params Params, opts ...CallOption) (*Media, error) {
	return c.taskMedia(ctx, "text-to-speech", model, inputs{text, params}, opts)
}

// Transcript is the output of automatic-speech-recognition.
type Transcript struct {
	Text   string `json:"text"`
	Chunks []struct {
		Text      string    `json:"text"`
		Timestamp []float64 `json:"timestamp"`
	} `json:"chunks,omitempty"`
}

// AutomaticSpeechRecognition transcribes an audio clip.
func (c *Client) AutomaticSpeechRecognition(ctx context.Context, model string, audio []byte, opts ...CallOption) (*Transcript, error) {
	var out Transcript
	return &out, c.taskJSON(ctx, "automatic-speech-recognition", model, nil, &out, withInput(audio, opts))
}

// AudioClassification classifies an audio clip.
func (c *Client) AudioClassification(ctx context.Context, model string, audio []byte, opts ...CallOption) ([]Classification, error) {
	var out []Classification
	return out, c.taskJSON(ctx, "audio-classification", model, nil, &out, withInput(audio, opts))
}

// AudioOutput is one audio of audio-to-audio (source separation, enhancement): Blob is base64.
type AudioOutput struct {
	Label       string `json:"label"`
	Blob        string `json:"blob"`
	ContentType string `json:"content-type"`
}

// AudioToAudio transforms an audio clip.
func (c *Client) AudioToAudio(ctx context.Context, model string, audio []byte, opts ...CallOption) ([]AudioOutput, error) {
	var out []AudioOutput
	return out, c.taskJSON(ctx, "audio-to-audio", model, nil, &out, withInput(audio, opts))
}

// ImageClassification classifies an image.
func (c *Client) ImageClassification(ctx context.Context, model string, image []byte, opts ...CallOption) ([]Classification, error) {
	var out []Classification
	return out, c.taskJSON(ctx, "image-classification", model, nil, &out, withInput(image, opts))
}

// ZeroShotImageClassification scores an image against labels chosen at call time.
func (c *Client) ZeroShotImageClassification(ctx context.Context, model string, image []byte, labels []string, opts ...CallOption) ([]Classification, error) {
	var out []Classification
	body := inputs{Parameters: Params{"candidate_labels": labels}}
	return out, c.taskJSON(ctx, "zero-shot-image-classification", model, body, &out, withInput(image, opts))
}

// Detection is one object found by object-detection, with its box in pixels.
type Detection struct {
	Label string  `json:"label"`
	Score float64 `json:"score"`
	Box   struct {
		Xmin, Ymin, Xmax, Ymax int
	} `json:"box"`
}

// ObjectDetection finds the objects of an image.
func (c *Client) ObjectDetection(ctx context.Context, model string, image []byte, opts ...CallOption) ([]Detection, error) {
	var out []Detection
	return out, c.taskJSON(ctx, "object-detection", model, nil, &out, withInput(image, opts))
}

// Segment is one region of image-segmentation; Mask is a base64 image.
type Segment struct {
	Label string   `json:"label"`
	Score *float64 `json:"score"`
	Mask  string   `json:"mask"`
}

// ImageSegmentation splits an image into labelled regions.
func (c *Client) ImageSegmentation(ctx context.Context, model string, image []byte, opts ...CallOption) ([]Segment, error) {
	var out []Segment
	return out, c.taskJSON(ctx, "image-segmentation", model, nil, &out, withInput(image, opts))
}

// ImageToText describes an image.
func (c *Client) ImageToText(ctx context.Context, model string, image []byte, opts ...CallOption) (*GeneratedText, error) {
	var out GeneratedText
	return &out, c.taskJSON(ctx, "image-to-text", model, nil, &out, withInput(image, opts))
}

// VisualQuestionAnswering answers a question about an image.
func (c *Client) VisualQuestionAnswering(ctx context.Context, model string, image []byte, question string, opts ...CallOption) ([]Answer, error) {
	var out []Answer
	body := inputs{Inputs: map[string]string{"question": question}}
	return out, c.taskJSON(ctx, "visual-question-answering", model, body, &out, withInput(image, opts))
}

// DocumentQuestionAnswering answers a question about a document image.
func (c *Client) DocumentQuestionAnswering(ctx context.Context, model string, image []byte, question string, opts ...CallOption) ([]Answer, error) {
	var out []Answer
	body := inputs{Inputs: map[string]string{"question": question}}
	return out, c.taskJSON(ctx, "document-question-answering", model, body, &out, withInput(image, opts))
}

// ---- the router's model listing, data URLs -----------------------------------------------------

// ListModels is the router's chat models, or one of them when model is not empty, with the
// providers serving each (status, pricing, context length, latency), as the router's JSON.
func (c *Client) ListModels(ctx context.Context, model string) (json.RawMessage, error) {
	r, err := newRequest(ctx, nil)
	if err != nil {
		return nil, err
	}
	if r.ctx == nil {
		return nil, invalid("the context is nil")
	}
	client, err := c.acquire()
	if err != nil {
		return nil, err
	}
	defer c.mu.RUnlock()
	cModel := cString(model)
	defer freeString(cModel)
	var resp *C.hfi_response
	code := C.hfi_list_models(client, cModel, &resp)
	defer C.hfi_response_free(resp)
	if code != C.HFI_OK {
		if resp == nil {
			return nil, Status(code).errorf("the model listing failed")
		}
		return nil, errorOf(code, C.hfi_response_error(resp))
	}
	return json.RawMessage(responseText(resp, func(r *C.hfi_response, p **C.char, n *C.size_t) C.hfi_status { return C.hfi_response_json(r, p, n) })), nil
}

// DataURL writes bytes as a data: URL ("data:image/png;base64,..."), as chat messages take
// images; mediaType may be empty to have hfi tell it from the bytes.
func DataURL(data []byte, mediaType string) (string, error) {
	if len(data) == 0 {
		return "", invalid("DataURL: no bytes")
	}
	cType := cString(mediaType)
	defer freeString(cType)
	var needed C.size_t
	code := C.hfi_data_url(unsafe.Pointer(cBytes(data)), C.size_t(len(data)), cType, nil, 0, &needed)
	if code != C.HFI_E_BUFFER_TOO_SMALL && code != C.HFI_OK {
		return "", Status(code).errorf("DataURL: cannot encode the bytes")
	}
	buf := make([]byte, needed)
	if err := checked(func() C.hfi_status {
		return C.hfi_data_url(unsafe.Pointer(cBytes(data)), C.size_t(len(data)), cType, cBytes(buf), needed, &needed)
	}); err != nil {
		return "", err
	}
	return string(buf[:needed-1]), nil
}
