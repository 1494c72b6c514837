// JSON parsing of real SSE chat chunks: which library should hfi parse with?
//
// Every benchmark parses the `data:` payloads of the benchmark's canned stream
// (../shared/bench/www/stream/v1/chat/completions: 256 content chunks of ~290 bytes and one final
// chunk with finish_reason and usage), one payload per iteration, cycling through them, and
// extracts what hfi needs from a chunk: choices[0].delta.content (unescaped), finish_reason and
// usage. So the reported time is nanoseconds per chunk.
//
//   simdjson_ondemand   simdjson 3 On-Demand, parser reused, input already padded
//   simdjson_dom        simdjson 3 DOM, parser reused, input already padded
//   rapidjson           RapidJSON 1.1 Document on stack-buffer pool allocators (its fast idiom)
//   nlohmann            nlohmann::json::parse (DOM), no exceptions
//   hfi_chunk_parser    hfi::json::ChunkParser as production uses it (padded: the SSE parser's
//                       buffer carries the padding) -- it also reads id, model, object, role,
//                       reasoning, tool calls and error members, so it does more than the others
//   hfi_chunk_parser_unpadded   the same given an unpadded view (it copies into its own buffer)
//   hfi_chunk_parser_no_identity  padded, with ParseOptions::identity off (no id, model, object), as
//                       ChatCall parses every chunk after the first
//   hfi_parse_chat_response     hfi::json::parse_chat_response on the 378-byte non-streamed answer
//
// Before timing, main() checks that every extractor finds the same 256 contents, finish reason
// and usage as nlohmann does, and refuses to run otherwise. json_bench_haswell is this file plus
// hfi's JSON sources compiled with -march=haswell (see CMakeLists.txt).
#include <benchmark/benchmark.h>
#include <rapidjson/document.h>
#include <simdjson.h>

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "bench_data.h"
#include "protocol/chat_json.h"

