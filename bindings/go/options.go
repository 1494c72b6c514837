package hfi

// #include "hfi_go.h"
import "C"

import (
	"strings"
	"time"
	"unsafe"
)

// Option configures a Client; see New.
type Option func(*settings)

type setting struct {
	key   int32
	text  string
	num   int64
	isInt bool
}

type settings struct {
	list     []setting
	err      error
	logger   func(LogLevel, string)
	logLevel LogLevel
}

func (s *settings) str(key C.int, v string) {
	s.list = append(s.list, setting{key: int32(key), text: v})
}
func (s *settings) num(key C.int, v int64) {
	s.list = append(s.list, setting{key: int32(key), num: v, isInt: true})
}
func (s *settings) millis(key C.int, d time.Duration, what string) {
	if d < 0 && s.err == nil {
		s.err = invalid("%s may not be negative (%v)", what, d)
	}
	s.num(key, d.Milliseconds())
}

// apply writes the settings into an hfi_client_options builder, in the order they were given.
func (s *settings) apply(o *C.hfi_client_options) error {
	if s.err != nil {
		return s.err
	}
	for _, v := range s.list {
		v := v
		var err error
		if v.isInt {
			err = checked(func() C.hfi_status { return C.hfi_client_options_set_int(o, C.int32_t(v.key), C.int64_t(v.num)) })
		} else {
			err = checked(func() C.hfi_status {
				return C.hfi_client_options_set_str(o, C.int32_t(v.key), cText(v.text), C.size_t(len(v.text)))
			})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// cText and cBytes point C at Go bytes for the duration of one call: hfi copies its inputs, and
// the bytes hold no Go pointer, as cgo requires. Empty input is NULL with length 0.
func cText(s string) *C.char { return cBytes([]byte(s)) }

func cBytes(b []byte) *C.char {
	if len(b) == 0 {
		return nil
	}
	return (*C.char)(unsafe.Pointer(&b[0]))
}

// WithToken sets the access token (an hf_ token or a provider's key). By default hfi reads
// HF_TOKEN and the token files, as huggingface_hub does, and sends such a token only to
// Hugging Face hosts.
func WithToken(token string) Option { return func(s *settings) { s.str(C.HFI_OPT_TOKEN, token) } }

// WithTokenFromEnv(false) stops hfi from looking for a token in the environment and token files.
func WithTokenFromEnv(on bool) Option {
	return func(s *settings) { s.num(C.HFI_OPT_TOKEN_FROM_ENV, boolInt(on)) }
}

// WithRouterURL replaces https://router.huggingface.co (an emulator, a proxy).
func WithRouterURL(url string) Option { return func(s *settings) { s.str(C.HFI_OPT_ROUTER_URL, url) } }

// WithBaseURL sends chat to an OpenAI-compatible server (TGI, vLLM, llama.cpp, a gateway)
// instead of the router.
func WithBaseURL(url string) Option { return func(s *settings) { s.str(C.HFI_OPT_BASE_URL, url) } }

// WithHubURL replaces https://huggingface.co for provider mappings.
func WithHubURL(url string) Option { return func(s *settings) { s.str(C.HFI_OPT_HUB_URL, url) } }

// WithProvider sets the provider policy: a provider name, "fastest", "cheapest" or "auto".
func WithProvider(provider string) Option {
	return func(s *settings) { s.str(C.HFI_OPT_PROVIDER, provider) }
}

// WithProviderKey calls `provider` directly with its own API key, for tasks.
func WithProviderKey(provider, key string) Option {
	return func(s *settings) { s.str(C.HFI_OPT_PROVIDER_KEY, provider+"="+key) }
}

// WithProviderURL reaches `provider` at url (a proxy, a gateway, an emulator) with its own key.
func WithProviderURL(provider, url string) Option {
	return func(s *settings) { s.str(C.HFI_OPT_PROVIDER_URL, provider+"="+url) }
}

// WithTarget adds one tier of chat targets for failover and load balancing, written as hfi's
// HFI_OPT_TARGET: "url-or-provider[; key=K][; weight=W][; model=M] | ...".
func WithTarget(tier string) Option { return func(s *settings) { s.str(C.HFI_OPT_TARGET, tier) } }

// WithHeader adds a header to every request.
func WithHeader(name, value string) Option {
	return func(s *settings) { s.str(C.HFI_OPT_HEADER, name+": "+value) }
}

// WithUserAgent appends text to hfi's User-Agent.
func WithUserAgent(suffix string) Option {
	return func(s *settings) { s.str(C.HFI_OPT_USER_AGENT, "go "+strings.TrimSpace(suffix)) }
}

// WithBillTo bills an organisation (X-HF-Bill-To).
func WithBillTo(org string) Option { return func(s *settings) { s.str(C.HFI_OPT_BILL_TO, org) } }

// WithCABundle trusts the CA certificates of a PEM file instead of the system's.
func WithCABundle(path string) Option { return func(s *settings) { s.str(C.HFI_OPT_CA_BUNDLE, path) } }

// WithProxy sets the proxy URL (default: the usual environment variables).
func WithProxy(url string) Option { return func(s *settings) { s.str(C.HFI_OPT_PROXY, url) } }

// WithTimeout bounds every request as a whole (default: none; a context deadline also does).
func WithTimeout(d time.Duration) Option {
	return func(s *settings) { s.millis(C.HFI_OPT_TIMEOUT_MS, d, "the timeout") }
}

// WithConnectTimeout bounds DNS, TCP and TLS (default 10 s).
func WithConnectTimeout(d time.Duration) Option {
	return func(s *settings) { s.millis(C.HFI_OPT_CONNECT_TIMEOUT_MS, d, "the connect timeout") }
}

// WithStallTimeout fails a request that receives no byte for d (default 120 s; 0 = never).
func WithStallTimeout(d time.Duration) Option {
	return func(s *settings) { s.millis(C.HFI_OPT_STALL_TIMEOUT_MS, d, "the stall timeout") }
}

// WithFirstByteTimeout fails (and retries) a request whose answer does not begin within d.
func WithFirstByteTimeout(d time.Duration) Option {
	return func(s *settings) { s.millis(C.HFI_OPT_FIRST_BYTE_TIMEOUT_MS, d, "the first-byte timeout") }
}

// WithMaxRetries sets how often a retryable failure is tried again (default 2).
func WithMaxRetries(n int) Option {
	return func(s *settings) { s.num(C.HFI_OPT_MAX_RETRIES, int64(n)) }
}

// WithMaxRetryAfter caps the server-requested wait hfi sleeps before a retry (default 60 s).
func WithMaxRetryAfter(d time.Duration) Option {
	return func(s *settings) { s.millis(C.HFI_OPT_MAX_RETRY_AFTER_MS, d, "the longest Retry-After") }
}

// WithMaxRetryTime stops retries and failovers from beginning after d.
func WithMaxRetryTime(d time.Duration) Option {
	return func(s *settings) { s.millis(C.HFI_OPT_MAX_RETRY_TIME_MS, d, "the retry time") }
}

// WithWaitForModel lets hfi wait up to d for a model that is loading (HTTP 503 with an estimate).
func WithWaitForModel(d time.Duration) Option {
	return func(s *settings) { s.millis(C.HFI_OPT_WAIT_FOR_MODEL_MS, d, "the model wait") }
}

// WithBreaker rests a failover target for cooldown after `failures` failures in a row.
func WithBreaker(failures int, cooldown time.Duration) Option {
	return func(s *settings) {
		s.num(C.HFI_OPT_BREAKER_FAILURES, int64(failures))
		s.millis(C.HFI_OPT_BREAKER_COOLDOWN_MS, cooldown, "the breaker cooldown")
	}
}

// WithMappingTTL sets how long a provider mapping fetched from the Hub is reused (default 5 min).
func WithMappingTTL(d time.Duration) Option {
	return func(s *settings) { s.millis(C.HFI_OPT_MAPPING_TTL_MS, d, "the mapping TTL") }
}

// WithMaxResponseBytes caps a response body (default 64 MiB).
func WithMaxResponseBytes(n int64) Option {
	return func(s *settings) { s.num(C.HFI_OPT_MAX_RESPONSE_BYTES, n) }
}

// WithAllowInsecureHTTP(true) allows plain http:// to hosts other than loopback.
func WithAllowInsecureHTTP(on bool) Option {
	return func(s *settings) { s.num(C.HFI_OPT_ALLOW_INSECURE_HTTP, boolInt(on)) }
}

// WithStringOption and WithIntOption set any hfi option by its HFI_OPT_* number, for options
// newer than this binding.
func WithStringOption(key int32, value string) Option {
	return func(s *settings) { s.list = append(s.list, setting{key: key, text: value}) }
}

// WithIntOption: see WithStringOption.
func WithIntOption(key int32, value int64) Option {
	return func(s *settings) { s.list = append(s.list, setting{key: key, num: value, isInt: true}) }
}

func boolInt(on bool) int64 {
	if on {
		return 1
	}
	return 0
}
