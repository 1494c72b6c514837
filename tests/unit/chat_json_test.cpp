#include "protocol/chat_json.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace hfi::json {
namespace {

// ---------------------------------------------------------------------------
// Real streams and responses, copied verbatim from
// ../shared/fixtures/hfjs-tapes/interactions.ndjson (huggingface.js tapes,
// MIT; see fixtures/LICENSE-huggingface.js.txt). Record numbers are the
// `ordinal` field.
// ---------------------------------------------------------------------------

// Record 177: openai (custom endpoint), https://api.openai.com/v1/chat/completions
constexpr std::string_view kOpenAiStream = R"sse(data: {"id":"chatcmpl-Aq09iHSFB9IuAXUpVld5FVn7y7svK","object":"chat.completion.chunk","created":1736957018,"model":"gpt-3.5-turbo-0125","service_tier":"default","system_fingerprint":null,"choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-Aq09iHSFB9IuAXUpVld5FVn7y7svK","object":"chat.completion.chunk","created":1736957018,"model":"gpt-3.5-turbo-0125","service_tier":"default","system_fingerprint":null,"choices":[{"index":0,"delta":{"content":"two"},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-Aq09iHSFB9IuAXUpVld5FVn7y7svK","object":"chat.completion.chunk","created":1736957018,"model":"gpt-3.5-turbo-0125","service_tier":"default","system_fingerprint":null,"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}

data: [DONE]

)sse";

// Record 77: mistral (custom endpoint), https://api.mistral.ai/v1/chat/completions
constexpr std::string_view kMistralStream = R"sse(data: {"id":"2c48de8521dc4ac9a07da37b105db374","object":"chat.completion.chunk","created":1714879341,"model":"mistral-tiny","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null,"logprobs":null}]}

data: {"id":"2c48de8521dc4ac9a07da37b105db374","object":"chat.completion.chunk","created":1714879341,"model":"mistral-tiny","choices":[{"index":0,"delta":{"content":"The"},"finish_reason":null,"logprobs":null}]}

data: {"id":"2c48de8521dc4ac9a07da37b105db374","object":"chat.completion.chunk","created":1714879341,"model":"mistral-tiny","choices":[{"index":0,"delta":{"content":" answer"},"finish_reason":null,"logprobs":null}]}

data: {"id":"2c48de8521dc4ac9a07da37b105db374","object":"chat.completion.chunk","created":1714879341,"model":"mistral-tiny","choices":[{"index":0,"delta":{"content":" to"},"finish_reason":null,"logprobs":null}]}

data: {"id":"2c48de8521dc4ac9a07da37b105db374","object":"chat.completion.chunk","created":1714879341,"model":"mistral-tiny","choices":[{"index":0,"delta":{"content":" the"},"finish_reason":null,"logprobs":null}]}

data: {"id":"2c48de8521dc4ac9a07da37b105db374","object":"chat.completion.chunk","created":1714879341,"model":"mistral-tiny","choices":[{"index":0,"delta":{"content":" equation"},"finish_reason":null,"logprobs":null}]}

data: {"id":"2c48de8521dc4ac9a07da37b105db374","object":"chat.completion.chunk","created":1714879341,"model":"mistral-tiny","choices":[{"index":0,"delta":{"content":" one"},"finish_reason":null,"logprobs":null}]}

data: {"id":"2c48de8521dc4ac9a07da37b105db374","object":"chat.completion.chunk","created":1714879341,"model":"mistral-tiny","choices":[{"index":0,"delta":{"content":" +"},"finish_reason":null,"logprobs":null}]}

data: {"id":"2c48de8521dc4ac9a07da37b105db374","object":"chat.completion.chunk","created":1714879341,"model":"mistral-tiny","choices":[{"index":0,"delta":{"content":" one"},"finish_reason":null,"logprobs":null}]}

data: {"id":"2c48de8521dc4ac9a07da37b105db374","object":"chat.completion.chunk","created":1714879341,"model":"mistral-tiny","choices":[{"index":0,"delta":{"content":" is"},"finish_reason":null,"logprobs":null}]}

data: {"id":"2c48de8521dc4ac9a07da37b105db374","object":"chat.completion.chunk","created":1714879341,"model":"mistral-tiny","choices":[{"index":0,"delta":{"content":" two"},"finish_reason":null,"logprobs":null}]}

data: {"id":"2c48de8521dc4ac9a07da37b105db374","object":"chat.completion.chunk","created":1714879341,"model":"mistral-tiny","choices":[{"index":0,"delta":{"content":"."},"finish_reason":null,"logprobs":null}]}

data: {"id":"2c48de8521dc4ac9a07da37b105db374","object":"chat.completion.chunk","created":1714879341,"model":"mistral-tiny","choices":[{"index":0,"delta":{"content":""},"finish_reason":"stop","logprobs":null}],"usage":{"prompt_tokens":19,"total_tokens":30,"completion_tokens":11}}

data: [DONE]

)sse";

// Record 99: together, https://api.together.xyz/v1/chat/completions
constexpr std::string_view kTogetherStream = R"sse(data: {"id":"8ff411e54b9299ab","object":"chat.completion.chunk","created":1736421960,"choices":[{"index":0,"text":"2","logprobs":null,"finish_reason":null,"seed":null,"delta":{"token_id":17,"role":"assistant","content":"2","tool_calls":null}}],"model":"meta-llama/Llama-3.3-70B-Instruct-Turbo","usage":null}

data: {"id":"8ff411e54b9299ab","object":"chat.completion.chunk","created":1736421960,"choices":[{"index":0,"text":"","logprobs":null,"finish_reason":"eos","seed":9313781139405380000,"delta":{"token_id":128009,"role":"assistant","content":"","tool_calls":null}}],"model":"meta-llama/Llama-3.3-70B-Instruct-Turbo","usage":{"prompt_tokens":48,"completion_tokens":2,"total_tokens":50}}

data: [DONE]

)sse";

// Record 97: sambanova, https://api.sambanova.ai/v1/chat/completions
constexpr std::string_view kSambanovaStream = R"sse(data: {"choices":[{"delta":{"content":"","role":"assistant"},"finish_reason":null,"index":0,"logprobs":null}],"created":1736421953,"id":"362592a1-7092-441d-9060-d54029fa34cc","model":"Meta-Llama-3.1-8B-Instruct","object":"chat.completion.chunk","system_fingerprint":"fastcoe"}

data: {"choices":[{"delta":{"content":"2","role":"assistant"},"finish_reason":null,"index":0,"logprobs":null}],"created":1736421953,"id":"362592a1-7092-441d-9060-d54029fa34cc","model":"Meta-Llama-3.1-8B-Instruct","object":"chat.completion.chunk","system_fingerprint":"fastcoe"}

data: {"choices":[{"delta":{"content":""},"finish_reason":"stop","index":0,"logprobs":null}],"created":1736421953,"id":"362592a1-7092-441d-9060-d54029fa34cc","model":"Meta-Llama-3.1-8B-Instruct","object":"chat.completion.chunk","system_fingerprint":"fastcoe"}

data: [DONE]

)sse";

// Record 302: hyperbolic, https://api.hyperbolic.xyz/v1/chat/completions
constexpr std::string_view kHyperbolicStream = R"sse(data: {"id": "chatcmpl-f0d655c647b046f183f1c55005f7b447", "object": "chat.completion.chunk", "created": 1739565096, "model": "meta-llama/Llama-3.3-70B-Instruct", "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": null, "finish_reason": null}], "usage": {"prompt_tokens": 48, "total_tokens": 49, "completion_tokens": 1}}

data: {"id": "chatcmpl-f0d655c647b046f183f1c55005f7b447", "object": "chat.completion.chunk", "created": 1739565096, "model": "meta-llama/Llama-3.3-70B-Instruct", "choices": [{"index": 0, "delta": {"content": "2"}, "logprobs": null, "finish_reason": null}], "usage": {"prompt_tokens": 48, "total_tokens": 50, "completion_tokens": 2}}

data: {"id": "chatcmpl-f0d655c647b046f183f1c55005f7b447", "object": "chat.completion.chunk", "created": 1739565096, "model": "meta-llama/Llama-3.3-70B-Instruct", "choices": [{"index": 0, "delta": {"content": ""}, "logprobs": null, "finish_reason": "stop", "stop_reason": null}], "usage": {"prompt_tokens": 48, "total_tokens": 51, "completion_tokens": 3}}

data: [DONE]

)sse";

// Record 315: cerebras, https://api.cerebras.ai/v1/chat/completions
constexpr std::string_view kCerebrasStream = R"sse(data: {"id":"chatcmpl-f75a0132-920e-4700-b366-bfe92b75f3d6","choices":[{"delta":{"role":"assistant"},"index":0}],"created":1740751481,"model":"llama3.1-8b","system_fingerprint":"fp_d0e90c449e","object":"chat.completion.chunk"}

data: {"id":"chatcmpl-f75a0132-920e-4700-b366-bfe92b75f3d6","choices":[{"delta":{"content":"This"},"index":0}],"created":1740751481,"model":"llama3.1-8b","system_fingerprint":"fp_d0e90c449e","object":"chat.completion.chunk"}

data: {"id":"chatcmpl-f75a0132-920e-4700-b366-bfe92b75f3d6","choices":[{"delta":{"content":" is"},"index":0}],"created":1740751481,"model":"llama3.1-8b","system_fingerprint":"fp_d0e90c449e","object":"chat.completion.chunk"}

data: {"id":"chatcmpl-f75a0132-920e-4700-b366-bfe92b75f3d6","choices":[{"delta":{"content":" a"},"index":0}],"created":1740751481,"model":"llama3.1-8b","system_fingerprint":"fp_d0e90c449e","object":"chat.completion.chunk"}

data: {"id":"chatcmpl-f75a0132-920e-4700-b366-bfe92b75f3d6","choices":[{"delta":{"content":" test"},"index":0}],"created":1740751481,"model":"llama3.1-8b","system_fingerprint":"fp_d0e90c449e","object":"chat.completion.chunk"}

data: {"id":"chatcmpl-f75a0132-920e-4700-b366-bfe92b75f3d6","choices":[{"delta":{"content":"."},"index":0}],"created":1740751481,"model":"llama3.1-8b","system_fingerprint":"fp_d0e90c449e","object":"chat.completion.chunk"}

data: {"id":"chatcmpl-f75a0132-920e-4700-b366-bfe92b75f3d6","choices":[{"delta":{},"index":0}],"created":1740751481,"model":"llama3.1-8b","system_fingerprint":"fp_d0e90c449e","object":"chat.completion.chunk"}

data: {"id":"chatcmpl-f75a0132-920e-4700-b366-bfe92b75f3d6","choices":[{"delta":{},"finish_reason":"stop","index":0}],"created":1740751481,"model":"llama3.1-8b","system_fingerprint":"fp_d0e90c449e","object":"chat.completion.chunk","usage":{"prompt_tokens":42,"completion_tokens":6,"total_tokens":48},"time_info":{"queue_time":0.000093189,"prompt_time":0.002155987,"completion_time":0.002688504,"total_time":0.0070416927337646484,"created":1740751481}}")sse";

// Record 312: cohere, https://api.cohere.com/compatibility/v1/chat/completions
constexpr std::string_view kCohereStream = R"sse(data: {"id":"3178eb0c-d523-4504-bb82-01b8f02da6da","choices":[{"index":0,"finish_reason":null,"delta":{"content":"","role":"assistant"}}],"created":1740652112,"model":"command-r7b-12-2024","object":"chat.completion.chunk"}

data: {"id":"3178eb0c-d523-4504-bb82-01b8f02da6da","choices":[{"index":0,"finish_reason":null,"delta":{"content":"This"}}],"created":1740652112,"model":"command-r7b-12-2024","object":"chat.completion.chunk"}

data: {"id":"3178eb0c-d523-4504-bb82-01b8f02da6da","choices":[{"index":0,"finish_reason":null,"delta":{"content":" is"}}],"created":1740652112,"model":"command-r7b-12-2024","object":"chat.completion.chunk"}

data: {"id":"3178eb0c-d523-4504-bb82-01b8f02da6da","choices":[{"index":0,"finish_reason":null,"delta":{"content":" a"}}],"created":1740652112,"model":"command-r7b-12-2024","object":"chat.completion.chunk"}

