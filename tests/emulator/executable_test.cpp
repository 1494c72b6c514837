// The hfi-emulator executable as other languages' tests will use it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "test_client.h"

extern char** environ;

namespace hfi::emu::test {
namespace {

struct Process {
  pid_t pid = -1;
  int stdout_fd = -1;
  std::string output;

  // Reads stdout until a full line arrives (or timeout / EOF); returns it without "\n".
  std::string read_line(int timeout_ms = 10000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (output.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{stdout_fd, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buffer[512];
      ssize_t n = ::read(stdout_fd, buffer, sizeof buffer);
      if (n <= 0) break;
      output.append(buffer, static_cast<std::size_t>(n));
    }
    std::size_t newline = output.find('\n');
    std::string line = output.substr(0, newline);
    output.erase(0, newline == std::string::npos ? output.size() : newline + 1);
    return line;
  }

  // Exit status, or -1 if it did not exit in time (then it is killed).
  int wait_exit(int timeout_ms = 10000) {
    for (int waited = 0; waited < timeout_ms; waited += 20) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return -1;
  }

  ~Process() {
    if (stdout_fd >= 0) ::close(stdout_fd);
  }
};

Process spawn(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), HFI_EMULATOR_EXE);
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  int pipe_fds[2];
  EXPECT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  Process process;
  EXPECT_EQ(::posix_spawn(&process.pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  process.stdout_fd = pipe_fds[0];
  return process;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("hfi-emu-" + std::to_string(::getpid()) + "-" + name)).string();
}

TEST(Executable, StartsServesAndExitsZeroOnSigterm) {
  std::string port_file = temp_path("port");
  std::filesystem::remove(port_file);
  Process process = spawn({"--port-file", port_file, "--quiet"});
  std::string line = process.read_line();
  std::smatch match;
  ASSERT_TRUE(std::regex_match(line, match, std::regex(R"(hfi-emulator listening on (http://127\.0\.0\.1:(\d+)))")))
      << line;
  std::string base_url = match[1];
  std::ifstream port_stream(port_file);
  int port_in_file = 0;
  port_stream >> port_in_file;
  EXPECT_EQ(std::to_string(port_in_file), match[2].str());

  Response answer = post_json(base_url + "/v1/chat/completions", chat_body("from another process"));
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(nlohmann::json::parse(answer.body)["choices"][0]["message"]["content"],
            "Hello! You said: from another process");
  EXPECT_EQ(post_json(base_url + "/_emulator/script", R"({"status":418})").status, 200);
  EXPECT_EQ(post_json(base_url + "/v1/chat/completions", chat_body("x")).status, 418);
  EXPECT_EQ(nlohmann::json::parse(get(base_url + "/_emulator/requests").body).size(), 2u);

  ::kill(process.pid, SIGTERM);
  EXPECT_EQ(process.wait_exit(), 0);
  EXPECT_EQ(process.read_line(1000), "");  // nothing else on stdout
  std::filesystem::remove(port_file);
}

TEST(Executable, ServesTlsWithATokenAndExitsZeroOnSigint) {
  std::string dir = temp_path("tls");
  Process process = spawn({"--tls", dir, "--require-token=hf_abc", "--threads", "8", "--quiet"});
  std::string line = process.read_line();
  std::smatch match;
  ASSERT_TRUE(std::regex_match(line, match, std::regex(R"(hfi-emulator listening on (https://127\.0\.0\.1:\d+))")))
      << line;
  Call call;
  call.method = "POST";
  call.url = match[1].str() + "/v1/chat/completions";
  call.body = chat_body("tls");
  call.ca_file = dir + "/ca.pem";
  EXPECT_EQ(request(call).status, 401);
  call.headers = {"Authorization: Bearer hf_abc"};
  EXPECT_EQ(request(call).status, 200);
  ::kill(process.pid, SIGINT);
  EXPECT_EQ(process.wait_exit(), 0);
  std::filesystem::remove_all(dir);
}

TEST(Executable, HelpAndBadArguments) {
  Process help = spawn({"--help"});
  EXPECT_EQ(help.read_line(), "usage: hfi-emulator [options]");
  EXPECT_EQ(help.wait_exit(), 0);

  Process bad = spawn({"--bogus"});
  EXPECT_EQ(bad.wait_exit(), 2);
  Process bad_port = spawn({"--port", "http"});
  EXPECT_EQ(bad_port.wait_exit(), 2);
  Process missing_tapes = spawn({"--tapes", "/nonexistent.ndjson", "--quiet"});
  EXPECT_EQ(missing_tapes.wait_exit(), 1);
  EXPECT_EQ(missing_tapes.read_line(1000), "");
}

}  // namespace
}  // namespace hfi::emu::test
