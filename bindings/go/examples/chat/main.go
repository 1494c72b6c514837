// Command chat streams a chat answer with the hfi Go binding.
//
//	go run ./examples/chat [-base-url URL] [-model ID] "prompt"
//
// The token comes from HF_TOKEN (or the huggingface_hub token file). With -base-url it talks to
// an OpenAI-compatible server instead of the Hugging Face router (the hfi emulator, TGI, vLLM,
// llama.cpp). Ctrl-C cancels the request through its context.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"hfi"
)

func main() {
	baseURL := flag.String("base-url", "", "an OpenAI-compatible server instead of the router")
	model := flag.String("model", "meta-llama/Llama-3.1-8B-Instruct", "the model")
	flag.Parse()
	prompt := strings.Join(flag.Args(), " ")
	if prompt == "" {
		prompt = "Say hello in one short sentence."
	}

	var opts []hfi.Option
	if *baseURL != "" {
		opts = append(opts, hfi.WithBaseURL(*baseURL))
	}
	client, err := hfi.New(opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer client.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	stream, err := client.Stream(ctx, &hfi.ChatRequest{
		Model:    *model,
		Messages: []hfi.Message{{Role: "user", Content: prompt}},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer stream.Close()
	for stream.Next() {
		fmt.Print(stream.Delta())
	}
	fmt.Println()
	if err := stream.Err(); err != nil {
		var e *hfi.Error
		if errors.As(err, &e) && e.RetryAfter > 0 {
			fmt.Fprintf(os.Stderr, "%v (retry after %v)\n", err, e.RetryAfter)
		} else {
			fmt.Fprintln(os.Stderr, err)
		}
		os.Exit(1)
	}
	if r := stream.Response(); r != nil && r.Usage.TotalTokens >= 0 {
		fmt.Fprintf(os.Stderr, "[%d tokens, libhfi %s]\n", r.Usage.TotalTokens, hfi.Version())
	}
}