data: {"id":"3178eb0c-d523-4504-bb82-01b8f02da6da","choices":[{"index":0,"finish_reason":null,"delta":{"content":" test"}}],"created":1740652112,"model":"command-r7b-12-2024","object":"chat.completion.chunk"}

data: {"id":"3178eb0c-d523-4504-bb82-01b8f02da6da","choices":[{"index":0,"finish_reason":null,"delta":{"content":"."}}],"created":1740652112,"model":"command-r7b-12-2024","object":"chat.completion.chunk"}

data: {"id":"3178eb0c-d523-4504-bb82-01b8f02da6da","choices":[{"index":0,"finish_reason":"stop","delta":{}}],"created":1740652112,"model":"command-r7b-12-2024","object":"chat.completion.chunk","usage":{"prompt_tokens":7,"completion_tokens":5,"total_tokens":12}}

data: [DONE]

)sse";

// Record 291: novita, https://api.novita.ai/v3/openai/chat/completions
constexpr std::string_view kNovitaStream = R"sse(data: {"id":"chatcmpl-bbc4b318e99b4e33ab8dd76fb3fccf9c","object":"chat.completion.chunk","created":1739366554,"model":"meta-llama/llama-3.1-8b-instruct","choices":[{"index":0,"delta":{"role":"assistant"},"finish_reason":null,"content_filter_results":{"hate":{"filtered":false},"self_harm":{"filtered":false},"sexual":{"filtered":false},"violence":{"filtered":false},"jailbreak":{"filtered":false,"detected":false},"profanity":{"filtered":false,"detected":false}}}],"system_fingerprint":""}

data: {"id":"chatcmpl-bbc4b318e99b4e33ab8dd76fb3fccf9c","object":"chat.completion.chunk","created":1739366554,"model":"meta-llama/llama-3.1-8b-instruct","choices":[{"index":0,"delta":{},"finish_reason":null,"content_filter_results":{"hate":{"filtered":false},"self_harm":{"filtered":false},"sexual":{"filtered":false},"violence":{"filtered":false},"jailbreak":{"filtered":false,"detected":false},"profanity":{"filtered":false,"detected":false}}}],"system_fingerprint":""}

data: {"id":"chatcmpl-bbc4b318e99b4e33ab8dd76fb3fccf9c","object":"chat.completion.chunk","created":1739366554,"model":"meta-llama/llama-3.1-8b-instruct","choices":[{"index":0,"delta":{},"finish_reason":null,"content_filter_results":{"hate":{"filtered":false},"self_harm":{"filtered":false},"sexual":{"filtered":false},"violence":{"filtered":false},"jailbreak":{"filtered":false,"detected":false},"profanity":{"filtered":false,"detected":false}}}],"system_fingerprint":""}

data: {"id":"chatcmpl-bbc4b318e99b4e33ab8dd76fb3fccf9c","object":"chat.completion.chunk","created":1739366554,"model":"meta-llama/llama-3.1-8b-instruct","choices":[{"index":0,"delta":{},"finish_reason":null,"content_filter_results":{"hate":{"filtered":false},"self_harm":{"filtered":false},"sexual":{"filtered":false},"violence":{"filtered":false},"jailbreak":{"filtered":false,"detected":false},"profanity":{"filtered":false,"detected":false}}}],"system_fingerprint":""}

data: {"id":"chatcmpl-bbc4b318e99b4e33ab8dd76fb3fccf9c","object":"chat.completion.chunk","created":1739366554,"model":"meta-llama/llama-3.1-8b-instruct","choices":[{"index":0,"delta":{},"finish_reason":null,"content_filter_results":{"hate":{"filtered":false},"self_harm":{"filtered":false},"sexual":{"filtered":false},"violence":{"filtered":false},"jailbreak":{"filtered":false,"detected":false},"profanity":{"filtered":false,"detected":false}}}],"system_fingerprint":""}

data: {"id":"chatcmpl-bbc4b318e99b4e33ab8dd76fb3fccf9c","object":"chat.completion.chunk","created":1739366554,"model":"meta-llama/llama-3.1-8b-instruct","choices":[{"index":0,"delta":{"content":"T"},"finish_reason":null,"content_filter_results":{"hate":{"filtered":false},"self_harm":{"filtered":false},"sexual":{"filtered":false},"violence":{"filtered":false},"jailbreak":{"filtered":false,"detected":false},"profanity":{"filtered":false,"detected":false}}}],"system_fingerprint":""}

data: {"id":"chatcmpl-bbc4b318e99b4e33ab8dd76fb3fccf9c","object":"chat.completion.chunk","created":1739366554,"model":"meta-llama/llama-3.1-8b-instruct","choices":[{"index":0,"delta":{"content":"his is only a test"},"finish_reason":"stop","content_filter_results":{"hate":{"filtered":false},"self_harm":{"filtered":false},"sexual":{"filtered":false},"violence":{"filtered":false},"jailbreak":{"filtered":false,"detected":false},"profanity":{"filtered":false,"detected":false}}}],"system_fingerprint":""}

data: [DONE]

)sse";

// Record 285: nebius, https://api.studio.nebius.ai/v1/chat/completions
constexpr std::string_view kNebiusStream = R"sse(data: {"id":"chatcmpl-2ef2941399e74965a2705410b42b4a3f","choices":[{"delta":{"content":"","role":"assistant"},"finish_reason":null,"index":0,"logprobs":null}],"created":1738968734,"model":"meta-llama/Meta-Llama-3.1-70B-Instruct","object":"chat.completion.chunk"}

data: {"id":"chatcmpl-2ef2941399e74965a2705410b42b4a3f","choices":[{"delta":{"content":"2"},"finish_reason":null,"index":0,"logprobs":null}],"created":1738968734,"model":"meta-llama/Meta-Llama-3.1-70B-Instruct","object":"chat.completion.chunk"}

data: {"id":"chatcmpl-2ef2941399e74965a2705410b42b4a3f","choices":[{"delta":{"content":"."},"finish_reason":null,"index":0,"logprobs":null}],"created":1738968734,"model":"meta-llama/Meta-Llama-3.1-70B-Instruct","object":"chat.completion.chunk"}

data: {"id":"chatcmpl-2ef2941399e74965a2705410b42b4a3f","choices":[{"delta":{"content":""},"finish_reason":"stop","index":0,"logprobs":null,"stop_reason":null}],"created":1738968734,"model":"meta-llama/Meta-Llama-3.1-70B-Instruct","object":"chat.completion.chunk"}

data: [DONE]

)sse";

// Record 167: hf-inference, https://router.huggingface.co/hf-inference/models/mistralai/Mistral-7B-Instruct-v0.2/v1/chat/completions
constexpr std::string_view kHfTgiStream = R"sse(data: {"object":"chat.completion.chunk","id":"","created":1736953800,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"3.0.1-sha-bb9095a","choices":[{"index":0,"delta":{"role":"assistant","content":" The"},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"object":"chat.completion.chunk","id":"","created":1736953800,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"3.0.1-sha-bb9095a","choices":[{"index":0,"delta":{"role":"assistant","content":" answer"},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"object":"chat.completion.chunk","id":"","created":1736953800,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"3.0.1-sha-bb9095a","choices":[{"index":0,"delta":{"role":"assistant","content":" to"},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"object":"chat.completion.chunk","id":"","created":1736953800,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"3.0.1-sha-bb9095a","choices":[{"index":0,"delta":{"role":"assistant","content":" the"},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"object":"chat.completion.chunk","id":"","created":1736953800,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"3.0.1-sha-bb9095a","choices":[{"index":0,"delta":{"role":"assistant","content":" equation"},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"object":"chat.completion.chunk","id":"","created":1736953800,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"3.0.1-sha-bb9095a","choices":[{"index":0,"delta":{"role":"assistant","content":" "},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"object":"chat.completion.chunk","id":"","created":1736953800,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"3.0.1-sha-bb9095a","choices":[{"index":0,"delta":{"role":"assistant","content":"1"},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"object":"chat.completion.chunk","id":"","created":1736953800,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"3.0.1-sha-bb9095a","choices":[{"index":0,"delta":{"role":"assistant","content":" +"},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"object":"chat.completion.chunk","id":"","created":1736953800,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"3.0.1-sha-bb9095a","choices":[{"index":0,"delta":{"role":"assistant","content":" "},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"object":"chat.completion.chunk","id":"","created":1736953800,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"3.0.1-sha-bb9095a","choices":[{"index":0,"delta":{"role":"assistant","content":"1"},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"object":"chat.completion.chunk","id":"","created":1736953800,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"3.0.1-sha-bb9095a","choices":[{"index":0,"delta":{"role":"assistant","content":" is"},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"object":"chat.completion.chunk","id":"","created":1736953800,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"3.0.1-sha-bb9095a","choices":[{"index":0,"delta":{"role":"assistant","content":" "},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"object":"chat.completion.chunk","id":"","created":1736953800,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"3.0.1-sha-bb9095a","choices":[{"index":0,"delta":{"role":"assistant","content":"2"},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"object":"chat.completion.chunk","id":"","created":1736953800,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"3.0.1-sha-bb9095a","choices":[{"index":0,"delta":{"role":"assistant","content":"."},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"object":"chat.completion.chunk","id":"","created":1736953800,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"3.0.1-sha-bb9095a","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":"stop"}],"usage":null}

data: [DONE]

)sse";

// Record 67: hf-inference, https://router.huggingface.co/hf-inference/models/mistralai/Mistral-7B-Instruct-v0.2/v1/chat/completions
constexpr std::string_view kTgiLegacyStream = R"sse(data:{"id":"","object":"text_completion","created":1714681500,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"2.0.1-sha-2d0a717","choices":[{"index":0,"delta":{"role":"assistant","content":" The"},"logprobs":null,"finish_reason":null}]}

data:{"id":"","object":"text_completion","created":1714681500,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"2.0.1-sha-2d0a717","choices":[{"index":0,"delta":{"role":"assistant","content":" answer"},"logprobs":null,"finish_reason":null}]}

data:{"id":"","object":"text_completion","created":1714681500,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"2.0.1-sha-2d0a717","choices":[{"index":0,"delta":{"role":"assistant","content":" to"},"logprobs":null,"finish_reason":null}]}

data:{"id":"","object":"text_completion","created":1714681500,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"2.0.1-sha-2d0a717","choices":[{"index":0,"delta":{"role":"assistant","content":" the"},"logprobs":null,"finish_reason":null}]}

data:{"id":"","object":"text_completion","created":1714681500,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"2.0.1-sha-2d0a717","choices":[{"index":0,"delta":{"role":"assistant","content":" equation"},"logprobs":null,"finish_reason":null}]}

data:{"id":"","object":"text_completion","created":1714681500,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"2.0.1-sha-2d0a717","choices":[{"index":0,"delta":{"role":"assistant","content":" "},"logprobs":null,"finish_reason":null}]}

data:{"id":"","object":"text_completion","created":1714681500,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"2.0.1-sha-2d0a717","choices":[{"index":0,"delta":{"role":"assistant","content":"1"},"logprobs":null,"finish_reason":null}]}

data:{"id":"","object":"text_completion","created":1714681500,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"2.0.1-sha-2d0a717","choices":[{"index":0,"delta":{"role":"assistant","content":" +"},"logprobs":null,"finish_reason":null}]}

data:{"id":"","object":"text_completion","created":1714681500,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"2.0.1-sha-2d0a717","choices":[{"index":0,"delta":{"role":"assistant","content":" "},"logprobs":null,"finish_reason":null}]}

data:{"id":"","object":"text_completion","created":1714681500,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"2.0.1-sha-2d0a717","choices":[{"index":0,"delta":{"role":"assistant","content":"1"},"logprobs":null,"finish_reason":null}]}

data:{"id":"","object":"text_completion","created":1714681500,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"2.0.1-sha-2d0a717","choices":[{"index":0,"delta":{"role":"assistant","content":" is"},"logprobs":null,"finish_reason":null}]}

data:{"id":"","object":"text_completion","created":1714681500,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"2.0.1-sha-2d0a717","choices":[{"index":0,"delta":{"role":"assistant","content":" "},"logprobs":null,"finish_reason":null}]}

data:{"id":"","object":"text_completion","created":1714681500,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"2.0.1-sha-2d0a717","choices":[{"index":0,"delta":{"role":"assistant","content":"2"},"logprobs":null,"finish_reason":null}]}

