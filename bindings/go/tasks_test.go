package hfi_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"testing"

	"hfi"
)

// Every task family through its typed method, against the emulator's model emu/<task> (served
// by hf-inference where it serves the task, else by the first provider of the mapping).

var png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")

func wav() []byte {
	var b bytes.Buffer
	samples := make([]byte, 32)
	le := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	le(uint32(36 + len(samples)))
	b.WriteString("WAVEfmt ")
	le(uint32(16))
	le(uint16(1))
	le(uint16(1))
	le(uint32(16000))
	le(uint32(32000))
	le(uint16(2))
	le(uint16(16))
	b.WriteString("data")
	le(uint32(len(samples)))
	b.Write(samples)
	return b.Bytes()
}

func TestTextTasks(t *testing.T) {
	t.Parallel()
	c := client(t)
	ctx := background()
	check := func(name string, ok bool, got any) {
		t.Helper()
		if !ok {
			t.Errorf("%s: %+v", name, got)
		}
	}
	gen, err := c.TextGeneration(ctx, "emu/text-generation", "The fox", hfi.Params{"max_new_tokens": 5})
	check("text-generation", err == nil && gen.GeneratedText != "", []any{gen, err})
	sum, err := c.Summarization(ctx, "emu/summarization", "One thing. Two things.", nil)
	check("summarization", err == nil && sum.SummaryText != "", []any{sum, err})
	tr, err := c.Translate(ctx, "emu/translation", "hello", nil)
	check("translation", err == nil && tr.TranslationText != "", []any{tr, err})
	cls, err := c.TextClassification(ctx, "emu/text-classification", "I like it")
	check("text-classification", err == nil && len(cls) > 0 && cls[0].Label != "" && cls[0].Score > 0, []any{cls, err})
	zs, err := c.ZeroShotClassification(ctx, "emu/zero-shot-classification", "a cat", []string{"cat", "dog"})
	check("zero-shot-classification", err == nil && len(zs) == 2, []any{zs, err})
	tok, err := c.TokenClassification(ctx, "emu/token-classification", "Emu lives in Paris")
	check("token-classification", err == nil && len(tok) > 0 && tok[0].Word != "", []any{tok, err})
	qa, err := c.QuestionAnswering(ctx, "emu/question-answering", "Who?", "It was Emu")
	check("question-answering", err == nil && len(qa) > 0 && qa[0].Answer != "", []any{qa, err})
	tqa, err := c.TableQuestionAnswering(ctx, "emu/table-question-answering", "x", map[string][]string{"a": {"x", "y"}})
	check("table-question-answering", err == nil && len(tqa) > 0 && tqa[0].Answer != "", []any{tqa, err})
	fill, err := c.FillMask(ctx, "emu/fill-mask", "Paris is [MASK] capital.")
	check("fill-mask", err == nil && len(fill) > 0 && fill[0].TokenStr != "", []any{fill, err})
	emb, err := c.FeatureExtraction(ctx, "emu/feature-extraction", []string{"a b", "c"})
	check("feature-extraction", err == nil && len(emb) == 2 && len(emb[0]) > 0, []any{emb, err})
	sim, err := c.SentenceSimilarity(ctx, "emu/sentence-similarity", "a b", []string{"a b", "c d"})
	check("sentence-similarity", err == nil && len(sim) == 2, []any{sim, err})
	tab, err := c.TabularClassification(ctx, "emu/tabular-classification", map[string][]string{"a": {"1", "2"}})
	check("tabular-classification", err == nil && len(tab) == 2, []any{tab, err})
	reg, err := c.TabularRegression(ctx, "emu/tabular-regression", map[string][]string{"a": {"1", "2"}})
	check("tabular-regression", err == nil && len(reg) == 2, []any{reg, err})
}

func TestMediaOutputTasks(t *testing.T) {
	t.Parallel()
	c := client(t)
	ctx := background()
	for _, k := range []struct {
		name, prefix string
		run          func() (*hfi.Media, error)
	}{
		{"text-to-image", "image/", func() (*hfi.Media, error) {
			return c.TextToImage(ctx, "emu/text-to-image", "a red fox", nil)
		}},
		{"image-to-image", "image/", func() (*hfi.Media, error) {
			return c.ImageToImage(ctx, "emu/image-to-image", png, hfi.Params{"prompt": "make it blue"})
		}},
		{"text-to-speech", "audio/", func() (*hfi.Media, error) {
			return c.TextToSpeech(ctx, "emu/text-to-speech", "hello there", nil)
		}},
		{"text-to-video", "video/", func() (*hfi.Media, error) {
			return c.TextToVideo(ctx, "emu/text-to-video", "a red fox running", nil)
		}},
		{"image-to-video", "video/", func() (*hfi.Media, error) {
			return c.ImageToVideo(ctx, "emu/image-to-video", png, hfi.Params{"prompt": "make it move"})
		}},
	} {
		m, err := k.run()
		if err != nil || len(m.Bytes) == 0 || !strings.HasPrefix(m.Type, k.prefix) || m.Provider == "" {
			t.Errorf("%s: %+v, %v", k.name, m, err)
		}
	}
}

