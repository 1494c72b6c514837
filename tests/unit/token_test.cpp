// Where a token comes from when the caller gives none: huggingface_hub's order, cleaning, and a
// `source` that names where the token was found without ever containing it.
#include "core/token.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;

// Every variable find_token_in_environment() reads. Each test starts with all of them unset (HOME
// pointing at an empty directory) and the originals are put back afterwards.
const char* const kVariables[] = {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH",
                                  "HF_HOME",  "XDG_CACHE_HOME",         "HOME"};

class TokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kVariables) {
      const char* value = std::getenv(name);
      saved_.emplace_back(name, value ? std::optional<std::string>(value) : std::nullopt);
      ASSERT_EQ(unsetenv(name), 0);
    }
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path(::testing::TempDir()) /
            ("hfi_token_test_" + std::to_string(getpid()) + "_" + info->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "home");
    set("HOME", (root_ / "home").string());
  }

  void TearDown() override {
    for (const auto& [name, value] : saved_) {
      if (value) setenv(name.c_str(), value->c_str(), 1);
      else unsetenv(name.c_str());
    }
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }

  static void set(const char* name, const std::string& value) { ASSERT_EQ(setenv(name, value.c_str(), 1), 0); }

  // Writes `content` to root/relative (creating directories) and returns the full path.
  std::string write(const std::string& relative, const std::string& content) {
    fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream file(path, std::ios::binary);
    file << content;
    return path.string();
  }

  std::string dir(const std::string& relative) {
    fs::path path = root_ / relative;
    fs::create_directories(path);
    return path.string();
  }

  fs::path root_;

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

void expect_found(const hfi::FoundToken& found, const std::string& value, const std::string& source) {
  EXPECT_EQ(found.value.get(), value);
  EXPECT_EQ(found.source, source);
  if (!value.empty()) { EXPECT_EQ(found.source.find(value), std::string::npos) << "source leaks the token"; }
}

void expect_none(const hfi::FoundToken& found) {
  EXPECT_TRUE(found.value.empty()) << "found '" << found.value.get() << "' in " << found.source;
}

// ---- nothing anywhere ------------------------------------------------------------------------

TEST_F(TokenTest, NothingFound) { expect_none(hfi::find_token_in_environment()); }

TEST_F(TokenTest, NothingFoundWithoutHome) {
  ASSERT_EQ(unsetenv("HOME"), 0);
  expect_none(hfi::find_token_in_environment());
}

// ---- the order -------------------------------------------------------------------------------

// Fills every source; each test then removes the better ones to reach the one under test.
class TokenOrderTest : public TokenTest {
 protected:
  void SetUp() override {
    TokenTest::SetUp();
    set("HF_TOKEN", "hf_from_hf_token");
    set("HUGGING_FACE_HUB_TOKEN", "hf_from_hub_token");
    token_path_ = write("custom/token_file", "hf_from_token_path\n");
    set("HF_TOKEN_PATH", token_path_);
    hf_home_token_ = write("hf_home/token", "hf_from_hf_home\n");
    set("HF_HOME", (root_ / "hf_home").string());
    xdg_token_ = write("xdg/huggingface/token", "hf_from_xdg\n");
    set("XDG_CACHE_HOME", (root_ / "xdg").string());
    home_token_ = write("home/.cache/huggingface/token", "hf_from_home\n");
  }
  std::string token_path_, hf_home_token_, xdg_token_, home_token_;
};

TEST_F(TokenOrderTest, HfTokenFirst) { expect_found(hfi::find_token_in_environment(), "hf_from_hf_token", "HF_TOKEN"); }

TEST_F(TokenOrderTest, HuggingFaceHubTokenSecond) {
  ASSERT_EQ(unsetenv("HF_TOKEN"), 0);
  expect_found(hfi::find_token_in_environment(), "hf_from_hub_token", "HUGGING_FACE_HUB_TOKEN");
}