data:{"id":"","object":"text_completion","created":1714681500,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"2.0.1-sha-2d0a717","choices":[{"index":0,"delta":{"role":"assistant","content":"."},"logprobs":null,"finish_reason":null}]}

data:{"id":"","object":"text_completion","created":1714681500,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"2.0.1-sha-2d0a717","choices":[{"index":0,"delta":{"role":"assistant","content":"</s>"},"logprobs":null,"finish_reason":"eos_token"}]}

)sse";

// Record 37: hf-inference, https://router.huggingface.co/hf-inference/models/OpenAssistant/oasst-sft-4-pythia-12b-epoch-3.5
constexpr std::string_view kTgiErrorStreamNoSpace = R"sse(data:{"error":"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 17 `inputs` tokens and 10000 `max_new_tokens`","error_type":"validation"}

)sse";

// Record 186: hf-inference, https://router.huggingface.co/hf-inference/models/meta-llama/Llama-3.2-3B
constexpr std::string_view kTgiErrorStream = R"sse(data: {"error":"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 17 `inputs` tokens and 10000 `max_new_tokens`","error_type":"validation"}

)sse";

// Record 166: hf-inference
constexpr std::string_view kHfChatBody = R"json({"object":"chat.completion","id":"","created":1736953799,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"3.0.1-sha-bb9095a","choices":[{"index":0,"message":{"role":"assistant","content":" One plus one is equal to two."},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":20,"completion_tokens":9,"total_tokens":29}})json";

// Record 65: hf-inference
constexpr std::string_view kTgiLegacyChatBody = R"json({"id":"","object":"text_completion","created":1714681500,"model":"mistralai/Mistral-7B-Instruct-v0.2","system_fingerprint":"2.0.1-sha-2d0a717","choices":[{"index":0,"message":{"role":"assistant","content":" to two. One plus one is equal to two."},"logprobs":null,"finish_reason":"eos_token"}],"usage":{"prompt_tokens":21,"completion_tokens":12,"total_tokens":33}})json";

// Record 98: sambanova
constexpr std::string_view kSambanovaChatBody = R"json({"choices":[{"finish_reason":"stop","index":0,"logprobs":null,"message":{"content":"two.","role":"assistant"}}],"created":1736421953,"id":"4775a55a-47f9-4f95-80b1-40cf0fea22dd","model":"Meta-Llama-3.1-8B-Instruct","object":"chat.completion","system_fingerprint":"fastcoe","usage":{"completion_tokens":2,"completion_tokens_after_first_per_sec":46.71705594724942,"completion_tokens_after_first_per_sec_first_ten":0,"completion_tokens_per_sec":41.28231652403285,"end_time":1736421953.7856479,"is_last_response":true,"prompt_tokens":46,"start_time":1736421953.737201,"time_to_first_token":0.02704143524169922,"total_latency":0.0484468936920166,"total_tokens":48,"total_tokens_per_sec":990.7755965767885}})json";

// Record 100: together
constexpr std::string_view kTogetherChatBody = R"json({"id":"8ff411e54b88f1a4","object":"chat.completion","created":1736421960,"model":"meta-llama/Llama-3.3-70B-Instruct-Turbo","prompt":[],"choices":[{"finish_reason":"eos","seed":14663482367758619000,"logprobs":null,"index":0,"message":{"role":"assistant","content":"one plus one is equal to two.","tool_calls":[]}}],"usage":{"prompt_tokens":46,"completion_tokens":9,"total_tokens":55}})json";

// Record 284: nebius
constexpr std::string_view kNebiusChatBody = R"json({"id":"chatcmpl-89392f51529b4d1c82c3d58b210735c5","choices":[{"finish_reason":"stop","index":0,"logprobs":null,"message":{"content":"Two","refusal":null,"role":"assistant","audio":null,"function_call":null,"tool_calls":[]},"stop_reason":null}],"created":1738968734,"model":"meta-llama/Meta-Llama-3.1-8B-Instruct","object":"chat.completion","service_tier":null,"system_fingerprint":null,"usage":{"completion_tokens":2,"prompt_tokens":21,"total_tokens":23,"completion_tokens_details":null,"prompt_tokens_details":null},"prompt_logprobs":null})json";

// Record 311: openai (custom endpoint)
constexpr std::string_view kOpenAiChatBody = R"json({"id":"chatcmpl-B5Ybe7M1V7N9aqQtrjTGfSWGebrrb","object":"chat.completion","created":1740664366,"model":"gpt-3.5-turbo-0125","choices":[{"index":0,"message":{"role":"assistant","content":"to two.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":4,"total_tokens":23,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":null})json";

// Record 313: cohere
constexpr std::string_view kCohereChatBody = R"json({"id":"f8bf661b-c600-44e5-8412-df37c9dcd985","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"One plus one is equal to two."}}],"created":1740652112,"model":"command-r7b-12-2024","object":"chat.completion","usage":{"prompt_tokens":11,"completion_tokens":8,"total_tokens":19}})json";

// Record 314: cerebras
constexpr std::string_view kCerebrasChatBody = R"json({"id":"chatcmpl-081dc230-a18f-4c4a-b2b0-efe6a5d8767d","choices":[{"finish_reason":"stop","index":0,"message":{"content":"two.","role":"assistant"}}],"created":1740721365,"model":"llama3.1-8b","system_fingerprint":"fp_d0e90c449e","object":"chat.completion","usage":{"prompt_tokens":46,"completion_tokens":3,"total_tokens":49},"time_info":{"queue_time":0.000080831,"prompt_time":0.002364294,"completion_time":0.001345785,"total_time":0.005622386932373047,"created":1740721365}})json";

// Record 305: hyperbolic
constexpr std::string_view kHyperbolicChatBody = R"json({"id":"chatcmpl-a583deb706944d9796d405f87cb28c8c","object":"chat.completion","created":1739528712,"model":"meta-llama/Meta-Llama-3.1-405B-Instruct","choices":[{"index":0,"message":{"role":"assistant","content":"...the capital and most populous city of France, known for its stunning architecture, art museums, fashion, and romantic atmosphere. It's often called the \"City of Light\" (La Ville Lumière) and is famous for its iconic landmarks such as the Eiffel Tower, Notre-Dame Cathedral, and the Louvre Museum."},"finish_reason":"stop","logprobs":null}],"usage":{"prompt_tokens":37,"total_tokens":105,"completion_tokens":68}})json";

// Record 290: novita
constexpr std::string_view kNovitaChatBody = R"json({"id":"chatcmpl-1266fc7405294c57ac180da9ee3f5e31","object":"chat.completion","created":1739366554,"model":"meta-llama/llama-3.1-8b-instruct","choices":[{"index":0,"message":{"role":"assistant","content":"to two."},"finish_reason":"stop","content_filter_results":{"hate":{"filtered":false},"self_harm":{"filtered":false},"sexual":{"filtered":false},"violence":{"filtered":false},"jailbreak":{"filtered":false,"detected":false},"profanity":{"filtered":false,"detected":false}}}],"usage":{"prompt_tokens":46,"completion_tokens":4,"total_tokens":50,"prompt_tokens_details":null,"completion_tokens_details":null},"system_fingerprint":""})json";

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

// The data payloads of a recorded SSE body (test-only framing: one data line
// per event, optional space after the colon, [DONE] dropped).
std::vector<std::string> data_payloads(std::string_view body) {
  std::vector<std::string> payloads;
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.substr(0, 5) != "data:") continue;
    line.remove_prefix(5);
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (line == "[DONE]") continue;
    payloads.emplace_back(line);
  }
  return payloads;
}

// A payload followed by SIMDJSON_PADDING bytes that are deliberately not
// JSON, as the SSE layer hands them over.
class Padded {
 public:
  explicit Padded(std::string_view payload) : storage_(payload) {
    storage_.append(simdjson::SIMDJSON_PADDING, '\xff');
  }
  std::string_view view() const { return std::string_view(storage_).substr(0, storage_.size() - simdjson::SIMDJSON_PADDING); }

 private:
  std::string storage_;
};

// Every field of a view as text, so two parses can be compared in one go.
std::string describe(const ChunkView& view) {
  std::string out;
  auto field = [&](const char* name, std::string_view value) {
    out += name;
    out += "=[";
    out += value;
    out += "] ";
  };
  field("id", view.id);
  field("model", view.model);
  field("object", view.object);
  for (const ChoiceDelta& choice : view.choices) {
    out += "choice#" + std::to_string(choice.index) + " ";
    field("content", choice.content);
    field("reasoning", choice.reasoning);
    field("role", choice.role);
    field("finish", choice.finish_reason);
    for (const ToolCallDelta& call : choice.tool_calls) {
      out += "call#" + std::to_string(call.index) + " ";
      field("id", call.id);
      field("type", call.type);
      field("name", call.name);
      field("args", call.arguments);
    }
  }
  if (view.usage.present) {
    out += "usage=" + std::to_string(view.usage.prompt_tokens) + "/" + std::to_string(view.usage.completion_tokens) +
           "/" + std::to_string(view.usage.total_tokens) + " ";
  }
  if (view.is_error) {
    out += "error ";
    field("message", view.error_message);
    field("type", view.error_type);
    field("code", view.error_code);
  }
  return out;
}

struct StreamOutcome {
  ChatResult result;
  size_t parsed = 0;
  size_t rejected = 0;
  std::vector<std::string> descriptions;  // one per payload ("<rejected>" when parse failed)
};

StreamOutcome run_stream(std::string_view sse_body, bool padded) {
  StreamOutcome outcome;
  ChunkParser parser;
  ChunkView view;  // reused across chunks, as the engine does
  for (const std::string& payload : data_payloads(sse_body)) {
    const Padded copy(payload);
    const bool good = padded ? parser.parse(copy.view(), true, view) : parser.parse(payload, false, view);
    if (!good) {
      ++outcome.rejected;
      outcome.descriptions.push_back("<rejected>");
      continue;
    }
    ++outcome.parsed;
    outcome.descriptions.push_back(describe(view));
    EXPECT_TRUE(accumulate_chunk(view, outcome.result));
  }
  return outcome;
}

// Parses one payload through the unpadded path and returns the view.
class OneChunk {
 public:
  explicit OneChunk(std::string_view payload) : ok_(parser_.parse(payload, false, view_)) {}
  bool ok() const { return ok_; }
  const ChunkView& view() const { return view_; }
  const ChoiceDelta& choice(size_t i = 0) const { return view_.choices.at(i); }

 private:
  ChunkParser parser_;
  ChunkView view_;
  bool ok_;
};

simdjson::dom::element parse_dom(simdjson::dom::parser& parser, const std::string& json) {
  simdjson::dom::element element;
  EXPECT_EQ(parser.parse(json).get(element), simdjson::SUCCESS) << json;
  return element;
}

std::string dom_string(simdjson::dom::element element, const char* pointer) {
  std::string_view text;
  EXPECT_EQ(element.at_pointer(pointer).get_string().get(text), simdjson::SUCCESS) << pointer;
  return std::string(text);
}

int64_t dom_int(simdjson::dom::element element, const char* pointer) {
  int64_t value = 0;
  EXPECT_EQ(element.at_pointer(pointer).get_int64().get(value), simdjson::SUCCESS) << pointer;
  return value;
}

bool dom_is_null(simdjson::dom::element element, const char* pointer) {
  simdjson::dom::element value;
  return element.at_pointer(pointer).get(value) == simdjson::SUCCESS && value.is_null();
}

bool dom_has(simdjson::dom::element element, const char* pointer) {
  simdjson::dom::element value;
  return element.at_pointer(pointer).get(value) == simdjson::SUCCESS;
}

// ---------------------------------------------------------------------------
// Real streams: every payload parses, pieces add up to the recorded answer
// ---------------------------------------------------------------------------

struct StreamCase {
  const char* name;
  std::string_view body;
  size_t chunks;
  const char* content;
  const char* finish_reason;
  const char* id;
  const char* model;
  int64_t prompt_tokens, completion_tokens, total_tokens;  // -1: no usage in the stream
};

class RecordedStream : public ::testing::TestWithParam<StreamCase> {};

