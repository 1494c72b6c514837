// The task commands of `hfi`: every inference task from the shell (examples/cli/tasks.cpp).
#pragma once

#include <string>

namespace hfi_cli {

inline constexpr const char* kTaskExitCodes =
    "Exit status:\n"
    "  0    the output was printed or written\n"
    "  1    the request failed (network, TLS, timeout, HTTP or API error, unknown model); the reason is on stderr\n"
    "  2    usage error: unknown flag, missing argument, unreadable file, a task or provider hfi does not know\n"
    "  130  interrupted by Ctrl-C\n";

// True for generate, summarize, translate, embed, classify, image, video, speak, transcribe, task, models.
bool is_task_command(const std::string& name);

// One line per task command, for `hfi --help`.
std::string task_commands_help();

// Runs `hfi <task command> ...` (argv[1] is the command); returns the exit status.
int run_task_command(int argc, char** argv);

}  // namespace hfi_cli
