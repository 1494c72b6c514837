// Package hfi is the Go binding of hfi, a Hugging Face inference client with a stable C ABI:
// chat (blocking and streamed) and every inference task on the Hugging Face router, its
// providers, or any OpenAI-compatible server, with hfi's retries, failover and timeouts.
//
//	client, err := hfi.New() // the token comes from HF_TOKEN or the huggingface_hub token file
//	if err != nil { ... }
//	defer client.Close()
//	resp, err := client.Chat(ctx, &hfi.ChatRequest{
//		Model:    "meta-llama/Llama-3.1-8B-Instruct",
//		Messages: []hfi.Message{{Role: "user", Content: "Hello!"}},
//	})
//
// A Client is safe for any number of goroutines. Every call takes a context: cancelling it
// cancels the request in hfi (hfi_request_cancel) at any stage, and the call returns an error
// for which errors.Is(err, context.Canceled) holds. Failures are *Error values (errors.As) with
// hfi's status code, the HTTP status, the provider's message and type, and the Retry-After.
//
// cgo reads hfi's header directly and links libhfi through pkg-config ("hfi"); build with
// -tags hfi_static to link libhfi.a instead. hfi drives the network on its own I/O thread and
// delivers each call's events on the calling goroutine, so nothing needs runtime.LockOSThread.
package hfi