TEST_F(TokenOrderTest, TokenPathFileThird) {
  ASSERT_EQ(unsetenv("HF_TOKEN"), 0);
  ASSERT_EQ(unsetenv("HUGGING_FACE_HUB_TOKEN"), 0);
  expect_found(hfi::find_token_in_environment(), "hf_from_token_path", token_path_);
}

TEST_F(TokenOrderTest, HfHomeTokenFourth) {
  ASSERT_EQ(unsetenv("HF_TOKEN"), 0);
  ASSERT_EQ(unsetenv("HUGGING_FACE_HUB_TOKEN"), 0);
  ASSERT_EQ(unsetenv("HF_TOKEN_PATH"), 0);
  expect_found(hfi::find_token_in_environment(), "hf_from_hf_home", hf_home_token_);
}

TEST_F(TokenOrderTest, XdgCacheTokenFifth) {
  ASSERT_EQ(unsetenv("HF_TOKEN"), 0);
  ASSERT_EQ(unsetenv("HUGGING_FACE_HUB_TOKEN"), 0);
  ASSERT_EQ(unsetenv("HF_TOKEN_PATH"), 0);
  ASSERT_EQ(unsetenv("HF_HOME"), 0);
  expect_found(hfi::find_token_in_environment(), "hf_from_xdg", xdg_token_);
}

TEST_F(TokenOrderTest, HomeCacheTokenLast) {
  ASSERT_EQ(unsetenv("HF_TOKEN"), 0);
  ASSERT_EQ(unsetenv("HUGGING_FACE_HUB_TOKEN"), 0);
  ASSERT_EQ(unsetenv("HF_TOKEN_PATH"), 0);
  ASSERT_EQ(unsetenv("HF_HOME"), 0);
  ASSERT_EQ(unsetenv("XDG_CACHE_HOME"), 0);
  expect_found(hfi::find_token_in_environment(), "hf_from_home", home_token_);
}

TEST_F(TokenOrderTest, EmptyVariablesCountAsUnset) {
  set("HF_TOKEN", "");
  set("HUGGING_FACE_HUB_TOKEN", "");
  set("HF_TOKEN_PATH", "");
  set("HF_HOME", "");
  set("XDG_CACHE_HOME", "");
  expect_found(hfi::find_token_in_environment(), "hf_from_home", home_token_);
}

// As in huggingface_hub, HF_TOKEN_PATH and HF_HOME choose the file; they are not extra places to
// look: when the chosen file is missing there is no token.
TEST_F(TokenOrderTest, TokenPathNamingAMissingFileMeansNoToken) {
  ASSERT_EQ(unsetenv("HF_TOKEN"), 0);
  ASSERT_EQ(unsetenv("HUGGING_FACE_HUB_TOKEN"), 0);
  set("HF_TOKEN_PATH", (root_ / "does/not/exist").string());
  expect_none(hfi::find_token_in_environment());
}

TEST_F(TokenOrderTest, HfHomeWithoutATokenFileMeansNoToken) {
  ASSERT_EQ(unsetenv("HF_TOKEN"), 0);
  ASSERT_EQ(unsetenv("HUGGING_FACE_HUB_TOKEN"), 0);
  ASSERT_EQ(unsetenv("HF_TOKEN_PATH"), 0);
  set("HF_HOME", dir("empty_hf_home"));
  expect_none(hfi::find_token_in_environment());
}

TEST_F(TokenOrderTest, TokenPathThatIsADirectoryMeansNoToken) {
  ASSERT_EQ(unsetenv("HF_TOKEN"), 0);
  ASSERT_EQ(unsetenv("HUGGING_FACE_HUB_TOKEN"), 0);
  set("HF_TOKEN_PATH", dir("a_directory"));
  expect_none(hfi::find_token_in_environment());
}

// ---- cleaning --------------------------------------------------------------------------------

TEST_F(TokenTest, VariableIsTrimmedAndLosesCrLf) {
  set("HF_TOKEN", "  hf_abc\r\n");
  expect_found(hfi::find_token_in_environment(), "hf_abc", "HF_TOKEN");
}

