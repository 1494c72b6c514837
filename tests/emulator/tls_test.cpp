// HTTPS with the throwaway test CA: trusted clients get through, others do not.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "emulator.h"
#include "test_client.h"

namespace hfi::emu::test {
namespace {

using nlohmann::json;

class Tls : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("hfi-emu-tls-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    Options options;
    options.tls = true;
    options.tls_dir = dir.string();
    emulator = std::make_unique<Emulator>(options);
    std::string error;
    ASSERT_TRUE(emulator->start(&error)) << error;
  }
  void TearDown() override {
    emulator.reset();
    std::filesystem::remove_all(dir);
  }
  Call chat_call(const std::string& base, bool stream = false) const {
    Call call;
    call.method = "POST";
    call.url = base + "/v1/chat/completions";
    call.body = chat_body("secure hello", stream);
    call.headers = {"Content-Type: application/json"};
    return call;
  }
  std::filesystem::path dir;
  std::unique_ptr<Emulator> emulator;
};

TEST_F(Tls, WritesTheCertificateFiles) {
  EXPECT_EQ(emulator->base_url(), "https://127.0.0.1:" + std::to_string(emulator->port()));
  EXPECT_EQ(emulator->ca_pem_path(), (dir / "ca.pem").string());
  for (const char* name : {"ca.pem", "server.pem", "server.key"}) {
    std::ifstream file(dir / name);
    std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("-----BEGIN "), std::string::npos) << name;
  }
  auto key_permissions = std::filesystem::status(dir / "server.key").permissions();
  EXPECT_EQ(key_permissions & std::filesystem::perms::others_read, std::filesystem::perms::none);
}

TEST_F(Tls, AClientTrustingTheCaConnects) {
  Call call = chat_call(emulator->base_url());
  call.ca_file = emulator->ca_pem_path();
  Response response = request(call);
  ASSERT_EQ(response.code, CURLE_OK) << response.error;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(json::parse(response.body)["choices"][0]["message"]["content"], "Hello! You said: secure hello");
}

TEST_F(Tls, TheCertificateCoversLocalhostToo) {
  Call call = chat_call("https://localhost:" + std::to_string(emulator->port()), true);
  call.ca_file = emulator->ca_pem_path();
  Response response = request(call);
  ASSERT_EQ(response.code, CURLE_OK) << response.error;
  EXPECT_EQ(sse_data(response.body).back(), "[DONE]");
}

TEST_F(Tls, AClientWithoutTheCaFailsVerification) {
  Response response = request(chat_call(emulator->base_url()));  // system trust store only
  EXPECT_EQ(response.code, CURLE_PEER_FAILED_VERIFICATION) << response.error;
  EXPECT_TRUE(emulator->requests().empty());
}

TEST_F(Tls, FaultsWorkOverTls) {
  emulator->script(R"({"default_sse":true,"drop_after":1})");
  Call call = chat_call(emulator->base_url(), true);
  call.ca_file = emulator->ca_pem_path();
  Response dropped = request(call);
  EXPECT_NE(dropped.code, CURLE_OK);
  EXPECT_EQ(sse_data(dropped.body).size(), 1u);

  Client client;  // keep-alive over TLS
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client.run(call).status, 200);
}

}  // namespace
}  // namespace hfi::emu::test
