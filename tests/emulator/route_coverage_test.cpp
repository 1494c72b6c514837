// Every route of every provider's table, through the router and directly, and
// every hf-inference task: a well-formed request for the default registry's
// model gets a successful answer of the expected kind.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "base64.h"
#include "emulator.h"
#include "media_files.h"
#include "model_registry.h"
#include "provider_catalog.h"
#include "task_catalog.h"
#include "test_client.h"

namespace hfi::emu::test {
namespace {

using nlohmann::json;

std::string audio_data_url() { return "data:audio/wav;base64," + base64_encode(media_bytes("wav")); }
std::string image_data_url() { return "data:image/png;base64," + base64_encode(media_bytes("png")); }

// A request body the provider would accept for the task, as the clients build it.
Call provider_call(const ProviderSpec& provider, const ProviderRouteSpec& route, const std::string& model) {
  Call call;
  call.method = "POST";
  const std::string& task = route.task;
  json body = {{"model", model}};
  if (task == "chat-completion") body["messages"] = {{{"role", "user"}, {"content", "hi"}}};
  else if (task == "text-generation") body["prompt"] = "hi";
  else if (task == "feature-extraction") body["input"] = {"a", "b"};
  else if (task == "text-to-speech") body["input"] = "hi", body["text"] = "hi", body["prompt"] = "hi";
  else if (task == "automatic-speech-recognition") body["audio_url"] = audio_data_url();
  else body["prompt"] = "hi", body["image_url"] = image_data_url();
  if (provider.name == "replicate") body = {{"input", body}};
  call.body = body.dump();
  if (task == "automatic-speech-recognition" && (provider.name == "deepinfra" || provider.name == "together")) {
    call.headers.push_back("Content-Type: multipart/form-data; boundary=B");
    call.body = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\n" + media_bytes("wav") +
                "\r\n--B--\r\n";
  }
  return call;
}

class RouteCoverage : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(emulator.start(&error)) << error;
  }
  Emulator emulator;
};

TEST_P(RouteCoverage, EveryProviderRouteAnswers) {
  const bool direct = GetParam();
  std::size_t routes = 0;
  for (const ProviderSpec& provider : all_provider_specs()) {
    for (const ProviderRouteSpec& route : provider.routes) {
      std::string model = default_provider_id(provider.name, route.task);
      std::string path = route.path;
      if (path.find("{id}") != std::string::npos) path.replace(path.find("{id}"), 4, model);
      Call call = provider_call(provider, route, model);
      call.url = emulator.base_url() + (direct ? "/direct/" : "/") + provider.name + path;
      if (direct) call.headers.push_back(std::string("Authorization: ") + (provider.key_auth ? "Key k" : "Bearer k"));
      Response response = request(call);
      EXPECT_TRUE(response.status == 200 || response.status == 201)
          << provider.name << " " << route.task << " " << call.url << " -> " << response.status << " " << response.body;
      ++routes;
    }
  }
  EXPECT_EQ(routes, 59u);  // as many as the client's table (src/providers/table.cpp) has
}

TEST_P(RouteCoverage, EveryHfInferenceTaskAnswers) {
  const bool direct = GetParam();
  for (const TaskSpec& task : all_task_specs()) {
    if (!task.hf_inference) continue;
    Call call;
    call.method = "POST";
    call.url = emulator.base_url() + (direct ? "/direct" : "") + "/hf-inference/models/emu/" + task.name + task.hf_route;
    if (direct) call.headers.push_back("Authorization: Bearer hf_x");
    json inputs = "Hello [MASK] world";
    if (task.name == "question-answering") inputs = {{"question", "q"}, {"context", "c"}};
    if (task.name == "sentence-similarity") inputs = {{"source_sentence", "a"}, {"sentences", {"a"}}};
    if (task.name == "table-question-answering") inputs = {{"query", "q"}, {"table", {{"a", {"1"}}}}};
    if (task.name == "tabular-classification" || task.name == "tabular-regression") inputs = {{"data", {{"a", {"1"}}}}};
    if (task.binary_input) inputs = base64_encode(media_bytes(task.name.find("audio") != std::string::npos ? "wav" : "png"));
    if (task.name == "visual-question-answering" || task.name == "document-question-answering")
      inputs = {{"image", inputs}, {"question", "what"}};
    json body = {{"inputs", inputs}, {"parameters", {{"candidate_labels", {"a", "b"}}}}};
    if (task.name == "chat-completion") body = {{"model", "emu/chat-completion"}, {"messages", {{{"role", "user"}, {"content", "x"}}}}};
    call.body = body.dump();
    Response response = request(call);
    EXPECT_EQ(response.status, 200) << task.name << ": " << response.body;
    if (!task.media_type.empty()) EXPECT_EQ(response.header("content-type"), task.media_type) << task.name;
    else EXPECT_FALSE(json::parse(response.body, nullptr, false).is_discarded()) << task.name;
  }
}