namespace {

struct Fields {
  std::string_view content;
  std::string_view finish_reason;
  int64_t prompt_tokens = -1, completion_tokens = -1, total_tokens = -1;
};

std::vector<std::string> g_chunks;
std::vector<simdjson::padded_string> g_padded;
std::string g_chat_response;
size_t g_chunk_bytes = 0;

// ---- simdjson On-Demand ----------------------------------------------------------------------

namespace od = simdjson::ondemand;

bool read_usage(od::value usage, Fields& f) {
  if (usage.is_null()) return true;
  od::object object;
  if (usage.get_object().get(object)) return false;
  for (auto member : object) {
    od::field field;
    std::string_view key;
    if (std::move(member).get(field) || field.unescaped_key().get(key)) return false;
    int64_t* slot = key == "prompt_tokens"       ? &f.prompt_tokens
                    : key == "completion_tokens" ? &f.completion_tokens
                    : key == "total_tokens"      ? &f.total_tokens
                                                 : nullptr;
    if (slot && field.value().get_int64().get(*slot)) return false;
  }
  return true;
}

bool ondemand_fields(od::parser& parser, const simdjson::padded_string& json, Fields& f) {
  f = Fields{};
  od::document doc;
  od::object root;
  if (parser.iterate(json).get(doc) || doc.get_object().get(root)) return false;
  for (auto member : root) {
    od::field field;
    std::string_view key;
    if (std::move(member).get(field) || field.unescaped_key().get(key)) return false;
    if (key == "choices") {
      od::array choices;
      if (field.value().get_array().get(choices)) return false;
      for (auto element : choices) {
        od::object choice;
        if (std::move(element).get_object().get(choice)) return false;
        for (auto cm : choice) {
          od::field cf;
          std::string_view ck;
          if (std::move(cm).get(cf) || cf.unescaped_key().get(ck)) return false;
          if (ck == "delta") {
            od::object delta;
            if (cf.value().get_object().get(delta)) return false;
            for (auto dm : delta) {
              od::field df;
              std::string_view dk;
              if (std::move(dm).get(df) || df.unescaped_key().get(dk)) return false;
              if (dk == "content" && !df.value().is_null() && df.value().get_string().get(f.content)) return false;
            }
          } else if (ck == "finish_reason") {
            if (!cf.value().is_null() && cf.value().get_string().get(f.finish_reason)) return false;
          }
        }
        break;  // choices[0] only
      }
    } else if (key == "usage") {
      if (!read_usage(field.value(), f)) return false;
    }
  }
  return true;
}

// ---- simdjson DOM ----------------------------------------------------------------------------

bool dom_fields(simdjson::dom::parser& parser, const simdjson::padded_string& json, Fields& f) {
  f = Fields{};
  simdjson::dom::element doc;
  if (parser.parse(json).get(doc)) return false;
  simdjson::dom::element choice;
  if (doc["choices"].at(0).get(choice)) return false;
  // Absent members and nulls leave the field empty; only a malformed document fails.
  std::string_view text;
  if (!choice["delta"]["content"].get(text)) f.content = text;
  if (!choice["finish_reason"].get(text)) f.finish_reason = text;
  simdjson::dom::object usage;
  if (!doc["usage"].get(usage)) {
    int64_t n;
    if (!usage["prompt_tokens"].get(n)) f.prompt_tokens = n;
    if (!usage["completion_tokens"].get(n)) f.completion_tokens = n;
    if (!usage["total_tokens"].get(n)) f.total_tokens = n;
  }
  return true;
}

// ---- RapidJSON -------------------------------------------------------------------------------

// A document whose value and parse-stack allocators both draw from caller-provided buffers.
using PoolDocument =
    rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>, rapidjson::MemoryPoolAllocator<>>;

const rapidjson::Value* member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

int64_t rj_int(const rapidjson::Value& object, const char* name) {
  const rapidjson::Value* v = member(object, name);
  return v && v->IsInt64() ? v->GetInt64() : -1;
}

template <class Document>
bool rapidjson_fields(Document& d, const std::string& json, Fields& f) {
  f = Fields{};
  d.Parse(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject()) return false;
  const rapidjson::Value* choices = member(d, "choices");
  if (!choices || !choices->IsArray() || choices->Empty()) return false;
  const rapidjson::Value& choice = (*choices)[0];
  if (const rapidjson::Value* delta = member(choice, "delta"))
    if (const rapidjson::Value* content = member(*delta, "content"); content && content->IsString())
      f.content = std::string_view(content->GetString(), content->GetStringLength());
  if (const rapidjson::Value* finish = member(choice, "finish_reason"); finish && finish->IsString())
    f.finish_reason = std::string_view(finish->GetString(), finish->GetStringLength());
  if (const rapidjson::Value* usage = member(d, "usage"); usage && usage->IsObject()) {
    f.prompt_tokens = rj_int(*usage, "prompt_tokens");
    f.completion_tokens = rj_int(*usage, "completion_tokens");
    f.total_tokens = rj_int(*usage, "total_tokens");
  }
  return true;
}

// ---- nlohmann-json ---------------------------------------------------------------------------

bool nlohmann_fields(const nlohmann::json& j, Fields& f) {
  f = Fields{};
  if (!j.is_object()) return false;
  auto choices = j.find("choices");
  if (choices == j.end() || !choices->is_array() || choices->empty()) return false;
  const nlohmann::json& choice = (*choices)[0];
  if (auto delta = choice.find("delta"); delta != choice.end() && delta->is_object())
    if (auto content = delta->find("content"); content != delta->end() && content->is_string())
      f.content = content->get_ref<const std::string&>();
  if (auto finish = choice.find("finish_reason"); finish != choice.end() && finish->is_string())
    f.finish_reason = finish->get_ref<const std::string&>();
  if (auto usage = j.find("usage"); usage != j.end() && usage->is_object()) {
    auto get = [&](const char* name) -> int64_t {
      auto v = usage->find(name);
      return v != usage->end() && v->is_number_integer() ? v->get<int64_t>() : -1;
    };
    f.prompt_tokens = get("prompt_tokens");
    f.completion_tokens = get("completion_tokens");
    f.total_tokens = get("total_tokens");
  }
  return true;
}

// ---- hfi ---------------------------------------------------------------------------------------

bool hfi_fields(hfi::json::ChunkParser& parser, hfi::json::ChunkView& view, std::string_view json, bool padded,
                Fields& f, hfi::json::ParseOptions options = {}) {
  f = Fields{};
  if (!parser.parse(json, padded, view, options)) return false;
  if (!view.choices.empty()) {
    f.content = view.choices[0].content;
    f.finish_reason = view.choices[0].finish_reason;
  }
  if (view.usage.present) {
    f.prompt_tokens = view.usage.prompt_tokens;
    f.completion_tokens = view.usage.completion_tokens;
    f.total_tokens = view.usage.total_tokens;
  }
  return true;
}

// ---- benchmarks --------------------------------------------------------------------------------

void finish(benchmark::State& state) {
  // Iterations cycle through the chunks, so on average each one is g_chunk_bytes / n bytes.
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(static_cast<double>(state.iterations()) *
                                               static_cast<double>(g_chunk_bytes) /
                                               static_cast<double>(g_chunks.size())));
}