TEST_P(RecordedStream, AccumulatesContentFinishAndUsage) {
  const StreamCase& c = GetParam();
  for (const bool padded : {false, true}) {
    SCOPED_TRACE(padded ? "padded" : "unpadded");
    const StreamOutcome outcome = run_stream(c.body, padded);
    EXPECT_EQ(outcome.rejected, 0u);
    EXPECT_EQ(outcome.parsed, c.chunks);
    EXPECT_EQ(outcome.result.content, c.content);
    EXPECT_EQ(outcome.result.finish_reason, c.finish_reason);
    EXPECT_EQ(outcome.result.id, c.id);
    EXPECT_EQ(outcome.result.model, c.model);
    EXPECT_EQ(outcome.result.choice_count, 1);
    EXPECT_TRUE(outcome.result.tool_calls.empty());
    EXPECT_TRUE(outcome.result.reasoning.empty());
    EXPECT_EQ(outcome.result.usage.present, c.prompt_tokens >= 0);
    EXPECT_EQ(outcome.result.usage.prompt_tokens, c.prompt_tokens);
    EXPECT_EQ(outcome.result.usage.completion_tokens, c.completion_tokens);
    EXPECT_EQ(outcome.result.usage.total_tokens, c.total_tokens);
  }
}

TEST_P(RecordedStream, WithoutIdentityOnlyIdModelAndObjectAreLeftOut) {
  ChunkParser full_parser, lean_parser;
  ChunkView full, lean;
  for (const std::string& payload : data_payloads(GetParam().body)) {
    const Padded copy(payload);
    const bool parsed = full_parser.parse(copy.view(), true, full);
    ASSERT_EQ(lean_parser.parse(copy.view(), true, lean, ParseOptions{false}), parsed) << payload;
    if (!parsed) continue;
    EXPECT_EQ(lean.id, "");
    EXPECT_EQ(lean.model, "");
    EXPECT_EQ(lean.object, "");
    ChunkView expected = full;
    expected.id = {};
    expected.model = {};
    expected.object = {};
    EXPECT_EQ(describe(lean), describe(expected)) << payload;
  }
}

TEST_P(RecordedStream, PaddedAndUnpaddedPathsAgreeChunkByChunk) {
  const StreamOutcome unpadded = run_stream(GetParam().body, false);
  const StreamOutcome padded = run_stream(GetParam().body, true);
  EXPECT_EQ(unpadded.descriptions, padded.descriptions);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, RecordedStream,
    ::testing::Values(
        StreamCase{"openai", kOpenAiStream, 3, "two", "stop", "chatcmpl-Aq09iHSFB9IuAXUpVld5FVn7y7svK",
                   "gpt-3.5-turbo-0125", -1, -1, -1},
        StreamCase{"mistral", kMistralStream, 13, "The answer to the equation one + one is two.", "stop",
                   "2c48de8521dc4ac9a07da37b105db374", "mistral-tiny", 19, 11, 30},
        StreamCase{"together", kTogetherStream, 2, "2", "eos", "8ff411e54b9299ab",
                   "meta-llama/Llama-3.3-70B-Instruct-Turbo", 48, 2, 50},
        StreamCase{"sambanova", kSambanovaStream, 3, "2", "stop", "362592a1-7092-441d-9060-d54029fa34cc",
                   "Meta-Llama-3.1-8B-Instruct", -1, -1, -1},
        StreamCase{"hyperbolic_pretty_printed", kHyperbolicStream, 3, "2", "stop",
                   "chatcmpl-f0d655c647b046f183f1c55005f7b447", "meta-llama/Llama-3.3-70B-Instruct", 48, 3, 51},
        StreamCase{"cohere", kCohereStream, 7, "This is a test.", "stop", "3178eb0c-d523-4504-bb82-01b8f02da6da",
                   "command-r7b-12-2024", 7, 5, 12},
        StreamCase{"novita", kNovitaStream, 7, "This is only a test", "stop",
                   "chatcmpl-bbc4b318e99b4e33ab8dd76fb3fccf9c", "meta-llama/llama-3.1-8b-instruct", -1, -1, -1},
        StreamCase{"nebius", kNebiusStream, 4, "2.", "stop", "chatcmpl-2ef2941399e74965a2705410b42b4a3f",
                   "meta-llama/Meta-Llama-3.1-70B-Instruct", -1, -1, -1},
        StreamCase{"hf_tgi", kHfTgiStream, 15, " The answer to the equation 1 + 1 is 2.", "stop", "",
                   "mistralai/Mistral-7B-Instruct-v0.2", -1, -1, -1},
        StreamCase{"tgi_legacy_text_completion", kTgiLegacyStream, 15,
                   " The answer to the equation 1 + 1 is 2.</s>", "eos_token", "",
                   "mistralai/Mistral-7B-Instruct-v0.2", -1, -1, -1}),
    [](const ::testing::TestParamInfo<StreamCase>& info) { return std::string(info.param.name); });

TEST(RecordedStreamDetails, OpenAiFirstChunkHasRoleLaterChunksDoNot) {
  const std::vector<std::string> payloads = data_payloads(kOpenAiStream);
  ASSERT_EQ(payloads.size(), 3u);
  ChunkParser parser;
  ChunkView view;
  ASSERT_TRUE(parser.parse(payloads[0], false, view));
  EXPECT_EQ(view.object, "chat.completion.chunk");
  ASSERT_EQ(view.choices.size(), 1u);
  EXPECT_EQ(view.choices[0].role, "assistant");
  EXPECT_EQ(view.choices[0].content, "");
  EXPECT_EQ(view.choices[0].finish_reason, "");  // null
  EXPECT_FALSE(view.usage.present);
  ASSERT_TRUE(parser.parse(payloads[1], false, view));
  EXPECT_EQ(view.choices[0].role, "");
  EXPECT_EQ(view.choices[0].content, "two");
  ASSERT_TRUE(parser.parse(payloads[2], false, view));  // "delta":{}
  EXPECT_EQ(view.choices[0].content, "");
  EXPECT_EQ(view.choices[0].finish_reason, "stop");
}

TEST(RecordedStreamDetails, TogetherUsageNullIsAbsentAndToolCallsNullIsEmpty) {
  const std::vector<std::string> payloads = data_payloads(kTogetherStream);
  ASSERT_EQ(payloads.size(), 2u);
  const OneChunk first(payloads[0]);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first.view().usage.present);
  EXPECT_EQ(first.view().usage.prompt_tokens, -1);
  EXPECT_TRUE(first.choice().tool_calls.empty());
  EXPECT_EQ(first.choice().content, "2");
  EXPECT_EQ(first.choice().role, "assistant");
  const OneChunk last(payloads[1]);
  ASSERT_TRUE(last.ok());
  EXPECT_TRUE(last.view().usage.present);
  EXPECT_EQ(last.view().usage.total_tokens, 50);
  EXPECT_EQ(last.choice().finish_reason, "eos");
}

TEST(RecordedStreamDetails, TgiLegacyChunkKeepsItsObjectAndEmptyId) {
  const OneChunk chunk(data_payloads(kTgiLegacyStream).front());
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk.view().object, "text_completion");
  EXPECT_EQ(chunk.view().id, "");
  EXPECT_EQ(chunk.choice().content, " The");
  EXPECT_FALSE(chunk.view().is_error);
}

TEST(RecordedStreamDetails, CerebrasStrayQuoteOnLastLineIsRejectedNotFatal) {
  const std::vector<std::string> payloads = data_payloads(kCerebrasStream);
  ASSERT_EQ(payloads.size(), 8u);
  for (const bool padded : {false, true}) {
    const StreamOutcome outcome = run_stream(kCerebrasStream, padded);
    EXPECT_EQ(outcome.parsed, 7u);
    EXPECT_EQ(outcome.rejected, 1u);
    EXPECT_EQ(outcome.descriptions.back(), "<rejected>");
    EXPECT_EQ(outcome.result.content, "This is a test.");
    EXPECT_EQ(outcome.result.finish_reason, "");  // it was on the broken line
  }
  // Without the stray quote the last chunk carries finish_reason and usage
  // next to cerebras' extra time_info member.
  std::string last = payloads.back();
  ASSERT_EQ(last.back(), '"');
  last.pop_back();
  const OneChunk chunk(last);
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk.choice().finish_reason, "stop");
  EXPECT_EQ(chunk.view().usage.prompt_tokens, 42);
  EXPECT_EQ(chunk.view().usage.completion_tokens, 6);
  EXPECT_EQ(chunk.view().usage.total_tokens, 48);
}

TEST(RecordedStreamDetails, HyperbolicSendsUsageInEveryChunkAndTheLastWins) {
  const std::vector<std::string> payloads = data_payloads(kHyperbolicStream);
  const OneChunk first(payloads[0]);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.view().usage.total_tokens, 49);
  EXPECT_EQ(run_stream(kHyperbolicStream, false).result.usage.completion_tokens, 3);
}

TEST(RecordedStreamDetails, NovitaRoleOnlyDeltaAndEmptyDeltas) {
  const std::vector<std::string> payloads = data_payloads(kNovitaStream);
  const OneChunk first(payloads[0]);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.choice().role, "assistant");
  EXPECT_EQ(first.choice().content, "");
  const OneChunk second(payloads[1]);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second.view().choices.size(), 1u);
  EXPECT_EQ(second.choice().content, "");
}

TEST(RecordedStreamDetails, CohereChoiceWithoutLogprobsAndFinishBeforeDelta) {
  const std::vector<std::string> payloads = data_payloads(kCohereStream);
  const OneChunk last(payloads.back());
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last.choice().finish_reason, "stop");
  EXPECT_EQ(last.choice().content, "");
  EXPECT_EQ(last.view().usage.total_tokens, 12);
}

TEST(RecordedErrorEvents, TgiValidationErrorWithAndWithoutSpace) {
  const char* expected =
      "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 17 `inputs` tokens and "
      "10000 `max_new_tokens`";
  for (std::string_view body : {kTgiErrorStreamNoSpace, kTgiErrorStream}) {
    const std::vector<std::string> payloads = data_payloads(body);
    ASSERT_EQ(payloads.size(), 1u);
    for (const bool padded : {false, true}) {
      ChunkParser parser;
      ChunkView view;
      const Padded copy(payloads[0]);
      ASSERT_TRUE(padded ? parser.parse(copy.view(), true, view) : parser.parse(payloads[0], false, view));
      EXPECT_TRUE(view.is_error);
      EXPECT_EQ(view.error_message, expected);
      EXPECT_EQ(view.error_type, "validation");
      EXPECT_EQ(view.error_code, "");
      EXPECT_TRUE(view.choices.empty());
    }
  }
}

TEST(RecordedErrorEvents, ErrorChunksAreNotAccumulated) {
  ChatResult acc;
  const OneChunk chunk(data_payloads(kTgiErrorStream).front());
  ASSERT_TRUE(chunk.ok());
  EXPECT_TRUE(accumulate_chunk(chunk.view(), acc));
  EXPECT_EQ(acc.content, "");
  EXPECT_EQ(acc.choice_count, 0);
}

// ---------------------------------------------------------------------------
// Hand-written chunks: shapes the tapes do not contain
// ---------------------------------------------------------------------------

TEST(ChunkShapes, FinalUsageChunkWithEmptyChoices) {
  const OneChunk chunk(
      R"({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],)"
      R"("usage":{"prompt_tokens":10,"completion_tokens":20,"total_tokens":30,"prompt_tokens_details":{"cached_tokens":0}}})");
  ASSERT_TRUE(chunk.ok());
  EXPECT_TRUE(chunk.view().choices.empty());
  EXPECT_TRUE(chunk.view().usage.present);
  EXPECT_EQ(chunk.view().usage.prompt_tokens, 10);
  EXPECT_EQ(chunk.view().usage.completion_tokens, 20);
  EXPECT_EQ(chunk.view().usage.total_tokens, 30);
}

TEST(ChunkShapes, UsageWithNullAndFloatingCounts) {
  const OneChunk chunk(R"({"usage":{"prompt_tokens":null,"completion_tokens":12.0,"total_tokens":"7"}})");
  ASSERT_TRUE(chunk.ok());
  EXPECT_TRUE(chunk.view().usage.present);
  EXPECT_EQ(chunk.view().usage.prompt_tokens, -1);
  EXPECT_EQ(chunk.view().usage.completion_tokens, 12);
  EXPECT_EQ(chunk.view().usage.total_tokens, -1);  // a string is not a count
}