TEST_F(TokenTest, CrAndLfAreRemovedAnywhere) {
  set("HF_TOKEN", "hf_a\r\nb\nc\rd");
  expect_found(hfi::find_token_in_environment(), "hf_abcd", "HF_TOKEN");
}

TEST_F(TokenTest, InnerSpacesAreKept) {
  set("HF_TOKEN", " hf_a b ");
  expect_found(hfi::find_token_in_environment(), "hf_a b", "HF_TOKEN");
}

TEST_F(TokenTest, EmptyHfTokenFallsThrough) {
  set("HF_TOKEN", "");
  set("HUGGING_FACE_HUB_TOKEN", "hf_hub");
  expect_found(hfi::find_token_in_environment(), "hf_hub", "HUGGING_FACE_HUB_TOKEN");
}

TEST_F(TokenTest, BlankVariablesFallThroughToTheFile) {
  set("HF_TOKEN", " \r\n ");
  set("HUGGING_FACE_HUB_TOKEN", "\n");
  std::string path = write("home/.cache/huggingface/token", "hf_file");
  expect_found(hfi::find_token_in_environment(), "hf_file", path);
}

TEST_F(TokenTest, FileIsCleaned) {
  std::string path = write("t/token", "  hf_from_file \r\n");
  set("HF_TOKEN_PATH", path);
  expect_found(hfi::find_token_in_environment(), "hf_from_file", path);
}

TEST_F(TokenTest, FileWithoutNewline) {
  std::string path = write("t/token", "hf_x");
  set("HF_TOKEN_PATH", path);
  expect_found(hfi::find_token_in_environment(), "hf_x", path);
}

TEST_F(TokenTest, EmptyFileIsNoToken) {
  set("HF_TOKEN_PATH", write("t/token", ""));
  expect_none(hfi::find_token_in_environment());
}

TEST_F(TokenTest, BlankFileIsNoToken) {
  set("HF_TOKEN_PATH", write("t/token", " \r\n\n  \n"));
  expect_none(hfi::find_token_in_environment());
}

TEST_F(TokenTest, UnreadableFileIsNoToken) {
  std::string path = write("t/token", "hf_secret");
  fs::permissions(path, fs::perms::none);
  set("HF_TOKEN_PATH", path);
  if (std::ifstream(path).good()) GTEST_SKIP() << "running with permission to read anything (root?)";
  expect_none(hfi::find_token_in_environment());
}

// ---- source ----------------------------------------------------------------------------------

TEST_F(TokenTest, SourceNamesTheVariableNotTheValue) {
  set("HUGGING_FACE_HUB_TOKEN", "hf_SECRETVALUE");
  hfi::FoundToken found = hfi::find_token_in_environment();
  EXPECT_EQ(found.source, "HUGGING_FACE_HUB_TOKEN");
  EXPECT_EQ(found.source.find("SECRETVALUE"), std::string::npos);
}

TEST_F(TokenTest, SourceNamesTheFileNotTheValue) {
  std::string path = write("hf_home/token", "hf_SECRETVALUE\n");
  set("HF_HOME", (root_ / "hf_home").string());
  hfi::FoundToken found = hfi::find_token_in_environment();
  EXPECT_EQ(found.value.get(), "hf_SECRETVALUE");
  EXPECT_EQ(found.source, path);
  EXPECT_EQ(found.source.find("SECRETVALUE"), std::string::npos);
}

TEST_F(TokenTest, NoSourceWhenNothingFound) {
  set("HF_TOKEN", "");
  hfi::FoundToken found = hfi::find_token_in_environment();
  EXPECT_TRUE(found.value.empty());
  EXPECT_TRUE(found.source.empty()) << found.source;
}

// ---- environment hygiene ---------------------------------------------------------------------

TEST_F(TokenTest, DoesNotChangeTheEnvironment) {
  set("HF_TOKEN", " hf_abc\n");
  hfi::find_token_in_environment();
  const char* after = std::getenv("HF_TOKEN");
  ASSERT_NE(after, nullptr);
  EXPECT_STREQ(after, " hf_abc\n");
}

}  // namespace