void BM_simdjson_ondemand(benchmark::State& state) {
  od::parser parser;
  Fields f;
  size_t i = 0;
  for (auto _ : state) {
    if (!ondemand_fields(parser, g_padded[i], f)) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(f);
    if (++i == g_padded.size()) i = 0;
  }
  finish(state);
}

void BM_simdjson_dom(benchmark::State& state) {
  simdjson::dom::parser parser;
  Fields f;
  size_t i = 0;
  for (auto _ : state) {
    if (!dom_fields(parser, g_padded[i], f)) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(f);
    if (++i == g_padded.size()) i = 0;
  }
  finish(state);
}

void BM_rapidjson(benchmark::State& state) {
  Fields f;
  size_t i = 0;
  for (auto _ : state) {
    char value_buffer[8192];
    char parse_buffer[2048];
    rapidjson::MemoryPoolAllocator<> value_allocator(value_buffer, sizeof value_buffer);
    rapidjson::MemoryPoolAllocator<> parse_allocator(parse_buffer, sizeof parse_buffer);
    PoolDocument d(&value_allocator, sizeof parse_buffer, &parse_allocator);
    if (!rapidjson_fields(d, g_chunks[i], f)) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(f);
    if (++i == g_chunks.size()) i = 0;
  }
  finish(state);
}

void BM_nlohmann(benchmark::State& state) {
  Fields f;
  size_t i = 0;
  for (auto _ : state) {
    const std::string& s = g_chunks[i];
    nlohmann::json j = nlohmann::json::parse(s.begin(), s.end(), nullptr, /*allow_exceptions=*/false);
    if (!nlohmann_fields(j, f)) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(f);
    if (++i == g_chunks.size()) i = 0;
  }
  finish(state);
}

// As production parses: padded (the SSE parser's buffer carries simdjson's padding) or not, and
// with or without id/model/object (ChatCall drops them once the stream's are known).
template <bool kPadded, bool kIdentity>
void BM_hfi_chunk_parser(benchmark::State& state) {
  hfi::json::ChunkParser parser;
  hfi::json::ChunkView view;
  hfi::json::ParseOptions options;
  options.identity = kIdentity;
  Fields f;
  size_t i = 0;
  for (auto _ : state) {
    std::string_view json = kPadded ? std::string_view(g_padded[i].data(), g_padded[i].size()) : g_chunks[i];
    if (!hfi_fields(parser, view, json, kPadded, f, options)) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(f);
    if (++i == g_chunks.size()) i = 0;
  }
  finish(state);
}

void BM_hfi_parse_chat_response(benchmark::State& state) {
  hfi::json::ChatResult result;
  for (auto _ : state) {
    result = hfi::json::ChatResult{};
    if (!hfi::json::parse_chat_response(g_chat_response, result)) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_chat_response.size()));
}

BENCHMARK(BM_simdjson_ondemand);
BENCHMARK(BM_simdjson_dom);
BENCHMARK(BM_rapidjson);
BENCHMARK(BM_nlohmann);
BENCHMARK(BM_hfi_chunk_parser<true, true>)->Name("BM_hfi_chunk_parser");
BENCHMARK(BM_hfi_chunk_parser<false, true>)->Name("BM_hfi_chunk_parser_unpadded");
BENCHMARK(BM_hfi_chunk_parser<true, false>)->Name("BM_hfi_chunk_parser_no_identity");
BENCHMARK(BM_hfi_parse_chat_response);

// ---- agreement check ---------------------------------------------------------------------------

struct Summary {
  std::string content;  // all contents joined
  size_t content_chunks = 0;
  std::string finish_reason;
  int64_t prompt_tokens = -1, completion_tokens = -1, total_tokens = -1;
  bool operator==(const Summary& o) const {
    return content == o.content && content_chunks == o.content_chunks && finish_reason == o.finish_reason &&
           prompt_tokens == o.prompt_tokens && completion_tokens == o.completion_tokens &&
           total_tokens == o.total_tokens;
  }
};

