// The README's table of tasks and the providers that serve each is the code's own tables
// (tasks/catalog.cpp, providers/table.cpp) written out: it cannot drift from them. With
// HFI_UPDATE_README=1 the test rewrites the table instead of failing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "providers/table.h"
#include "tasks/catalog.h"

namespace {

const char kBegin[] = "<!-- tasks-providers -->";
const char kEnd[] = "<!-- /tasks-providers -->";

std::string table_from_code() {
  std::string out = "| task | providers |\n|---|---|\n";
  for (const hfi::tasks::TaskInfo& task : hfi::tasks::all_tasks()) {
    std::string providers;
    for (const hfi::providers::ProviderInfo& p : hfi::providers::all_providers()) {
      bool serves = p.name == "hf-inference" ? task.hf_inference : hfi::providers::find_route(p, task.name) != nullptr;
      if (!serves) continue;
      providers += (providers.empty() ? "" : ", ") + std::string(p.name);
      if (!p.routed) providers += " (own key)";
    }
    out += "| `" + std::string(task.name) + "` | " + (providers.empty() ? "—" : providers) + " |\n";
  }
  return out;
}

TEST(ReadmeTables, TasksAndProvidersTableIsTheCodes) {
  std::ifstream in(HFI_README_PATH);
  ASSERT_TRUE(in) << HFI_README_PATH;
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  size_t begin = text.find(kBegin), end = text.find(kEnd);
  ASSERT_NE(begin, std::string::npos) << "README.md lacks " << kBegin;
  ASSERT_NE(end, std::string::npos) << "README.md lacks " << kEnd;
  begin += sizeof kBegin - 1;
  std::string want = "\n" + table_from_code();
  std::string have = text.substr(begin, end - begin);
  if (have != want && std::getenv("HFI_UPDATE_README")) {
    text.replace(begin, end - begin, want);
    std::ofstream(HFI_README_PATH, std::ios::binary) << text;
    return;
  }
  EXPECT_EQ(have, want) << "README.md's tasks × providers table is not the code's: run this test with "
                           "HFI_UPDATE_README=1 to rewrite it";
}

}  // namespace
