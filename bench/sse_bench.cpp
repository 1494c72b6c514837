// hfi's SSE parser and stream pipeline on the benchmark's canned stream
// (../shared/bench/www/stream/v1/chat/completions: 74,519 bytes, 258 events = 256 content
// chunks + a finish/usage chunk + [DONE]). One iteration = the whole stream.
//
//   sse_parser/16384      hfi::sse::Parser fed 16 KiB reads (libcurl's default buffer size)
//   sse_parser/1          the same fed one byte at a time (worst case: every line is carried)
//   sse_plus_chunks       SSE parser + hfi::json::ChunkParser on every payload + the content
//                         accumulated: the protocol work of a stream, nothing else
//   sse_plus_stream_chunks  the same with hfi::json::StreamChunkParser (what ChatCall uses): chunks
//                         that repeat the previous one's bytes around new text are not re-parsed
//   chat_call_stream      hfi's real ChatCall (src/core/chat_call.h) given the response headers
//                         and the body in 16 KiB reads, as libcurl would hand them over, with an
//                         event callback reading every DELTA through the public event accessors,
//                         then completed (the response is settled and its chat.completion JSON
//                         assembled): everything hfi does for a stream except the transport
//   chat_call_whole       the same for the 378-byte non-streamed answer (per request)
//
// Counters: items_per_second = events/s, bytes_per_second = stream bytes/s, per_event = seconds
// per event (printed with an SI prefix: "85n" = 85 ns).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "bench_data.h"
#include "core/chat_call.h"
#include "hfi/hfi.h"
#include "protocol/chat_json.h"
#include "protocol/stream_chunks.h"
#include "protocol/sse.h"
#include "transport/engine.h"

namespace {

std::string g_stream;
std::string g_chat_response;
constexpr int64_t kEventsPerStream = 258;  // 256 content chunks, the final chunk, [DONE]
constexpr int64_t kContentEvents = 256;

void report(benchmark::State& state, int64_t events_per_iteration, size_t bytes_per_iteration) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * events_per_iteration);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(bytes_per_iteration));
  state.counters["per_event"] = benchmark::Counter(static_cast<double>(events_per_iteration),
                                                   benchmark::Counter::kIsIterationInvariantRate |
                                                       benchmark::Counter::kInvert);
}

// Feeds `text` to `feed` in pieces of `read` bytes.
template <class Feed>
void in_reads(const std::string& text, size_t read, Feed&& feed) {
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    size_t n = std::min(read, left);
    feed(p, n);
    p += n;
    left -= n;
  }
}

struct CountingSink : hfi::sse::Sink {
  int64_t events = 0;
  size_t bytes = 0;
  bool on_event(const hfi::sse::Event& ev) override {
    ++events;
    bytes += ev.data.size();
    return true;
  }
};

void BM_sse_parser(benchmark::State& state) {
  const size_t read = static_cast<size_t>(state.range(0));
  hfi::sse::Parser parser;
  CountingSink sink;
  for (auto _ : state) {
    parser.reset();
    sink.events = 0;
    in_reads(g_stream, read, [&](const char* p, size_t n) { parser.feed(p, n, sink); });
    parser.finish();
    benchmark::DoNotOptimize(sink.bytes);
  }
  if (sink.events != kEventsPerStream) state.SkipWithError("wrong number of events");
  report(state, kEventsPerStream, g_stream.size());
}
BENCHMARK(BM_sse_parser)->Name("sse_parser")->Arg(16384)->Arg(1);

// SSE + chunk JSON, as the stream path does it, without events or threads.
template <class ChunkParserType>
struct ChunkSink : hfi::sse::Sink {
  ChunkParserType parser;
  hfi::json::ChunkView view;
  std::string content;
  int64_t deltas = 0;
  bool failed = false;
  bool on_event(const hfi::sse::Event& ev) override {
    if (ev.data == "[DONE]") return true;
    if (!parser.parse(ev.data, ev.padded, view)) {
      failed = true;
      return false;
    }
    for (const auto& choice : view.choices) {
      if (choice.index == 0 && !choice.content.empty()) {
        content.append(choice.content);
        ++deltas;
      }
    }
    return true;
  }
};