template <class Extract>
bool summarize(Extract&& extract, Summary& s) {
  s = Summary{};
  for (size_t i = 0; i < g_chunks.size(); ++i) {
    Fields f;
    if (!extract(i, f)) return false;
    if (!f.content.empty()) s.content_chunks++;
    s.content.append(f.content);
    if (!f.finish_reason.empty()) s.finish_reason.assign(f.finish_reason);
    if (f.total_tokens >= 0) {
      s.prompt_tokens = f.prompt_tokens;
      s.completion_tokens = f.completion_tokens;
      s.total_tokens = f.total_tokens;
    }
  }
  return true;
}

bool all_agree() {
  Summary reference;
  summarize([](size_t i, Fields& f) {
    static nlohmann::json j;
    j = nlohmann::json::parse(g_chunks[i], nullptr, false);
    return nlohmann_fields(j, f);
  }, reference);
  if (reference.content_chunks != 256 || reference.finish_reason != "stop" || reference.total_tokens <= 0) {
    std::fprintf(stderr, "unexpected stream: %zu content chunks, finish_reason '%s', total_tokens %lld\n",
                 reference.content_chunks, reference.finish_reason.c_str(),
                 static_cast<long long>(reference.total_tokens));
    return false;
  }
  od::parser od_parser;
  simdjson::dom::parser dom_parser;
  hfi::json::ChunkParser hfi_parser;
  hfi::json::ChunkView view;
  std::vector<std::pair<const char*, Summary>> got(6);
  bool parsed = true;
  got[0].first = "simdjson_ondemand";
  parsed &= summarize([&](size_t i, Fields& f) { return ondemand_fields(od_parser, g_padded[i], f); }, got[0].second);
  got[1].first = "simdjson_dom";
  parsed &= summarize([&](size_t i, Fields& f) { return dom_fields(dom_parser, g_padded[i], f); }, got[1].second);
  got[2].first = "rapidjson";
  parsed &= summarize([&](size_t i, Fields& f) {
    static rapidjson::Document d;
    return rapidjson_fields(d, g_chunks[i], f);
  }, got[2].second);
  got[3].first = "hfi_chunk_parser";
  parsed &= summarize([&](size_t i, Fields& f) {
    return hfi_fields(hfi_parser, view, std::string_view(g_padded[i].data(), g_padded[i].size()), true, f);
  }, got[3].second);
  got[4].first = "hfi_chunk_parser_unpadded";
  parsed &= summarize([&](size_t i, Fields& f) { return hfi_fields(hfi_parser, view, g_chunks[i], false, f); },
                      got[4].second);
  got[5].first = "hfi_chunk_parser_no_identity";
  parsed &= summarize([&](size_t i, Fields& f) {
    return hfi_fields(hfi_parser, view, std::string_view(g_padded[i].data(), g_padded[i].size()), true, f, {false});
  }, got[5].second);
  if (!parsed) {
    std::fprintf(stderr, "an extractor failed to parse a chunk\n");
    return false;
  }
  for (auto& [name, summary] : got) {
    if (!(summary == reference)) {
      std::fprintf(stderr, "%s disagrees with nlohmann on the extracted fields\n", name);
      return false;
    }
  }
  hfi::json::ChatResult result;
  if (!hfi::json::parse_chat_response(g_chat_response, result) || result.content.empty()) {
    std::fprintf(stderr, "parse_chat_response failed on the canned chat response\n");
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
#if defined(HFI_BENCH_NEEDS_AVX2)
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("bmi2") || !__builtin_cpu_supports("pclmul")) {
    std::fprintf(stderr, "this build needs a CPU with AVX2, BMI2 and PCLMUL; run json_bench instead\n");
    return 0;
  }
#endif
  // On-Demand runs the kernel chosen at compile time; DOM dispatches at run time.
  std::fprintf(stderr, "simdjson: On-Demand kernel '%s' (compile time), DOM kernel '%s' (run time)\n",
               SIMDJSON_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION),
               simdjson::get_active_implementation()->name().c_str());
  std::string www = hfi_bench::www_dir(argc, argv);
  g_chunks = hfi_bench::sse_payloads(hfi_bench::read_file(www + "/stream/v1/chat/completions"));
  g_chat_response = hfi_bench::read_file(www + "/v1/chat/completions");
  for (const std::string& c : g_chunks) {
    g_padded.emplace_back(c);
    g_chunk_bytes += c.size();
  }
  std::fprintf(stderr, "%zu chunks, %.1f bytes on average; chat response %zu bytes\n", g_chunks.size(),
               static_cast<double>(g_chunk_bytes) / static_cast<double>(g_chunks.size()), g_chat_response.size());
  if (!all_agree()) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
