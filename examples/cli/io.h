// What the hfi commands share: reading their inputs, numbers from flags, reporting a failure.
#pragma once

#include <hfi/hfi.hpp>

#include <functional>
#include <string>
#include <string_view>

#include "arguments.h"

namespace hfi_cli {

// A whole base-10 integer (no sign check: the caller bounds it).
bool parse_integer(const std::string& text, long long* value);

// The bytes of the file at `path`, or of stdin for "-". False (errno set) when it cannot be read.
bool read_file(const std::string& path, std::string* bytes);

// `text` without the trailing `characters` ("\r\n" ends of lines, spaces).
std::string without_trailing(std::string text, const char* characters);

// `text` to stdout as it is (no newline added).
void write_stdout(std::string_view text);

// `text` and a newline to stdout.
void print_line(std::string_view text);

// Client options set from flags, each value tried alone first, so that a value hfi refuses is
// reported with the flag that gave it ("--header 'x': a header must be written ...").
class FlagOptions {
 public:
  // Applies `set` unless an earlier flag was refused; `flag` names it in the problem.
  void apply(const std::string& flag, const std::function<void(hfi::client_options&)>& set);
  // The first refusal, or empty.
  const std::string& problem() const { return problem_; }
  hfi::client_options& options() { return options_; }

 private:
  hfi::client_options options_;
  std::string problem_;
};

// The client options of the shared flags, hfi-cli's user agent, and HFI_TOKEN when set as the
// client's token: the caller's deliberate choice of a token for whatever server the flags name
// (HF_TOKEN and the token files stay for Hugging Face hosts).
FlagOptions server_options(const ServerFlags& server);

// hfi: error: <status> (HTTP n): <provider message>[, retry after N s][; how to get a token]
void print_request_error(const hfi::error_info& error);

}  // namespace hfi_cli