TEST(ChunkShapes, MessageInsteadOfDelta) {
  const OneChunk chunk(R"({"choices":[{"index":0,"message":{"role":"assistant","content":"whole"},"finish_reason":"stop"}]})");
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk.choice().content, "whole");
  EXPECT_EQ(chunk.choice().role, "assistant");
  EXPECT_EQ(chunk.choice().finish_reason, "stop");
}

TEST(ChunkShapes, ReasoningUnderEitherName) {
  EXPECT_EQ(OneChunk(R"({"choices":[{"delta":{"reasoning":"think"}}]})").choice().reasoning, "think");
  EXPECT_EQ(OneChunk(R"({"choices":[{"delta":{"reasoning_content":"ponder"}}]})").choice().reasoning, "ponder");
  // Servers that send both carry the same text; it must not be doubled.
  EXPECT_EQ(OneChunk(R"({"choices":[{"delta":{"reasoning_content":"x","reasoning":"x"}}]})").choice().reasoning, "x");
  EXPECT_EQ(OneChunk(R"({"choices":[{"delta":{"reasoning":null,"reasoning_content":"y"}}]})").choice().reasoning, "y");
}

TEST(ChunkShapes, NullEverywhereMeansAbsent) {
  const OneChunk chunk(
      R"({"id":null,"model":null,"object":null,"choices":[{"index":null,"delta":{"role":null,"content":null,)"
      R"("tool_calls":null,"reasoning":null},"finish_reason":null,"logprobs":null}],"usage":null,"error":null})");
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk.view().id, "");
  EXPECT_EQ(chunk.view().model, "");
  ASSERT_EQ(chunk.view().choices.size(), 1u);
  EXPECT_EQ(chunk.choice().index, 0);
  EXPECT_EQ(chunk.choice().content, "");
  EXPECT_TRUE(chunk.choice().tool_calls.empty());
  EXPECT_FALSE(chunk.view().usage.present);
  EXPECT_FALSE(chunk.view().is_error);
}

TEST(ChunkShapes, NullDeltaAndNonObjectChoicesAreSkipped) {
  const OneChunk chunk(R"({"choices":[null,{"delta":null,"finish_reason":"length"},7]})");
  ASSERT_TRUE(chunk.ok());
  ASSERT_EQ(chunk.view().choices.size(), 1u);
  EXPECT_EQ(chunk.choice().index, 1);  // its position in the array
  EXPECT_EQ(chunk.choice().finish_reason, "length");
}

TEST(ChunkShapes, UnexpectedTypesAreIgnored) {
  const OneChunk chunk(
      R"({"id":["x"],"model":5,"choices":[{"index":"0","delta":{"content":42,"role":{"r":1}},"finish_reason":true}],)"
      R"("usage":"lots"})");
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk.view().id, "");
  EXPECT_EQ(chunk.view().model, "");
  EXPECT_EQ(chunk.choice().index, 0);
  EXPECT_EQ(chunk.choice().content, "");
  EXPECT_EQ(chunk.choice().role, "");
  EXPECT_EQ(chunk.choice().finish_reason, "");
  EXPECT_FALSE(chunk.view().usage.present);
}

TEST(ChunkShapes, NumericIdIsExposedAsText) {
  EXPECT_EQ(OneChunk(R"({"id":12345 ,"choices":[]})").view().id, "12345");
}

TEST(ChunkShapes, UnknownMembersAtEveryLevelAreSkipped) {
  const OneChunk chunk(
      R"({"x":{"deep":[1,[2,{"choices":"no"}],{"content":"no"}]},"service_tier":"default","system_fingerprint":null,)"
      R"("choices":[{"index":0,"text":"ignored","seed":9313781139405380000,"content_filter_results":{"hate":{"filtered":false}},)"
      R"("logprobs":{"content":[{"token":"a","logprob":-0.1,"top_logprobs":[{"token":"a","logprob":-0.1}]}]},)"
      R"("delta":{"token_id":17,"refusal":null,"content":"yes","audio":{"id":"a"}},"stop_reason":null}],"time_info":{"q":1e-5}})");
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk.choice().content, "yes");
}

TEST(ChunkShapes, MissingIndexDefaultsToPosition) {
  const OneChunk chunk(R"({"choices":[{"delta":{"content":"a"}},{"delta":{"content":"b"}},{"index":7,"delta":{}}]})");
  ASSERT_TRUE(chunk.ok());
  ASSERT_EQ(chunk.view().choices.size(), 3u);
  EXPECT_EQ(chunk.choice(0).index, 0);
  EXPECT_EQ(chunk.choice(1).index, 1);
  EXPECT_EQ(chunk.choice(1).content, "b");
  EXPECT_EQ(chunk.choice(2).index, 7);
}

TEST(ChunkShapes, NegativeOrHugeIndexKeepsPosition) {
  const OneChunk chunk(R"({"choices":[{"index":-1},{"index":99999999999}]})");
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk.choice(0).index, 0);
  EXPECT_EQ(chunk.choice(1).index, 1);
}

TEST(ChunkShapes, ContentPartsAreJoined) {
  const OneChunk chunk(
      R"({"choices":[{"delta":{"content":[{"type":"text","text":"Hello"},{"type":"image_url","image_url":{"url":"x"}},)"
      R"({"text":", "},"world",{"type":"text","text":null}]}},{"delta":{"content":[{"type":"text","text":"second"}]}}]})");
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk.choice(0).content, "Hello, world");
  EXPECT_EQ(chunk.choice(1).content, "second");
}

TEST(ChunkShapes, EscapedKeysAreRecognised) {
  const OneChunk chunk(R"({"choi\u0063es":[{"delta":{"con\u0074ent":"k"}}]})");
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk.choice().content, "k");
}

TEST(ChunkShapes, EscapedKeysAreRecognisedAtEveryLevel) {
  // Names are compared raw; one written with escapes must still count, wherever its escape is.
  const OneChunk chunk(
      R"({"\u0063hoices":[{"d\u0065lta":{"con\u0074ent":"k","r\u006fle":"assistant","reasoning_conten\u0074":"r",)"
      R"("tool_c\u0061lls":[{"\u0069ndex":2,"function":{"n\u0061me":"f","argument\u0073":"{}"}}]},)"
      R"("finish_re\u0061son":"stop"}],"us\u0061ge":{"total_t\u006fkens":3},"\u006dodel":"m"})");
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk.view().model, "m");
  EXPECT_EQ(chunk.choice().content, "k");
  EXPECT_EQ(chunk.choice().role, "assistant");
  EXPECT_EQ(chunk.choice().reasoning, "r");
  EXPECT_EQ(chunk.choice().finish_reason, "stop");
  ASSERT_EQ(chunk.choice().tool_calls.size(), 1u);
  EXPECT_EQ(chunk.choice().tool_calls[0].index, 2);
  EXPECT_EQ(chunk.choice().tool_calls[0].name, "f");
  EXPECT_EQ(chunk.choice().tool_calls[0].arguments, "{}");
  EXPECT_EQ(chunk.view().usage.total_tokens, 3);
}

TEST(ChunkShapes, NamesThatOnlyResembleOursAreSkipped) {
  const OneChunk chunk(
      R"({"choices_":[{"delta":{"content":"no"}}],"choices":[{"delta":{"contents":"no","conten":"no","content\"":"no",)"
      R"("cont\u0065nt_x":"no","\u00e9":"no","a\"b":1,"content":"yes"},"indexes":7}],"cre\u0061ted":1,)"
      R"("system_fingerprint_with_a_long_name\n":null})");
  ASSERT_TRUE(chunk.ok());
  ASSERT_EQ(chunk.view().choices.size(), 1u);
  EXPECT_EQ(chunk.choice().content, "yes");
  EXPECT_EQ(chunk.choice().index, 0);
}

TEST(ChunkShapes, WrongTypesAreIgnoredAtEveryLevel) {
  // A member of an unexpected type is absent; the rest of the chunk still counts.
  const OneChunk chunk(
      R"({"object":[1],"error_type":7,"choices":[{"delta":[1],"finish_reason":{"a":1}},)"
      R"({"delta":{"content":{"text":"x"},"tool_calls":"none","reasoning":5,"role":false}},)"
      R"({"delta":{"tool_calls":[{"id":null,"type":1,"function":7},{"function":{"name":[],"arguments":null}}],)"
      R"("content":[null,7,{"type":"text","text":{"a":1}},"ok"]}}],)"
      R"("usage":{"prompt_tokens":"1","completion_tokens":{"n":2},"total_tokens":[3]}})");
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk.view().object, "");
  EXPECT_FALSE(chunk.view().is_error);
  ASSERT_EQ(chunk.view().choices.size(), 3u);
  EXPECT_EQ(chunk.choice(0).finish_reason, "");
  EXPECT_EQ(chunk.choice(1).content, "");
  EXPECT_TRUE(chunk.choice(1).tool_calls.empty());
  EXPECT_EQ(chunk.choice(1).reasoning, "");
  EXPECT_EQ(chunk.choice(1).role, "");
  ASSERT_EQ(chunk.choice(2).tool_calls.size(), 2u);
  EXPECT_EQ(chunk.choice(2).tool_calls[0].id, "");
  EXPECT_EQ(chunk.choice(2).tool_calls[0].type, "");
  EXPECT_EQ(chunk.choice(2).tool_calls[1].name, "");
  EXPECT_EQ(chunk.choice(2).tool_calls[1].arguments, "");
  EXPECT_EQ(chunk.choice(2).content, "ok");
  EXPECT_TRUE(chunk.view().usage.present);
  EXPECT_EQ(chunk.view().usage.prompt_tokens, -1);
  EXPECT_EQ(chunk.view().usage.completion_tokens, -1);
  EXPECT_EQ(chunk.view().usage.total_tokens, -1);
  EXPECT_TRUE(OneChunk(R"({"choices":{"0":{"delta":{"content":"x"}}}})").view().choices.empty());
}

TEST(ChunkShapes, DuplicateMembersKeepWhatAnEarlierOneSaid) {
  const OneChunk chunk(R"({"usage":{"total_tokens":5},"usage":null,"choices":[{"delta":{"content":"a"}}],"choices":7})");
  ASSERT_TRUE(chunk.ok());
  EXPECT_TRUE(chunk.view().usage.present);
  EXPECT_EQ(chunk.view().usage.total_tokens, 5);
  ASSERT_EQ(chunk.view().choices.size(), 1u);
  ChatResult result;
  EXPECT_TRUE(parse_chat_response(R"({"choices":[],"choices":null})", result));
}

TEST(ChunkShapes, EscapedContentIsUnescaped) {
  const OneChunk chunk(
      R"({"choices":[{"delta":{"content":"line1\nline2 \"quoted\" back\\slash caf\u00e9 \ud83d\ude00 tab\t\/ \u0000end"}}]})");
  ASSERT_TRUE(chunk.ok());
  const std::string expected = std::string("line1\nline2 \"quoted\" back\\slash caf\xc3\xa9 \xf0\x9f\x98\x80 tab\t/ ") +
                               std::string(1, '\0') + "end";
  EXPECT_EQ(chunk.choice().content, expected);
}

TEST(ChunkShapes, RawUtf8ContentIsKept) {
  const OneChunk chunk("{\"choices\":[{\"delta\":{\"content\":\"La Ville Lumi\xc3\xa8re \xe6\x97\xa5\"}}]}");
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk.choice().content, "La Ville Lumi\xc3\xa8re \xe6\x97\xa5");
}

// ---------------------------------------------------------------------------
// Errors inside streams
// ---------------------------------------------------------------------------

TEST(ChunkErrors, OpenAiErrorObject) {
  const OneChunk chunk(R"({"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}})");
  ASSERT_TRUE(chunk.ok());
  EXPECT_TRUE(chunk.view().is_error);
  EXPECT_EQ(chunk.view().error_message, "The server had an error");
  EXPECT_EQ(chunk.view().error_type, "server_error");
  EXPECT_EQ(chunk.view().error_code, "");
}

TEST(ChunkErrors, NumericAndStringCodes) {
  EXPECT_EQ(OneChunk(R"({"error":{"message":"m","code":500}})").view().error_code, "500");
  EXPECT_EQ(OneChunk(R"({"error":{"message":"m","code":"rate_limit_exceeded"}})").view().error_code,
            "rate_limit_exceeded");
}