func TestImageAndAudioInputTasks(t *testing.T) {
	t.Parallel()
	c := client(t)
	ctx := background()
	ic, err := c.ImageClassification(ctx, "emu/image-classification", png)
	if err != nil || len(ic) == 0 || ic[0].Label == "" {
		t.Errorf("image-classification: %+v %v", ic, err)
	}
	zic, err := c.ZeroShotImageClassification(ctx, "emu/zero-shot-image-classification", png, []string{"png", "jpeg"})
	if err != nil || len(zic) != 2 {
		t.Errorf("zero-shot-image-classification: %+v %v", zic, err)
	}
	od, err := c.ObjectDetection(ctx, "emu/object-detection", png)
	if err != nil || len(od) == 0 || od[0].Label == "" || od[0].Box.Xmax < od[0].Box.Xmin {
		t.Errorf("object-detection: %+v %v", od, err)
	}
	seg, err := c.ImageSegmentation(ctx, "emu/image-segmentation", png)
	if err != nil || len(seg) == 0 || seg[0].Mask == "" {
		t.Errorf("image-segmentation: %+v %v", seg, err)
	}
	itt, err := c.ImageToText(ctx, "emu/image-to-text", png)
	if err != nil || itt.GeneratedText == "" {
		t.Errorf("image-to-text: %+v %v", itt, err)
	}
	vqa, err := c.VisualQuestionAnswering(ctx, "emu/visual-question-answering", png, "What colour is it?")
	if err != nil || len(vqa) == 0 || vqa[0].Answer == "" {
		t.Errorf("visual-question-answering: %+v %v", vqa, err)
	}
	dqa, err := c.DocumentQuestionAnswering(ctx, "emu/document-question-answering", png, "What is the total?")
	if err != nil || len(dqa) == 0 || dqa[0].Answer == "" {
		t.Errorf("document-question-answering: %+v %v", dqa, err)
	}
	asr, err := c.AutomaticSpeechRecognition(ctx, "emu/automatic-speech-recognition", wav())
	if err != nil || asr.Text == "" {
		t.Errorf("automatic-speech-recognition: %+v %v", asr, err)
	}
	ac, err := c.AudioClassification(ctx, "emu/audio-classification", wav())
	if err != nil || len(ac) == 0 || ac[0].Label == "" {
		t.Errorf("audio-classification: %+v %v", ac, err)
	}
	a2a, err := c.AudioToAudio(ctx, "emu/audio-to-audio", wav())
	if err != nil || len(a2a) == 0 {
		t.Errorf("audio-to-audio: %+v %v", a2a, err)
	} else if _, err := base64.StdEncoding.DecodeString(a2a[0].Blob); err != nil {
		t.Errorf("audio-to-audio blob: %v", err)
	}
}

func TestTaskOnANamedProviderAndTheGenericCall(t *testing.T) {
	t.Parallel()
	c := client(t)
	res, err := c.Task(background(), "text-to-image", "emu/text-to-image", map[string]any{"inputs": "a fox"},
		hfi.WithProviders("together"))
	if err != nil || res.Provider != "together" || !strings.HasPrefix(res.MediaType, "image/") || len(res.Bytes) == 0 {
		t.Fatalf("%+v %v", res, err)
	}
	chat, err := c.Task(background(), "chat-completion", "emu/chat-completion",
		map[string]any{"messages": []map[string]string{{"role": "user", "content": "via task"}}})
	if err != nil || chat.Text != "Hello! You said: via task" {
		t.Fatalf("%+v %v", chat, err)
	}
}

func TestJobProgressIsReported(t *testing.T) {
	t.Parallel()
	c := client(t)
	var seen []hfi.Progress
	m, err := c.TextToVideo(background(), "emu/text-to-video", "a fox", nil, hfi.WithProviders("fal-ai"),
		hfi.WithPollInterval(10_000_000), hfi.WithProgress(func(p hfi.Progress) { seen = append(seen, p) }))
	if err != nil || len(m.Bytes) == 0 || len(seen) == 0 || seen[0].Status == "" {
		t.Fatalf("%v, progress %+v", err, seen)
	}
}

func TestListModelsAndDataURL(t *testing.T) {
	t.Parallel()
	c := client(t)
	list, err := c.ListModels(background(), "")
	if err != nil || !bytes.Contains(list, []byte(`"data"`)) {
		t.Fatalf("%s %v", list, err)
	}
	url, err := hfi.DataURL(png, "")
	if err != nil || url != "data:image/png;base64,"+base64.StdEncoding.EncodeToString(png) {
		t.Fatalf("%q %v", url, err)
	}
	resp, err := c.Chat(background(), &hfi.ChatRequest{Model: "emu/chat-completion", Messages: []hfi.Message{{Role: "user",
		Content: []hfi.ContentPart{{Type: "text", Text: "what is it"}, {Type: "image_url", ImageURL: &hfi.ImageURL{URL: url}}}}}})
	if err != nil || !strings.Contains(resp.Content, "what is it") {
		t.Fatalf("VLM chat: %+v %v", resp, err)
	}
}