// The emulator keeps its own copy of the client's provider table so that it
// builds alone; this reads the client's source (when it is there) to catch drift.
TEST(ProviderCatalog, MatchesTheClientsTable) {
  std::ifstream file(HFI_CLIENT_PROVIDER_TABLE);
  if (!file) GTEST_SKIP() << "no client table at " << HFI_CLIENT_PROVIDER_TABLE;
  std::stringstream text;
  text << file.rdbuf();
  std::string source = text.str();
  std::set<std::string> theirs, ours;
  std::regex token(R"re(\{"([a-z-]+)", "https?://[^"]*"|\{"(hf-inference)", ""|\{(kChat|"[a-z-]+"), (kChatPath|"/[^"]*"))re");
  std::string provider;
  for (auto match = std::sregex_iterator(source.begin(), source.end(), token); match != std::sregex_iterator(); ++match) {
    if ((*match)[1].matched || (*match)[2].matched) {
      provider = (*match)[1].matched ? (*match)[1].str() : (*match)[2].str();
      continue;
    }
    std::string task = (*match)[3] == "kChat" ? "chat-completion" : (*match)[3].str().substr(1, (*match)[3].length() - 2);
    std::string path = (*match)[4] == "kChatPath" ? "/v1/chat/completions" : (*match)[4].str().substr(1, (*match)[4].length() - 2);
    theirs.insert(provider + " " + task + " " + path);
  }
  for (const ProviderSpec& spec : all_provider_specs())
    for (const ProviderRouteSpec& route : spec.routes) ours.insert(spec.name + " " + route.task + " " + route.path);
  EXPECT_EQ(theirs.size(), 59u);
  EXPECT_EQ(ours, theirs);
}

TEST(TaskCatalog, MatchesTheClientsCatalog) {
  std::ifstream file(HFI_CLIENT_TASK_CATALOG);
  if (!file) GTEST_SKIP() << "no client catalog at " << HFI_CLIENT_TASK_CATALOG;
  std::stringstream text;
  text << file.rdbuf();
  std::string source = text.str();
  std::set<std::string> theirs, ours;
  std::regex entry(R"re(\{"([a-z-]+)", B::(\w+), Output::(\w+), (true|false), "([^"]*)")re");
  for (auto match = std::sregex_iterator(source.begin(), source.end(), entry); match != std::sregex_iterator(); ++match)
    theirs.insert((*match)[1].str() + " " + ((*match)[2] == "none" ? "json" : "binary") + " " + (*match)[3].str() + " " +
                  (*match)[4].str() + " " + (*match)[5].str());
  for (const TaskSpec& task : all_task_specs())
    ours.insert(task.name + " " + (task.binary_input ? "binary" : "json") + " " + (task.media_type.empty() ? "json" : "media") +
                " " + (task.hf_inference ? "true" : "false") + " " + task.hf_route);
  EXPECT_EQ(theirs.size(), 29u);
  EXPECT_EQ(ours, theirs);
}

INSTANTIATE_TEST_SUITE_P(RoutedAndDirect, RouteCoverage, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) { return info.param ? "Direct" : "Routed"; });

}  // namespace
}  // namespace hfi::emu::test