TEST(ChunkErrors, ErrorTypeFromObjectWinsOverTgiMember) {
  const OneChunk chunk(R"({"error_type":"generation","error":{"message":"m","type":"inner"}})");
  EXPECT_EQ(chunk.view().error_type, "inner");
  const OneChunk tgi(R"({"error_type":"overloaded","error":"busy"})");
  EXPECT_EQ(tgi.view().error_type, "overloaded");
  EXPECT_EQ(tgi.view().error_message, "busy");
}

TEST(ChunkErrors, ErrorListIsJoined) {
  const OneChunk chunk(R"({"error":["first",{"message":"second"},"",3]})");
  ASSERT_TRUE(chunk.ok());
  EXPECT_TRUE(chunk.view().is_error);
  EXPECT_EQ(chunk.view().error_message, "first; second; 3");
}

TEST(ChunkErrors, VllmBareErrorObject) {
  const OneChunk chunk(R"({"object":"error","message":"maximum context length exceeded","type":"BadRequestError","param":null,"code":400})");
  ASSERT_TRUE(chunk.ok());
  EXPECT_TRUE(chunk.view().is_error);
  EXPECT_EQ(chunk.view().error_message, "maximum context length exceeded");
  EXPECT_EQ(chunk.view().error_type, "BadRequestError");
  EXPECT_EQ(chunk.view().error_code, "400");
}

TEST(ChunkErrors, NullOrFalseErrorIsNoError) {
  EXPECT_FALSE(OneChunk(R"({"error":null,"choices":[]})").view().is_error);
  EXPECT_FALSE(OneChunk(R"({"error":false})").view().is_error);
  EXPECT_FALSE(OneChunk(R"({"error_type":"validation"})").view().is_error);
  EXPECT_FALSE(OneChunk(R"({"message":"not an error by itself"})").view().is_error);
}

TEST(ChunkErrors, ErrorWithoutMessageStillFlags) {
  const OneChunk chunk(R"({"error":{"code":"x"}})");
  EXPECT_TRUE(chunk.view().is_error);
  EXPECT_EQ(chunk.view().error_message, "");
  EXPECT_EQ(chunk.view().error_code, "x");
  EXPECT_TRUE(OneChunk(R"({"error":true})").view().is_error);
}

// ---------------------------------------------------------------------------
// Tool calls
// ---------------------------------------------------------------------------

TEST(ToolCallDeltas, ArgumentsSplitOverThreeChunksAccumulate) {
  const char* chunks[] = {
      R"({"id":"c","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[)"
      R"({"index":0,"id":"call_abc","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]})",
      R"({"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"ci"}}]},"finish_reason":null}]})",
      R"({"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ty\": \"Paris\"}"}}]},"finish_reason":null}]})",
      R"({"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})",
  };
  ChunkParser parser;
  ChunkView view;
  ChatResult acc;
  for (const char* chunk : chunks) {
    ASSERT_TRUE(parser.parse(chunk, false, view)) << chunk;
    ASSERT_TRUE(accumulate_chunk(view, acc));
  }
  ASSERT_EQ(acc.tool_calls.size(), 1u);
  EXPECT_EQ(acc.tool_calls[0].id, "call_abc");
  EXPECT_EQ(acc.tool_calls[0].type, "function");
  EXPECT_EQ(acc.tool_calls[0].name, "get_weather");
  EXPECT_EQ(acc.tool_calls[0].arguments, R"({"city": "Paris"})");
  EXPECT_EQ(acc.finish_reason, "tool_calls");
  EXPECT_EQ(acc.content, "");
}

TEST(ToolCallDeltas, ParallelCallsInterleaveByIndex) {
  const char* chunks[] = {
      R"({"choices":[{"delta":{"tool_calls":[{"index":0,"id":"a","type":"function","function":{"name":"f","arguments":"{\"x\":"}}]}}]})",
      R"({"choices":[{"delta":{"tool_calls":[{"index":1,"id":"b","type":"function","function":{"name":"g","arguments":"{\"y\":"}}]}}]})",
      R"({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"1}"}},{"index":1,"function":{"arguments":"2}"}}]}}]})",
  };
  ChunkParser parser;
  ChunkView view;
  ChatResult acc;
  for (const char* chunk : chunks) {
    ASSERT_TRUE(parser.parse(chunk, false, view));
    ASSERT_TRUE(accumulate_chunk(view, acc));
  }
  ASSERT_EQ(acc.tool_calls.size(), 2u);
  EXPECT_EQ(acc.tool_calls[0].name, "f");
  EXPECT_EQ(acc.tool_calls[0].arguments, R"({"x":1})");
  EXPECT_EQ(acc.tool_calls[1].id, "b");
  EXPECT_EQ(acc.tool_calls[1].arguments, R"({"y":2})");
}

TEST(ToolCallDeltas, TgiObjectArgumentsAndNumericIdAreRawText) {
  const OneChunk chunk(
      R"({"choices":[{"delta":{"tool_calls":[{"id":0,"type":"function","function":{"description":null,)"
      R"("name":"get_weather","arguments":{"location": "Paris, \"FR\"", "unit":["c" ,1]} }}]}}]})");
  ASSERT_TRUE(chunk.ok());
  ASSERT_EQ(chunk.choice().tool_calls.size(), 1u);
  const ToolCallDelta& call = chunk.choice().tool_calls[0];
  EXPECT_EQ(call.index, 0);  // missing: its position
  EXPECT_EQ(call.id, "0");
  EXPECT_EQ(call.name, "get_weather");
  EXPECT_EQ(call.arguments, R"({"location": "Paris, \"FR\"", "unit":["c" ,1]})");
}

TEST(ToolCallDeltas, ArrayAndScalarArgumentsAreRawText) {
  EXPECT_EQ(OneChunk(R"({"choices":[{"delta":{"tool_calls":[{"function":{"arguments":[1, 2]}}]}}]})")
                .choice()
                .tool_calls[0]
                .arguments,
            "[1, 2]");
  EXPECT_EQ(OneChunk(R"({"choices":[{"delta":{"tool_calls":[{"function":{"arguments":3.5 }}]}}]})")
                .choice()
                .tool_calls[0]
                .arguments,
            "3.5");
}

TEST(ToolCallDeltas, MissingIndexIsPositionAndNonObjectsAreSkipped) {
  const OneChunk chunk(R"({"choices":[{"delta":{"tool_calls":[{"id":"a"},null,{"id":"c"},{"index":5,"id":"d"}]}}]})");
  ASSERT_TRUE(chunk.ok());
  const auto& calls = chunk.choice().tool_calls;
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].index, 0);
  EXPECT_EQ(calls[1].index, 2);
  EXPECT_EQ(calls[1].id, "c");
  EXPECT_EQ(calls[2].index, 5);
}

TEST(ToolCallDeltas, AbsurdIndexIsIgnoredByTheAccumulator) {
  const OneChunk chunk(R"({"choices":[{"delta":{"tool_calls":[{"index":2000000000,"id":"x","function":{"name":"f"}}]}}]})");
  ASSERT_TRUE(chunk.ok());
  ChatResult acc;
  EXPECT_TRUE(accumulate_chunk(chunk.view(), acc));
  EXPECT_TRUE(acc.tool_calls.empty());
}

// ---------------------------------------------------------------------------
// Malformed input
// ---------------------------------------------------------------------------

TEST(MalformedChunks, ReturnFalseWithoutCrashingOnBothPaths) {
  const std::string cases[] = {
      "",
      "   ",
      "[DONE]",
      "[]",
      "[{\"choices\":[]}]",
      "\"text\"",
      "42",
      "null",
      "true",
      "{",
      "}",
      "{\"choices\":[{\"delta\":{\"content\":\"x\"}}]",
      "{\"choices\":[{\"delta\":{\"content\":\"x\"}}]}}",
      "{\"a\":1} {\"b\":2}",
      "{\"a\":1} x",
      "{\"a\":1,}",
      "{\"a\" 1}",
      "{'a':1}",
      "{\"choices\":[{\"delta\":{\"content\":\"unterminated}}]}",
      "{\"choices\":[{\"delta\":{\"content\":\"bad \\x escape\"}}]}",
      "{\"choices\":[{\"delta\":{\"content\":\"bad \\ud800 surrogate\"}}]}",
      "{\"choices\":[{\"delta\":{\"content\":\"\xff\xfe invalid utf8\"}}]}",
      "{\"usage\":{\"total_tokens\":12x}}",
      "{\"choices\":[1,2,}",
      "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},}]}",
      std::string("{\"a\":\"nul\0inside\"}", 18),
      "\xef\xbb\xbf{\"choices\":[]}",
      "data: {\"choices\":[]}",
      "{\"id\":\"x\"}\"",
      // A name is checked even when it is not one we read.
      "{\"lo\\gprobs\":null,\"choices\":[]}",
      "{\"system_fingerprint_with_a_long_name\\q\":1}",
      // A malformed value of the type we read is broken, not "another type".
      "{\"usage\":{\"total_tokens\":-}}",
      "{\"choices\":[{\"index\":-x}]}",
      "{\"error\":tru}",
      "{\"choices\":[{\"delta\":{\"content\":x}}]}",
      "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":x}}]}}]}",
      "{\"choices\":[{\"delta\":{\"content\":[\"a\",x]}}]}",
  };
  ChunkParser parser;
  ChunkView view;
  for (const std::string& input : cases) {
    EXPECT_FALSE(parser.parse(input, false, view)) << input;
    EXPECT_TRUE(view.choices.empty());
    EXPECT_FALSE(view.is_error);
    const Padded copy(input);
    EXPECT_FALSE(parser.parse(copy.view(), true, view)) << input;
    // The parser stays usable after a failure.
    ASSERT_TRUE(parser.parse(R"({"choices":[{"delta":{"content":"ok"}}]})", false, view));
    EXPECT_EQ(view.choices.at(0).content, "ok");
  }
}

TEST(MalformedChunks, EveryPrefixOfARealChunkIsHandled) {
  const std::string payload = data_payloads(kTogetherStream).back();
  ChunkParser parser;
  ChunkView view;
  for (size_t length = 0; length < payload.size(); ++length) {
    const std::string prefix = payload.substr(0, length);
    EXPECT_FALSE(parser.parse(prefix, false, view)) << prefix;
    const Padded copy(prefix);
    EXPECT_FALSE(parser.parse(copy.view(), true, view)) << prefix;
  }
  EXPECT_TRUE(parser.parse(payload, false, view));
}

TEST(MalformedChunks, DeepNestingInAnIgnoredMemberIsRejectedOrSkippedSafely) {
  std::string deep = "{\"x\":";
  deep.append(5000, '[');
  deep.append(5000, ']');
  deep += ",\"choices\":[]}";
  ChunkParser parser;
  ChunkView view;
  // simdjson's default depth limit is 1024: either answer is fine, crashing is not.
  (void)parser.parse(deep, false, view);
  EXPECT_TRUE(parser.parse(R"({"choices":[]})", false, view));
}

// ---------------------------------------------------------------------------
// Parser and view reuse
// ---------------------------------------------------------------------------

TEST(ChunkParserReuse, ToolCallsFromAnEarlierChunkDoNotLeak) {
  ChunkParser parser;
  ChunkView view;
  ASSERT_TRUE(parser.parse(R"({"choices":[{"delta":{"tool_calls":[{"id":"a"},{"id":"b"}]}}]})", false, view));
  ASSERT_EQ(view.choices.at(0).tool_calls.size(), 2u);
  ASSERT_TRUE(parser.parse(R"({"choices":[{"delta":{"content":"x"}}]})", false, view));
  EXPECT_TRUE(view.choices.at(0).tool_calls.empty());
  EXPECT_EQ(view.choices.at(0).content, "x");
  ASSERT_TRUE(parser.parse(R"({"choices":[{"delta":{"content":"a"}},{"delta":{"content":"b"}}]})", false, view));
  ASSERT_TRUE(parser.parse(R"({"choices":[{"delta":{"role":"assistant"}}]})", false, view));
  ASSERT_EQ(view.choices.size(), 1u);
  EXPECT_EQ(view.choices[0].content, "");
  EXPECT_EQ(view.choices[0].role, "assistant");
  ASSERT_TRUE(parser.parse(R"({"error":"e","usage":{"total_tokens":1}})", false, view));
  ASSERT_TRUE(parser.parse(R"({"id":"next"})", false, view));
  EXPECT_FALSE(view.is_error);
  EXPECT_EQ(view.error_message, "");
  EXPECT_FALSE(view.usage.present);
  EXPECT_TRUE(view.choices.empty());
}