template <class ChunkParserType>
void BM_sse_plus_chunks(benchmark::State& state) {
  hfi::sse::Parser parser;
  ChunkSink<ChunkParserType> sink;
  for (auto _ : state) {
    parser.reset();
    sink.content.clear();
    sink.deltas = 0;
    in_reads(g_stream, 16384, [&](const char* p, size_t n) { parser.feed(p, n, sink); });
    parser.finish();
    benchmark::DoNotOptimize(sink.content.data());
  }
  if (sink.failed || sink.deltas != kContentEvents) state.SkipWithError("wrong content");
  report(state, kEventsPerStream, g_stream.size());
}
BENCHMARK(BM_sse_plus_chunks<hfi::json::ChunkParser>)->Name("sse_plus_chunks");
BENCHMARK(BM_sse_plus_chunks<hfi::json::StreamChunkParser>)->Name("sse_plus_stream_chunks");

// ---- the real ChatCall -------------------------------------------------------------------------

struct Counts {
  int64_t deltas = 0;
  int64_t done = 0;
};

int32_t HFI_CALL count_event(const hfi_event* ev, void* user_data) {
  auto* c = static_cast<Counts*>(user_data);
  const char* text = nullptr;
  size_t len = 0;
  switch (hfi_event_type(ev)) {
    case HFI_EVENT_DELTA:
      if (hfi_event_choice_index(ev) == 0 && hfi_event_text(ev, &text, &len) == HFI_OK && len > 0) ++c->deltas;
      break;
    case HFI_EVENT_DONE:
      ++c->done;
      break;
    default:
      break;
  }
  return 0;
}

// One request through ChatCall: headers, body in `read`-byte pieces (events dispatched after each,
// as the blocking call does), completion, response taken. Returns the response status.
hfi_status run_call(hfi::transport::Engine& engine, bool stream, const std::string& body, const char* content_type,
                    Counts& counts) {
  hfi::Delivery delivery;
  delivery.callback = count_event;
  delivery.user_data = &counts;
  auto call = std::make_shared<hfi::ChatCall>(stream, hfi::ChatCallLimits{}, "http://127.0.0.1/v1/chat/completions",
                                              std::move(delivery));
  hfi::transport::Transfer& transfer = *call;  // the hooks libcurl's callbacks reach
  transfer.on_header("HTTP/1.1 200 OK");
  transfer.on_header(content_type);
  transfer.on_header("Content-Length: " + std::to_string(body.size()));
  in_reads(body, 16384, [&](const char* p, size_t n) {
    transfer.on_body(p, n);
    call->dispatch_pending(engine);
  });
  hfi::transport::TransferOutcome outcome;
  outcome.http_status = 200;
  outcome.connected = true;
  transfer.on_complete(outcome);
  call->dispatch_pending(engine);
  std::unique_ptr<hfi_response> response = call->take_response();
  return response ? response->status : HFI_E_INTERNAL;
}

void BM_chat_call_stream(benchmark::State& state) {
  hfi::transport::Engine engine(false);  // only consulted if a callback aborts
  Counts counts;
  hfi_status status = HFI_OK;
  for (auto _ : state) {
    counts = Counts{};
    status = run_call(engine, true, g_stream, "Content-Type: text/event-stream", counts);
  }
  if (status != HFI_OK || counts.deltas != kContentEvents || counts.done != 1) state.SkipWithError("wrong events");
  report(state, kEventsPerStream, g_stream.size());
}
BENCHMARK(BM_chat_call_stream)->Name("chat_call_stream");

void BM_chat_call_whole(benchmark::State& state) {
  hfi::transport::Engine engine(false);
  Counts counts;
  hfi_status status = HFI_OK;
  for (auto _ : state) {
    counts = Counts{};
    status = run_call(engine, false, g_chat_response, "Content-Type: application/json", counts);
  }
  if (status != HFI_OK) state.SkipWithError("the response failed");
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_chat_response.size()));
}
BENCHMARK(BM_chat_call_whole)->Name("chat_call_whole");

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  std::string www = hfi_bench::www_dir(argc, argv);
  g_stream = hfi_bench::read_file(www + "/stream/v1/chat/completions");
  g_chat_response = hfi_bench::read_file(www + "/v1/chat/completions");
  std::fprintf(stderr, "stream: %zu bytes; chat response: %zu bytes\n", g_stream.size(), g_chat_response.size());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
