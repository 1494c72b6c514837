// hfi_get_api_v1(): the ABI handshake, and a table whose every slot is the function its name
// says, in the order include/hfi/hfi_api.h declares (what a dlopen() user compiles against).
#include <hfi/hfi_api.h>

#include <dlfcn.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace {

std::string last_error() {
  const char* message = nullptr;
  size_t len = 0;
  if (hfi_last_error_message(&message, &len) != HFI_OK) return "<unreadable>";
  return std::string(message, len);
}

// The slot names, in order, from the struct definition of the header: its lines
// "  PFN_hfi_<name> <name>;".
std::vector<std::string> slot_names() {
  std::ifstream in(HFI_API_HEADER);
  std::vector<std::string> names;
  const std::string prefix = "  PFN_hfi_";
  for (std::string line; std::getline(in, line);) {
    if (line.compare(0, prefix.size(), prefix) != 0 || line.back() != ';') continue;
    std::istringstream fields(line.substr(prefix.size(), line.size() - prefix.size() - 1));
    std::string type, name;
    fields >> type >> name;
    EXPECT_EQ(type, name) << "slot " << name << " holds PFN_hfi_" << type;
    names.push_back(name);
  }
  return names;
}

TEST(ApiTable, HandsOutTheTableForThisAbi) {
  const hfi_api_v1* api = nullptr;
  ASSERT_EQ(hfi_get_api_v1(HFI_ABI_VERSION, &api), HFI_OK);
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->struct_size, sizeof(hfi_api_v1));
  EXPECT_EQ(api->abi, static_cast<uint32_t>(HFI_ABI_VERSION));
  EXPECT_EQ(last_error(), "");
  const hfi_api_v1* again = nullptr;
  ASSERT_EQ(hfi_get_api_v1(HFI_ABI_VERSION, &again), HFI_OK);
  EXPECT_EQ(again, api) << "the table is static";
}

TEST(ApiTable, EverySlotIsTheFunctionItNames) {
  const hfi_api_v1* api = nullptr;
  ASSERT_EQ(hfi_get_api_v1(HFI_ABI_VERSION, &api), HFI_OK);
  const std::vector<std::string> names = slot_names();
  ASSERT_EQ(offsetof(hfi_api_v1, version_num), 8u);
  ASSERT_EQ(names.size(), (sizeof(hfi_api_v1) - 8) / sizeof(void*)) << "every slot of the struct is named";
  ASSERT_GE(names.size(), 80u);
  for (size_t i = 0; i < names.size(); ++i) {
    void* slot = nullptr;
    std::memcpy(&slot, reinterpret_cast<const char*>(api) + 8 + i * sizeof(void*), sizeof slot);
    const std::string symbol = "hfi_" + names[i];
    ASSERT_NE(slot, nullptr) << "slot " << i << " (" << names[i] << ") is empty";
    Dl_info info{};
    ASSERT_NE(dladdr(slot, &info), 0) << symbol;
    EXPECT_STREQ(info.dli_sname, symbol.c_str()) << "slot " << i;
    EXPECT_EQ(slot, dlsym(RTLD_DEFAULT, symbol.c_str())) << symbol << " is the exported function";
  }
}

TEST(ApiTable, CallsThroughTheTableWork) {
  const hfi_api_v1* api = nullptr;
  ASSERT_EQ(hfi_get_api_v1(HFI_ABI_VERSION, &api), HFI_OK);
  EXPECT_EQ(api->version_num(), static_cast<uint32_t>(HFI_VERSION_NUM));
  EXPECT_STREQ(api->version_str(), HFI_VERSION_STR);
  EXPECT_EQ(api->abi_version(), static_cast<uint32_t>(HFI_ABI_VERSION));
  EXPECT_STREQ(api->status_str(HFI_E_ABI_MISMATCH), "ABI version mismatch");
  hfi_client_options* opts = nullptr;
  ASSERT_EQ(api->client_options_new(&opts), HFI_OK);
  EXPECT_EQ(api->client_options_set_int(opts, HFI_OPT_TIMEOUT_MS, -5), HFI_E_INVALID_ARG);
  api->client_options_free(opts);
  EXPECT_TRUE(HFI_API_V1_HAS(api, data_url));
  EXPECT_TRUE(HFI_API_V1_HAS(api, version_num));
}

TEST(ApiTable, OlderTableLacksNewerSlots) {
  // A library older than the caller's headers fills a shorter table.
  hfi_api_v1 older{};
  older.struct_size = static_cast<uint32_t>(offsetof(hfi_api_v1, client_wakeup) + sizeof(void*));
  EXPECT_TRUE(HFI_API_V1_HAS(&older, client_wakeup));
  EXPECT_FALSE(HFI_API_V1_HAS(&older, client_options_set_log));
  EXPECT_FALSE(HFI_API_V1_HAS(&older, data_url));
}

TEST(ApiTable, AnotherAbiGenerationIsRefusedWithItsOwnCode) {
  for (uint32_t other : {static_cast<uint32_t>(HFI_ABI_VERSION + 1), UINT32_MAX}) {
    const hfi_api_v1* api = reinterpret_cast<const hfi_api_v1*>(&other);  // must be overwritten
    EXPECT_EQ(hfi_get_api_v1(other, &api), HFI_E_ABI_MISMATCH);
    EXPECT_EQ(api, nullptr);
    EXPECT_EQ(last_error(), "hfi_get_api_v1: the caller was built for ABI " + std::to_string(other) +
                                ", this libhfi is ABI " + std::to_string(HFI_ABI_VERSION) + " (" HFI_VERSION_STR ")");
  }
}

TEST(ApiTable, NullOutIsAnInvalidArgument) {
  EXPECT_EQ(hfi_get_api_v1(HFI_ABI_VERSION, nullptr), HFI_E_INVALID_ARG);
  EXPECT_EQ(last_error(), "hfi_get_api_v1: out is NULL");
  EXPECT_EQ(hfi_get_api_v1(HFI_ABI_VERSION + 1, nullptr), HFI_E_INVALID_ARG);
}

TEST(ApiTable, AnyThreadGetsTheSameTable) {
  std::vector<const hfi_api_v1*> seen(8, nullptr);
  std::vector<hfi_status> status(8, HFI_E_INTERNAL);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i)
    threads.emplace_back([&, i] { status[i] = hfi_get_api_v1(HFI_ABI_VERSION, &seen[i]); });
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(status[i], HFI_OK);
    EXPECT_EQ(seen[i], seen[0]);
  }
}

}  // namespace