TEST(ChunkParserReuse, VectorCapacityIsReusedForSteadyChunks) {
  ChunkParser parser;
  ChunkView view;
  const std::string chunk = R"({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"x"}}]}}]})";
  ASSERT_TRUE(parser.parse(chunk, false, view));
  const ChoiceDelta* choices = view.choices.data();
  const ToolCallDelta* calls = view.choices[0].tool_calls.data();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(parser.parse(chunk, false, view));
  EXPECT_EQ(view.choices.data(), choices);
  EXPECT_EQ(view.choices[0].tool_calls.data(), calls);
}

TEST(ChunkParserReuse, LargeThenSmallPayloads) {
  std::string big = R"({"choices":[{"delta":{"content":")";
  for (int i = 0; i < 200000; ++i) big += "ab\\n";
  big += R"("}}]})";
  ChunkParser parser;
  ChunkView view;
  ASSERT_TRUE(parser.parse(big, false, view));
  EXPECT_EQ(view.choices.at(0).content.size(), 600000u);
  EXPECT_EQ(view.choices[0].content.substr(0, 6), "ab\nab\n");
  ASSERT_TRUE(parser.parse(R"({"choices":[{"delta":{"content":"small"}}]})", false, view));
  EXPECT_EQ(view.choices.at(0).content, "small");
}

TEST(ChunkParserReuse, ViewsSurviveUntilTheNextParse) {
  ChunkParser parser;
  ChunkView view;
  std::string payload = R"({"id":"abc","choices":[{"delta":{"content":"he said \"hi\""}}]})";
  ASSERT_TRUE(parser.parse(payload, false, view));
  payload.assign(payload.size(), 'z');  // the unpadded path copied the input
  EXPECT_EQ(view.id, "abc");
  EXPECT_EQ(view.choices.at(0).content, "he said \"hi\"");
}

TEST(ParseOptionsIdentity, IdModelAndObjectAreLeftEmptyAndTheRestIsRead) {
  const std::string payload =
      R"({"id":"c1","model":"m","object":"chat.completion.chunk","choices":[{"delta":{"content":"x"}}],"usage":{"total_tokens":3}})";
  ChunkParser parser;
  ChunkView view;
  ASSERT_TRUE(parser.parse(payload, false, view, ParseOptions{false}));
  EXPECT_EQ(view.id, "");
  EXPECT_EQ(view.model, "");
  EXPECT_EQ(view.object, "");
  EXPECT_EQ(view.choices.at(0).content, "x");
  EXPECT_EQ(view.usage.total_tokens, 3);
  EXPECT_FALSE(view.is_error);
  // The default decodes them again on the same parser.
  ASSERT_TRUE(parser.parse(payload, false, view));
  EXPECT_EQ(view.id, "c1");
  EXPECT_EQ(view.model, "m");
  EXPECT_EQ(view.object, "chat.completion.chunk");
}

TEST(ParseOptionsIdentity, SkippedMembersAreNotValidatedLikeUnknownOnes) {
  const std::string payload = R"({"id":"bad \q escape","model":"bad \ud800 surrogate","choices":[]})";
  ChunkParser parser;
  ChunkView view;
  EXPECT_FALSE(parser.parse(payload, false, view));
  EXPECT_TRUE(parser.parse(payload, false, view, ParseOptions{false}));
  EXPECT_FALSE(parser.parse(R"({"id":"x","choices":[}])", false, view, ParseOptions{false}));
  // object is decoded (and checked) only when it may be "error".
  EXPECT_TRUE(parser.parse(R"({"object":"bad \q"})", false, view, ParseOptions{false}));
  EXPECT_FALSE(parser.parse(R"({"object":"e\q"})", false, view, ParseOptions{false}));
  EXPECT_FALSE(parser.parse(R"({"object":"\q"})", false, view, ParseOptions{false}));
}

TEST(ParseOptionsIdentity, ErrorsAreStillRecognised) {
  ChunkParser parser;
  ChunkView view;
  for (const char* payload : {R"({"object":"error","message":"m","type":"t","code":400})",
                              R"({"message":"m","object":"err\u006fr","type":"t","code":400})",
                              R"({"object":"\u0065rror","message":"m","type":"t","code":400})"}) {
    ASSERT_TRUE(parser.parse(payload, false, view, ParseOptions{false})) << payload;
    EXPECT_TRUE(view.is_error) << payload;
    EXPECT_EQ(view.error_message, "m");
    EXPECT_EQ(view.error_type, "t");
    EXPECT_EQ(view.error_code, "400");
    EXPECT_EQ(view.object, "");
  }
  for (const char* payload : {R"({"object":"embedding","message":"m"})", R"({"object":"e","message":"m"})",
                              R"({"object":"chat.completion.chunk","message":"m"})", R"({"object":5,"message":"m"})",
                              R"({"object":null,"message":"m"})", R"({"object":"errors","message":"m"})"}) {
    ASSERT_TRUE(parser.parse(payload, false, view, ParseOptions{false})) << payload;
    EXPECT_FALSE(view.is_error) << payload;
  }
  ASSERT_TRUE(parser.parse(R"({"id":"c","error":{"message":"m"}})", false, view, ParseOptions{false}));
  EXPECT_TRUE(view.is_error);
  EXPECT_EQ(view.error_message, "m");
}

TEST(ChunkParserReuse, MovedParserKeepsWorking) {
  ChunkParser first;
  ChunkView view;
  ASSERT_TRUE(first.parse(R"({"id":"1"})", false, view));
  ChunkParser second(std::move(first));
  ASSERT_TRUE(second.parse(R"({"id":"2"})", false, view));
  EXPECT_EQ(view.id, "2");
  ChunkParser third;
  third = std::move(second);
  ASSERT_TRUE(third.parse(R"({"id":"3"})", false, view));
  EXPECT_EQ(view.id, "3");
}

// ---------------------------------------------------------------------------
// Non-streamed responses
// ---------------------------------------------------------------------------

struct ResponseCase {
  const char* name;
  std::string_view body;
  const char* id;
  const char* model;
  const char* content;
  const char* finish_reason;
  int64_t prompt_tokens, completion_tokens, total_tokens;
};

class RecordedResponse : public ::testing::TestWithParam<ResponseCase> {};

TEST_P(RecordedResponse, Parses) {
  const ResponseCase& c = GetParam();
  ChatResult result;
  ASSERT_TRUE(parse_chat_response(c.body, result));
  EXPECT_EQ(result.id, c.id);
  EXPECT_EQ(result.model, c.model);
  EXPECT_EQ(result.content, c.content);
  EXPECT_EQ(result.finish_reason, c.finish_reason);
  EXPECT_EQ(result.choice_count, 1);
  EXPECT_TRUE(result.tool_calls.empty());
  EXPECT_TRUE(result.usage.present);
  EXPECT_EQ(result.usage.prompt_tokens, c.prompt_tokens);
  EXPECT_EQ(result.usage.completion_tokens, c.completion_tokens);
  EXPECT_EQ(result.usage.total_tokens, c.total_tokens);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, RecordedResponse,
    ::testing::Values(
        ResponseCase{"hf_tgi", kHfChatBody, "", "mistralai/Mistral-7B-Instruct-v0.2", " One plus one is equal to two.",
                     "stop", 20, 9, 29},
        ResponseCase{"tgi_legacy", kTgiLegacyChatBody, "", "mistralai/Mistral-7B-Instruct-v0.2",
                     " to two. One plus one is equal to two.", "eos_token", 21, 12, 33},
        ResponseCase{"sambanova_extra_usage_fields", kSambanovaChatBody, "4775a55a-47f9-4f95-80b1-40cf0fea22dd",
                     "Meta-Llama-3.1-8B-Instruct", "two.", "stop", 46, 2, 48},
        ResponseCase{"together_empty_tool_calls", kTogetherChatBody, "8ff411e54b88f1a4",
                     "meta-llama/Llama-3.3-70B-Instruct-Turbo", "one plus one is equal to two.", "eos", 46, 9, 55},
        ResponseCase{"nebius", kNebiusChatBody, "chatcmpl-89392f51529b4d1c82c3d58b210735c5",
                     "meta-llama/Meta-Llama-3.1-8B-Instruct", "Two", "stop", 21, 2, 23},
        ResponseCase{"openai", kOpenAiChatBody, "chatcmpl-B5Ybe7M1V7N9aqQtrjTGfSWGebrrb", "gpt-3.5-turbo-0125",
                     "to two.", "stop", 19, 4, 23},
        ResponseCase{"cohere", kCohereChatBody, "f8bf661b-c600-44e5-8412-df37c9dcd985", "command-r7b-12-2024",
                     "One plus one is equal to two.", "stop", 11, 8, 19},
        ResponseCase{"cerebras", kCerebrasChatBody, "chatcmpl-081dc230-a18f-4c4a-b2b0-efe6a5d8767d", "llama3.1-8b",
                     "two.", "stop", 46, 3, 49},
        ResponseCase{"novita", kNovitaChatBody, "chatcmpl-1266fc7405294c57ac180da9ee3f5e31",
                     "meta-llama/llama-3.1-8b-instruct", "to two.", "stop", 46, 4, 50},
        ResponseCase{"hyperbolic_escapes_and_utf8", kHyperbolicChatBody, "chatcmpl-a583deb706944d9796d405f87cb28c8c",
                     "meta-llama/Meta-Llama-3.1-405B-Instruct",
                     "...the capital and most populous city of France, known for its stunning architecture, art "
                     "museums, fashion, and romantic atmosphere. It's often called the \"City of Light\" (La Ville "
                     "Lumi\xc3\xa8re) and is famous for its iconic landmarks such as the Eiffel Tower, Notre-Dame "
                     "Cathedral, and the Louvre Museum.",
                     "stop", 37, 68, 105}),
    [](const ::testing::TestParamInfo<ResponseCase>& info) { return std::string(info.param.name); });

TEST(ChatResponse, OpenAiToolCallWithNullContent) {
  ChatResult result;
  ASSERT_TRUE(parse_chat_response(
      R"({"id":"chatcmpl-1","object":"chat.completion","model":"gpt","choices":[{"index":0,"message":{"role":"assistant",)"
      R"("content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather",)"
      R"("arguments":"{\"location\":\"Boston\"}"}},{"id":"call_2","type":"function","function":{"name":"now","arguments":"{}"}}]},)"
      R"("finish_reason":"tool_calls"}],"usage":{"prompt_tokens":5,"completion_tokens":6,"total_tokens":11}})",
      result));
  EXPECT_EQ(result.content, "");
  EXPECT_EQ(result.finish_reason, "tool_calls");
  ASSERT_EQ(result.tool_calls.size(), 2u);
  EXPECT_EQ(result.tool_calls[0].id, "call_1");
  EXPECT_EQ(result.tool_calls[0].type, "function");
  EXPECT_EQ(result.tool_calls[0].name, "get_weather");
  EXPECT_EQ(result.tool_calls[0].arguments, R"({"location":"Boston"})");
  EXPECT_EQ(result.tool_calls[1].name, "now");
}

TEST(ChatResponse, TgiToolCallWithObjectArgumentsAndNumericId) {
  ChatResult result;
  ASSERT_TRUE(parse_chat_response(
      R"({"object":"chat.completion","id":"","created":1,"model":"meta-llama/Llama-3.1-8B-Instruct",)"
      R"("system_fingerprint":"2.1.1-native","choices":[{"index":0,"message":{"role":"assistant","tool_calls":[{"id":0,)"
      R"("type":"function","function":{"description":null,"name":"get_current_weather","arguments":{"format":"celsius",)"
      R"("location":"Paris, France"}}}]},"logprobs":null,"finish_reason":"eos_token"}],)"
      R"("usage":{"prompt_tokens":300,"completion_tokens":27,"total_tokens":327}})",
      result));
  ASSERT_EQ(result.tool_calls.size(), 1u);
  EXPECT_EQ(result.tool_calls[0].id, "0");
  EXPECT_EQ(result.tool_calls[0].name, "get_current_weather");
  EXPECT_EQ(result.tool_calls[0].arguments, R"({"format":"celsius","location":"Paris, France"})");
  EXPECT_EQ(result.content, "");
}

TEST(ChatResponse, ContentPartsAreConcatenated) {
  ChatResult result;
  ASSERT_TRUE(parse_chat_response(
      R"({"choices":[{"message":{"content":[{"type":"text","text":"Hello "},{"type":"image_url","image_url":{"url":"u"}},)"
      R"({"type":"text","text":"there"}]},"finish_reason":"stop"}]})",
      result));
  EXPECT_EQ(result.content, "Hello there");
}

TEST(ChatResponse, ReasoningContent) {
  ChatResult result;
  ASSERT_TRUE(parse_chat_response(
      R"({"choices":[{"message":{"role":"assistant","content":"4","reasoning_content":"2+2"},"finish_reason":"stop"}]})",
      result));
  EXPECT_EQ(result.reasoning, "2+2");
  EXPECT_EQ(result.content, "4");
}

TEST(ChatResponse, FirstChoiceIsUsedAndAllAreCounted) {
  ChatResult result;
  ASSERT_TRUE(parse_chat_response(
      R"({"choices":[{"index":0,"message":{"content":"first"},"finish_reason":"stop"},)"
      R"({"index":1,"message":{"content":"second"},"finish_reason":"length"}]})",
      result));
  EXPECT_EQ(result.content, "first");
  EXPECT_EQ(result.finish_reason, "stop");
  EXPECT_EQ(result.choice_count, 2);
  EXPECT_FALSE(result.usage.present);
}

TEST(ChatResponse, EmptyChoicesIsFine) {
  ChatResult result;
  ASSERT_TRUE(parse_chat_response(R"({"id":"x","choices":[],"usage":{"total_tokens":0}})", result));
  EXPECT_EQ(result.choice_count, 0);
  EXPECT_EQ(result.id, "x");
  EXPECT_TRUE(result.usage.present);
}

TEST(ChatResponse, RejectsBodiesWithoutChoicesArray) {
  const char* cases[] = {
      R"({"id":"x"})",
      R"({"choices":null})",
      R"({"choices":{"0":{}}})",
      R"({"error":"Model is overloaded","error_type":"overloaded"})",
      R"([{"generated_text":"hi"}])",
      "not json",
      "",
      R"({"choices":[)",
      R"({"choices":[]} trailing)",
  };
  for (const char* body : cases) {
    ChatResult result;
    result.content = "stale";
    EXPECT_FALSE(parse_chat_response(body, result)) << body;
    EXPECT_EQ(result.content, "") << body;
  }
}

// The parser is kept per thread for small bodies and dropped after big ones;
// neither may leak one response into the next.
TEST(ChatResponse, BigThenSmallThenFailedBodiesOnOneThread) {
  std::string big = R"({"id":"big","model":"m","choices":[{"message":{"content":")";
  for (int i = 0; i < 20000; ++i) big += "ab\\n";
  big += R"("},"finish_reason":"length"}]})";
  ChatResult result;
  ASSERT_TRUE(parse_chat_response(big, result));
  EXPECT_EQ(result.id, "big");
  EXPECT_EQ(result.content.size(), 60000u);
  EXPECT_EQ(result.content.substr(0, 6), "ab\nab\n");
  EXPECT_EQ(result.finish_reason, "length");
  ASSERT_TRUE(parse_chat_response(R"({"choices":[{"message":{"content":"small"}}]})", result));
  EXPECT_EQ(result.id, "");
  EXPECT_EQ(result.content, "small");
  EXPECT_EQ(result.finish_reason, "");
  EXPECT_FALSE(parse_chat_response(R"({"choices":[{"message":{"content":"cut"}})", result));
  ASSERT_TRUE(parse_chat_response(R"({"id":"again","choices":[]})", result));
  EXPECT_EQ(result.id, "again");
  EXPECT_EQ(result.choice_count, 0);
}

TEST(ChatResponse, ThreadsParseAtTheSameTime) {
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &wrong] {
      const std::string body =
          R"({"id":"r)" + std::to_string(t) + R"(","choices":[{"message":{"content":"thread )" + std::to_string(t) + R"("}}]})";
      for (int i = 0; i < 2000; ++i) {
        ChatResult result;
        if (!parse_chat_response(body, result) || result.content != "thread " + std::to_string(t)) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

// ---------------------------------------------------------------------------
// Assembling a chat.completion from a stream
// ---------------------------------------------------------------------------

TEST(AssembleChatCompletion, ExactDocumentForPlainContent) {
  ChatResult acc;
  acc.id = "chatcmpl-1";
  acc.model = "m";
  acc.content = "Hi \"there\"\n";
  acc.finish_reason = "stop";
  acc.usage = Usage{true, 3, 4, 7};
  EXPECT_EQ(assemble_chat_completion(acc, 1700000000),
            R"({"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"m","choices":[{"index":0,)"
            R"("message":{"role":"assistant","content":"Hi \"there\"\n"},"finish_reason":"stop"}],)"
            R"("usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}})");
}

TEST(AssembleChatCompletion, EmptyResultIsStillAValidDocument) {
  EXPECT_EQ(assemble_chat_completion(ChatResult{}, 0),
            R"({"id":"","object":"chat.completion","created":0,"model":"","choices":[{"index":0,)"
            R"("message":{"role":"assistant","content":""},"finish_reason":null}]})");
}

TEST(AssembleChatCompletion, ToolCallsReasoningAndPartialUsage) {
  ChatResult acc;
  acc.id = "x";
  acc.model = "tgi";
  acc.reasoning = "need weather";
  acc.finish_reason = "tool_calls";
  acc.tool_calls.push_back(ToolCall{"0", "", "get_weather", R"({"city":"Paris"})"});
  acc.tool_calls.push_back(ToolCall{});  // a skipped index
  acc.tool_calls.push_back(ToolCall{"call_2", "function", "now", ""});
  acc.usage = Usage{true, 10, -1, -1};
  const std::string json = assemble_chat_completion(acc, 5);
  simdjson::dom::parser parser;
  const simdjson::dom::element doc = parse_dom(parser, json);
  EXPECT_EQ(dom_string(doc, "/object"), "chat.completion");
  EXPECT_EQ(dom_int(doc, "/created"), 5);
  EXPECT_TRUE(dom_is_null(doc, "/choices/0/message/content"));
  EXPECT_EQ(dom_string(doc, "/choices/0/message/reasoning"), "need weather");
  EXPECT_EQ(dom_string(doc, "/choices/0/message/tool_calls/0/id"), "0");
  EXPECT_EQ(dom_string(doc, "/choices/0/message/tool_calls/0/type"), "function");
  EXPECT_EQ(dom_string(doc, "/choices/0/message/tool_calls/0/function/name"), "get_weather");
  // Object arguments from TGI become the JSON-encoded string OpenAI clients expect.
  EXPECT_EQ(dom_string(doc, "/choices/0/message/tool_calls/0/function/arguments"), R"({"city":"Paris"})");
  EXPECT_EQ(dom_string(doc, "/choices/0/message/tool_calls/1/id"), "call_2");
  EXPECT_FALSE(dom_has(doc, "/choices/0/message/tool_calls/2"));
  EXPECT_EQ(dom_string(doc, "/choices/0/finish_reason"), "tool_calls");
  EXPECT_EQ(dom_int(doc, "/usage/prompt_tokens"), 10);
  EXPECT_FALSE(dom_has(doc, "/usage/completion_tokens"));
}

TEST(AssembleChatCompletion, ContentStaysAStringNextToToolCallsWhenPresent) {
  ChatResult acc;
  acc.content = "Let me check.";
  acc.tool_calls.push_back(ToolCall{"a", "function", "f", "{}"});
  const std::string json = assemble_chat_completion(acc, 0);
  simdjson::dom::parser parser;
  EXPECT_EQ(dom_string(parse_dom(parser, json), "/choices/0/message/content"), "Let me check.");
}

TEST(AssembleChatCompletion, NoReasoningNoToolCallsNoUsageMembersWhenAbsent) {
  ChatResult acc;
  acc.content = "x";
  acc.tool_calls.push_back(ToolCall{});  // only blank slots
  const std::string json = assemble_chat_completion(acc, 0);
  EXPECT_EQ(json.find("reasoning"), std::string::npos);
  EXPECT_EQ(json.find("tool_calls"), std::string::npos);
  EXPECT_EQ(json.find("usage"), std::string::npos);
}

TEST(AssembleChatCompletion, RecordedStreamRoundTripsThroughTheResponseParser) {
  for (std::string_view body : {kMistralStream, kHyperbolicStream, kTgiLegacyStream, kCohereStream}) {
    const StreamOutcome outcome = run_stream(body, true);
    const std::string json = assemble_chat_completion(outcome.result, 1714879341);
    ChatResult reparsed;
    ASSERT_TRUE(parse_chat_response(json, reparsed)) << json;
    EXPECT_EQ(reparsed.id, outcome.result.id);
    EXPECT_EQ(reparsed.model, outcome.result.model);
    EXPECT_EQ(reparsed.content, outcome.result.content);
    EXPECT_EQ(reparsed.finish_reason, outcome.result.finish_reason);
    EXPECT_EQ(reparsed.usage.present, outcome.result.usage.present);
    EXPECT_EQ(reparsed.usage.total_tokens, outcome.result.usage.total_tokens);
    EXPECT_EQ(reparsed.choice_count, 1);
  }
}

TEST(AssembleChatCompletion, StreamedToolCallsRoundTrip) {
  const char* chunks[] = {
      R"({"id":"c","model":"m","choices":[{"delta":{"role":"assistant","reasoning":"hmm "}}]})",
      R"({"choices":[{"delta":{"reasoning":"ok","tool_calls":[{"index":0,"id":"call_9","type":"function","function":{"name":"f","arguments":"{\"a\""}}]}}]})",
      R"({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":":\"\\n\"}"}}]}}]})",
      R"({"choices":[{"delta":{},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}})",
  };
  ChunkParser parser;
  ChunkView view;
  ChatResult acc;
  for (const char* chunk : chunks) {
    ASSERT_TRUE(parser.parse(chunk, false, view));
    ASSERT_TRUE(accumulate_chunk(view, acc));
  }
  EXPECT_EQ(acc.reasoning, "hmm ok");
  ASSERT_EQ(acc.tool_calls.size(), 1u);
  EXPECT_EQ(acc.tool_calls[0].arguments, "{\"a\":\"\\n\"}");
  ChatResult reparsed;
  ASSERT_TRUE(parse_chat_response(assemble_chat_completion(acc, 1), reparsed));
  EXPECT_EQ(reparsed.reasoning, "hmm ok");
  EXPECT_EQ(reparsed.content, "");
  ASSERT_EQ(reparsed.tool_calls.size(), 1u);
  EXPECT_EQ(reparsed.tool_calls[0].id, "call_9");
  EXPECT_EQ(reparsed.tool_calls[0].name, "f");
  EXPECT_EQ(reparsed.tool_calls[0].arguments, acc.tool_calls[0].arguments);
  EXPECT_EQ(reparsed.finish_reason, "tool_calls");
  EXPECT_EQ(reparsed.usage.total_tokens, 3);
}

TEST(AccumulateChunk, OnlyChoiceZeroIsAccumulatedButAllAreCounted) {
  const OneChunk chunk(R"({"choices":[{"index":1,"delta":{"content":"b"}},{"index":0,"delta":{"content":"a"}}]})");
  ChatResult acc;
  ASSERT_TRUE(accumulate_chunk(chunk.view(), acc));
  EXPECT_EQ(acc.content, "a");
  EXPECT_EQ(acc.choice_count, 2);
}

TEST(AccumulateChunk, FirstNonEmptyIdAndModelWin) {
  ChatResult acc;
  ASSERT_TRUE(accumulate_chunk(OneChunk(R"({"id":"","model":"m1"})").view(), acc));
  ASSERT_TRUE(accumulate_chunk(OneChunk(R"({"id":"real","model":"m2"})").view(), acc));
  ASSERT_TRUE(accumulate_chunk(OneChunk(R"({"id":"later","model":"m3"})").view(), acc));
  EXPECT_EQ(acc.id, "real");
  EXPECT_EQ(acc.model, "m1");
}

}  // namespace
}  // namespace hfi::json
