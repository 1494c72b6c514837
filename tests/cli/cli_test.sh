#!/usr/bin/env bash
# Checks the `hfi` command-line tool and the minimal C example against a local hfi-emulator.
#
#   cli_test.sh --emulator PATH [--cli PATH] [--minimal PATH]
#
# Each check prints "ok - <name>" or "not ok - <name>" (with what was seen); the last line is
# "N passed, M failed", and the exit status is non-zero when anything failed.
set -uo pipefail

emulator="" cli="" minimal=""
while [ $# -gt 0 ]; do
  case "$1" in
    --emulator) emulator=$2; shift 2 ;;
    --cli) cli=$2; shift 2 ;;
    --minimal) minimal=$2; shift 2 ;;
    *) echo "usage: $0 --emulator PATH [--cli PATH] [--minimal PATH]" >&2; exit 2 ;;
  esac
done
if [ -z "$emulator" ] || { [ -z "$cli" ] && [ -z "$minimal" ]; }; then
  echo "usage: $0 --emulator PATH [--cli PATH] [--minimal PATH]" >&2
  exit 2
fi
for program in "$emulator" "$cli" "$minimal"; do
  [ -z "$program" ] || [ -x "$program" ] || { echo "$0: not an executable: $program" >&2; exit 2; }
done

export LC_ALL=C  # ${#body} counts bytes
work=$(mktemp -d)
emulator_pids=()
cleanup() {
  local pid watchdog
  for pid in "${emulator_pids[@]}"; do
    kill "$pid" 2>/dev/null
    (sleep 5; kill -KILL "$pid") >/dev/null 2>&1 &  # if it is still there after 5 s
    watchdog=$!
    wait "$pid" 2>/dev/null
    kill "$watchdog" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT

# A token in the environment must change nothing here (it is never sent to 127.0.0.1), and must
# never be printed.
export HF_TOKEN=hf_cli_test_secret_never_printed
unset HFI_ROUTER_URL HFI_BASE_URL

# start_emulator NAME [emulator flags]: one more emulator; its port in $emulator_port, or exit 1.
start_emulator() {
  local name=$1
  shift
  "$emulator" --port 0 --port-file "$work/$name.port" --quiet "$@" >"$work/$name.out" 2>"$work/$name.err" &
  local pid=$!
  emulator_pids+=("$pid")
  for _ in $(seq 100); do
    [ -s "$work/$name.port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ ! -s "$work/$name.port" ]; then
    echo "not ok - the emulator started ($name)"
    cat "$work/$name.out" "$work/$name.err"
    echo "0 passed, 1 failed"
    exit 1
  fi
  emulator_port=$(cat "$work/$name.port")
}
start_emulator main
port=$emulator_port
url="http://127.0.0.1:$port"
answer_to() { printf 'Hello! You said: %s\n' "$1"; }

passed=0
failed=0
status=0
out="$work/out"
err="$work/err"

# run CMD...: runs with stdin from /dev/null; sets $status, leaves stdout in $out, stderr in $err.
run() {
  "$@" </dev/null >"$out" 2>"$err"
  status=$?
}

# check NAME CONDITION: reports whether the shell condition holds for the last run.
check() {
  if eval "$2"; then
    echo "ok - $1"
    passed=$((passed + 1))
  else
    echo "not ok - $1"
    echo "#   condition: $2"
    echo "#   exit status: $status"
    sed 's/^/#   stdout: /' "$out"
    sed 's/^/#   stderr: /' "$err"
    failed=$((failed + 1))
  fi
}

stdout_is() { printf '%s\n' "$1" | cmp -s - "$out"; }  # exactly TEXT and one newline
answer_is() { [ "$status" -eq 0 ] && stdout_is "Hello! You said: $1"; }
exited() { [ "$status" -eq "$1" ]; }
stdout_empty() { [ ! -s "$out" ]; }
stderr_has() { grep -qF -- "$1" "$err"; }
stderr_matches() { grep -qE -- "$1" "$err"; }
no_token_printed() { ! grep -qF "$HF_TOKEN" "$out" "$err"; }
# control METHOD PATH [BODY]: one request to the emulator's control routes, in plain bash (no
# curl needed); prints the response body, fails unless the status is 2xx.
control() {
  local body=${3:-} response
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$1" "$2" "${#body}" "$body" >&3
  response=$(timeout 10 cat <&3)
  exec 3<&-
  printf '%s' "${response#*$'\r\n\r\n'}"
  [[ "$response" =~ ^HTTP/1\.[01]\ 2[0-9][0-9] ]]
}
# The recorded requests, with the JSON-in-JSON bodies' \" unescaped so that a body reads as sent.
request_has() { control GET /_emulator/requests | sed 's/\\"/"/g' | grep -qF -- "$1"; }
script() { control POST /_emulator/script "$1" >/dev/null || echo "# the emulator refused the script $1"; }
reset() { control POST /_emulator/reset >/dev/null; }

# json_content_is TEXT: stdout is one chat.completion JSON object whose choices[0].message.content is TEXT.
json_content_is() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json, sys
doc = json.load(open(sys.argv[1]))
sys.exit(0 if doc["object"] == "chat.completion" and doc["choices"][0]["message"]["content"] == sys.argv[2] else 1)' \
      "$out" "$1"
  else
    [ "$(wc -l <"$out")" -eq 1 ] && grep -q '^{.*}$' "$out" && grep -qF "\"content\":\"$1\"" "$out"
  fi
}

# Longer than the 60 s a client sleeps for a Retry-After: the error comes back at once, with the wait.
rate_limit='{"status":429,"headers":{"Retry-After":"120"},"body":"{\"error\":\"Rate limit reached\"}"}'

# ---- the hfi command-line tool --------------------------------------------------------------

if [ -n "$cli" ]; then
  chat=("$cli" chat --router-url "$url" --no-env-token)

  run "${chat[@]}" "Hello emulator"
  check "streamed answer: stdout is exactly the answer and a newline" 'answer_is "Hello emulator"'
  check "stderr has the summary line" \
    'stderr_matches "^\[hfi\] meta-llama/Llama-3\.1-8B-Instruct via $url/v1/chat/completions · 2\+5 tokens · first byte [0-9]+ ms · total [0-9]+ ms$"'
  check "stderr has nothing but the summary" '[ "$(wc -l <"$err")" -eq 1 ]'
  check "the streamed request asks for usage" 'request_has "\"stream_options\":{\"include_usage\":true}"'

  run "${chat[@]}" --no-stream "Hello emulator"
  check "--no-stream prints the same answer" 'answer_is "Hello emulator"'
  check "--no-stream reports usage and timings" 'stderr_matches "· 2\+5 tokens · first byte [0-9]+ ms · total [0-9]+ ms$"'

  run "${chat[@]}" --json "Hello emulator"
  check "--json prints a chat.completion with the answer (stream)" 'exited 0 && json_content_is "Hello! You said: Hello emulator"'
  run "${chat[@]}" --json --no-stream "Hello emulator"
  check "--json prints a chat.completion with the answer (no stream)" 'exited 0 && json_content_is "Hello! You said: Hello emulator"'

  printf 'From stdin\n' | "${chat[@]}" - >"$out" 2>"$err"
  status=$?
  check "PROMPT - reads the prompt from stdin" 'answer_is "From stdin"'

  reset
  printf 'first turn\n\nsecond turn\n/reset\nthird turn\n/exit\nnever sent\n' | "${chat[@]}" -i >"$out" 2>"$err"
  status=$?
  check "chat -i holds a conversation, one prompt per line of stdin, until /exit" \
    'exited 0 && printf "Hello! You said: first turn\nHello! You said: second turn\nHello! You said: third turn\n" | cmp -s - "$out"'
  check "chat -i sends the history with each prompt, and /reset forgets it" \
    'request_has "\"content\":\"first turn\"},{\"role\":\"assistant\",\"content\":\"Hello! You said: first turn\"},{\"role\":\"user\",\"content\":\"second turn\"" && request_has "\"messages\":[{\"role\":\"user\",\"content\":\"third turn\"}]" && stderr_has "history cleared"'
  reset
  script '{"status":503,"body":"{\"error\":\"busy\"}"}'
  run "${chat[@]}" --retries 1 "retried once"
  check "chat --retries retries a failed attempt" 'answer_is "retried once"'
  run "${chat[@]}" --retries x "no"
  check "chat --retries needs a number (2)" 'exited 2 && stderr_has "--retries needs a number"'
  run "${chat[@]}" -i "a prompt"
  check "chat -i with a PROMPT is a usage error (2)" 'exited 2 && stderr_has "give no PROMPT"'

  printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89' >"$work/look.png"
  reset
  run "${chat[@]}" --image "$work/look.png" "what is in it"
  check "chat --image sends the picture to a vision model as a data URL" \
    'answer_is "what is in it" && request_has "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo"'
  run "${chat[@]}" --image "$work/missing.png" "what is in it"
  check "chat --image of a missing file is a usage error (2)" 'exited 2 && stderr_has "cannot read"'

  tricky='Quote " backslash \ tab	slash / accents héllo ✓'
  run "${chat[@]}" "$tricky"
  check "the prompt is escaped into JSON correctly" 'answer_is "$tricky"'

  reset
  run "${chat[@]}" -m emulator/echo --system "Be brief." --max-tokens 7 --temperature 0.5 \
    --header "X-Test-Header: yes" --timeout 30000 "Options"
  check "request flags reach the body" 'answer_is "Options" && request_has "\"model\":\"emulator/echo\"" &&
    request_has "{\"role\":\"system\",\"content\":\"Be brief.\"}" && request_has "\"max_tokens\":7" &&
    request_has "\"temperature\":0.5"'
  check "--header is sent" 'request_has "\"x-test-header\":\"yes\""'
  check "-m names the model in the summary" 'stderr_has "[hfi] emulator/echo via"'

  reset
  run "${chat[@]}" -m emulator/echo --provider groq "Provider"
  check "--provider becomes the model suffix" 'answer_is "Provider" && request_has "\"model\":\"emulator/echo:groq\""'

  run "$cli" chat --base-url "$url/v1" --no-env-token "Base URL"
  check "--base-url targets an OpenAI-compatible server" 'answer_is "Base URL" && stderr_has " via $url/v1/chat/completions"'

  run "${chat[@]}" -v "Verbose"
  check "-v adds the finish reason" 'answer_is "Verbose" && stderr_has "· finish stop"'
  check "the token is never printed" 'no_token_printed'

  tools="$work/tools.json"
  cat >"$tools" <<'JSON'
[{"type": "function", "function": {"name": "get_weather", "description": "Current weather",
  "parameters": {"type": "object", "properties": {"location": {"type": "string"}, "unit": {"type": "string"}},
  "required": ["location"]}}}]
JSON
  tool_line='get_weather({"location": "Paris", "unit": "celsius"})'
  run "${chat[@]}" --tools-json "$tools" --tool-choice required "Weather in Paris?"
  check "tool calls are printed as name(arguments) (stream)" 'exited 0 && stdout_is "$tool_line"'
  run "${chat[@]}" --no-stream --tools-json "$tools" --tool-choice get_weather "Weather in Paris?"
  check "tool calls are printed as name(arguments) (no stream)" 'exited 0 && stdout_is "$tool_line"'
  check "--tool-choice NAME forces that function" \
    'request_has "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"'
  printf '[{' >"$work/bad.json"
  run "${chat[@]}" --tools-json "$work/bad.json" "Broken tools"
  check "a --tools-json file that is not JSON is a usage error (2)" 'exited 2 && stdout_empty && stderr_has "--tools-json"'
  run "${chat[@]}" --tools-json "$work/missing.json" "Missing tools"
  check "a missing --tools-json file is a usage error (2)" 'exited 2 && stderr_has "missing.json"'

  script "$rate_limit"
  run "${chat[@]}" "Too many"
  check "HTTP 429 exits 1 with the reason and the retry delay" \
    'exited 1 && stdout_empty && stderr_has "rate limited" && stderr_has "Rate limit reached" && stderr_has "retry after 120"'
  check "the error is one line starting with 'hfi: error:'" '[ "$(grep -c "^hfi: error: " "$err")" -eq 1 ]'

  script '{"default_sse":true,"drop_after":3}'
  run "${chat[@]}" "Cut short here please"
  check "a stream cut short exits 1 after the partial answer and its newline" \
    'exited 1 && grep -q "^Hello! " "$out" && [ -z "$(tail -c 1 "$out")" ] && stderr_has "hfi: error: "'

  run "$cli" chat --router-url "http://127.0.0.1:1" --no-env-token "Anyone there?"
  check "connection refused exits 1 with a clear message" \
    'exited 1 && stdout_empty && stderr_has "hfi: error: could not connect" && stderr_has "127.0.0.1"'

  script '{"default_sse":true,"chunk_delay_ms":300}'
  "${chat[@]}" "one two three four five six seven eight nine ten" </dev/null >"$out" 2>"$err" &
  cli_pid=$!
  for _ in $(seq 100); do
    grep -q "Hello!" "$out" 2>/dev/null && break
    sleep 0.05
  done
  kill -INT "$cli_pid" 2>/dev/null
  wait "$cli_pid"
  status=$?
  check "Ctrl-C during a stream exits 130" 'exited 130 && grep -q "^Hello!" "$out" && stderr_has "hfi: interrupted"'

  run "$cli" chat
  check "a missing prompt is a usage error (2)" 'exited 2 && stdout_empty && stderr_has "hfi: error: missing PROMPT"'
  run "$cli" chat ""
  check "an empty prompt is a usage error (2)" 'exited 2 && stderr_has "empty"'
  run "$cli" chat --no-such-flag "Hi"
  check "an unknown flag is a usage error (2)" 'exited 2 && stdout_empty && stderr_has "--no-such-flag"'
  run "$cli" chat "Hi" --model
  check "a flag without its value is a usage error (2)" 'exited 2 && stderr_has "--model needs a value"'
  run "$cli" chat --timeout soon "Hi"
  check "a non-numeric --timeout is a usage error (2)" 'exited 2 && stderr_has "--timeout"'
  run "$cli" chat --timeout -5 "Hi"
  check "a negative --timeout is a usage error (2), explained by the library" 'exited 2 && stderr_matches "--timeout -5: .+"'
  run "$cli" chat --router-url "ftp://example.com" "Hi"
  check "an invalid --router-url is a usage error (2)" 'exited 2 && stderr_matches "--router-url .+: .+"'
  run "$cli" chat --header "no colon" "Hi"
  check "an invalid --header is a usage error (2)" 'exited 2 && stderr_has "--header"'
  run "$cli" chat "two" "prompts"
  check "two PROMPT words are a usage error (2)" 'exited 2 && stderr_has "quote the prompt"'
  run "$cli" frobnicate
  check "an unknown command is a usage error (2)" 'exited 2 && stderr_has "unknown command"'
  run "$cli"
  check "no command is a usage error (2)" 'exited 2'

  run "$cli" --help
  check "--help exits 0 and documents the exit codes" 'exited 0 && grep -q "^Exit status" "$out" && grep -q "130" "$out"'
  run "$cli" chat --help
  check "chat --help exits 0 and lists the flags" 'exited 0 && grep -qF -- "--no-stream" "$out" && grep -qF -- "--tools-json" "$out"'
  run "$cli" --version
  check "--version exits 0" 'exited 0 && grep -qE "^hfi [0-9]+\.[0-9]+\.[0-9]+" "$out"'

  # ---- the task commands (tasks.cpp, on hfi.hpp), against the emulator's models emu/<task> --
  # HFI_TOKEN is the token for whatever router the flags name; HF_TOKEN stays for Hugging Face.
  at=(--router-url "$url" --hub-url "$url")
  png="$work/in.png" wav="$work/in.wav"
  printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89' >"$png"
  printf 'RIFF\x44\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x80\x3e\x00\x00\x00\x7d\x00\x00\x02\x00\x10\x00data\x20\x00\x00\x00' >"$wav"
  head -c 32 /dev/zero >>"$wav"
  export HFI_TOKEN=hf_cli_task_token_never_printed

  task_commands=(generate summarize translate embed classify image video speak transcribe task models)
  lists_every_task_command() {
    local c
    for c in "${task_commands[@]}"; do grep -qE "^  hfi $c " "$out" || return 1; done
  }
  run "$cli" --help
  check "--help lists every task command" 'lists_every_task_command'
  all_help=1
  for c in "${task_commands[@]}"; do
    run "$cli" "$c" --help
    { exited 0 && grep -qF "Usage: hfi $c" "$out" && grep -q "^Exit status" "$out"; } || all_help=0
  done
  check "every task command has --help with its usage and exit codes" '[ "$all_help" = 1 ]'

  run "$cli" generate "${at[@]}" -m emu/text-generation "The fox"
  check "generate prints the generated text" 'exited 0 && grep -q "^The fox" "$out" && [ "$(wc -l <"$out")" -eq 1 ]'
  run "$cli" summarize "${at[@]}" -m emu/summarization "One thing. Two things."
  check "summarize prints the summary" 'exited 0 && stdout_is "One thing."'
  "$cli" translate "${at[@]}" -m emu/translation - <<<"hello" >"$out" 2>"$err"
  status=$?
  check "translate reads '-' from stdin" 'exited 0 && stdout_is "HELLO"'
  run "$cli" embed "${at[@]}" -m emu/feature-extraction "a b" "c"
  check "embed prints one vector per text as JSON" 'exited 0 && grep -qE "^\[\[[-0-9.e,]+\],\[[-0-9.e,]+\]\]$" "$out"'
  run "$cli" classify "${at[@]}" -m emu/text-classification "I like it"
  check "classify prints labels and scores" 'exited 0 && grep -qF "\"label\":\"POSITIVE\"" "$out"'
  run "$cli" classify "${at[@]}" -m emu/image-classification --image "$png"
  check "classify --image classifies an image" 'exited 0 && grep -qF "\"label\":\"png\"" "$out"'
  run "$cli" image "${at[@]}" -m emu/text-to-image -o "$work/fox.png" "a red fox"
  check "image writes the PNG and says so on stderr" \
    'exited 0 && stdout_empty && [ "$(head -c 4 "$work/fox.png" | od -An -c | tr -d " ")" = "211PNG" ] && stderr_has "wrote $work/fox.png: image/png"'
  run "$cli" image "${at[@]}" -m emu/text-to-image -o - "a red fox"
  check "image -o - writes the bytes to stdout" 'exited 0 && [ "$(head -c 4 "$out" | tail -c 3)" = "PNG" ]'
  run "$cli" video "${at[@]}" -m emu/text-to-video --provider fal-ai --poll-interval 10 -o "$work/fox.mp4" "a fox running"
  check "video polls the job, shows plain progress lines off a terminal, writes the video" \
    'exited 0 && [ -s "$work/fox.mp4" ] && stderr_has "[hfi] IN_QUEUE" && ! grep -q $'"'"'\r'"'"' "$err" && stderr_has "video/mp4" && stderr_has "by fal-ai"'
  run "$cli" video "${at[@]}" -m emu/text-to-video --provider fal-ai --poll-interval 10 -q -o "$work/fox2.mp4" "a fox"
  check "video -q shows no progress" 'exited 0 && ! stderr_has "IN_QUEUE"'
  run "$cli" speak "${at[@]}" -m emu/text-to-speech -o "$work/hello.audio" "hello there"
  check "speak writes the audio" 'exited 0 && [ -s "$work/hello.audio" ] && stderr_has "audio/"'
  run "$cli" transcribe "${at[@]}" -m emu/automatic-speech-recognition "$wav"
  check "transcribe prints the transcript of a file" 'exited 0 && grep -q "transcript" "$out"'
  run "$cli" task "${at[@]}" -m emu/question-answering --body '{"inputs":{"question":"Who?","context":"It was Emu"}}' question-answering
  check "task runs any task from a JSON body" 'exited 0 && grep -qF "\"answer\"" "$out"'
  run "$cli" task "${at[@]}" -m emu/image-to-image --input "$png" --body '{"parameters":{"prompt":"blue"}}' -o "$work/blue.png" image-to-image
  check "task takes a binary input and writes a media output" 'exited 0 && [ -s "$work/blue.png" ]'
  run "$cli" task "${at[@]}" -m emu/text-classification --body '{"inputs":"x"}' --json text-classification
  check "task --json prints the task's JSON" 'exited 0 && grep -q "^\[{" "$out"'
  run "$cli" models --router-url "$url"
  check "models prints a table: a row per provider with its price and latency" \
    'exited 0 && head -1 "$out" | grep -q "^MODEL  *PROVIDER  *STATUS  *CONTEXT  *IN \$/1M  *OUT \$/1M  *FIRST TOKEN  *TOK/S  *TOOLS  *JSON$" && grep -Eq "^emu/chat-completion +groq +live +32768 +0\.80 +1\.60 +800 ms +120 +yes +no$" "$out"'
  run "$cli" models --router-url "$url" --provider groq --provider together emu/chat-completion
  check "models MODEL --provider keeps those providers' rows" \
    'exited 0 && [ "$(wc -l <"$out")" -eq 3 ] && grep -q " groq " "$out" && grep -q " together " "$out"'
  run "$cli" models --router-url "$url" --provider nobody
  check "models with no row left says so and exits 0" 'exited 0 && stdout_empty && stderr_has "no chat model"'
  run "$cli" models --router-url "$url" --json
  check "models --json prints the router's listing" 'exited 0 && grep -qF "\"object\":\"list\"" "$out" && grep -qF "pricing" "$out"'
  script '{"body":"{\"data\":[{\"id\":\"a/b\",\"providers\":[{\"provider\":\"p1\",\"pricing\":{\"input\":0.0004}}]}]}"}'
  run "$cli" models --router-url "$url"
  check "models shows - for what the router leaves out" 'exited 0 && grep -Eq "^a/b +p1 +- +- +0\.0004 +- +- +- +- +-$" "$out"'
  script '{"body":"{\"data\":[{\"object\":\"model\"}]}"}'
  run "$cli" models --router-url "$url"
  check "a listing of the wrong shape exits 1" 'exited 1 && stdout_empty && stderr_has "lacks a model"'
  run "$cli" models --router-url "$url" nobody/nothing
  check "models of an unknown model exits 1 with the 404" 'exited 1 && stderr_has "not found (HTTP 404)"'

  # Errors: each with its exit status and a reason on stderr.
  run "$cli" summarize "${at[@]}" -m nobody/nothing "text"
  check "an unknown model exits 1 with the 404" 'exited 1 && stdout_empty && stderr_has "not found (HTTP 404)"'
  run "$cli" summarize --router-url http://127.0.0.1:9 --hub-url http://127.0.0.1:9 --retries 0 -m emu/summarization "text"
  check "the network down exits 1 with the connection error" 'exited 1 && stderr_has "hfi: error: could not connect"'
  HFI_TOKEN="" run "$cli" summarize "${at[@]}" --no-env-token -m emu/summarization "text"
  check "no token for the router exits 2 and says it needs one" 'exited 2 && stderr_has "need an HF token"'
  run "$cli" image "${at[@]}" -m emu/text-to-image "no output file"
  check "a media command without -o is a usage error" 'exited 2 && stderr_has "-o FILE is required"'
  run "$cli" transcribe "${at[@]}" -m emu/automatic-speech-recognition "$work/missing.wav"
  check "an unreadable file is a usage error" 'exited 2 && stderr_has "cannot read"'
  run "$cli" embed "${at[@]}" --frobnicate
  check "an unknown flag is a usage error" 'exited 2 && stderr_has "unknown option"'
  run "$cli" task "${at[@]}" -m emu/x --body '{"inputs":"x"}' no-such-task
  check "an unknown task is a usage error" 'exited 2 && stderr_has "error: "'
  run "$cli" image "${at[@]}" -m emu/text-to-image --provider "not a provider!" -o "$work/x.png" "x"
  check "an invalid provider is a usage error" 'exited 2 && stderr_has "provider"'
  run "$cli" summarize "${at[@]}" --header "no colon" -m emu/summarization "x"
  check "a value hfi refuses is a usage error naming its flag" 'exited 2 && stderr_has "--header '"'"'no colon'"'"': "'
  check "the tokens are never printed (task commands)" '! grep -qF "$HFI_TOKEN" "$out" "$err" && no_token_printed'
  unset HFI_TOKEN

  # ---- every command's errors: no token for a router that wants one, an unknown model, the
  # network down. The second emulator answers 401 unless the router gets its token.
  start_emulator secured --require-token hf_cli_right_token
  secured="http://127.0.0.1:$emulator_port"
  down=(--router-url http://127.0.0.1:9 --retries 0)
  declare -A model=([chat]=emu/chat-completion [generate]=emu/text-generation [summarize]=emu/summarization
    [translate]=emu/translation [embed]=emu/feature-extraction [classify]=emu/text-classification
    [image]=emu/text-to-image [video]=emu/text-to-video [speak]=emu/text-to-speech
    [transcribe]=emu/automatic-speech-recognition [task]=emu/summarization)
  declare -A inputs=([image]="-o $work/e.png x" [video]="-o $work/e.mp4 --poll-interval 10 x"
    [speak]="-o $work/e.audio x" [transcribe]="$wav" [task]='--body {"inputs":"x"} summarization' [models]="")
  refused_for_want_of_a_token() {  # hfi refuses before sending (2), or the router answers 401 (1)
    { exited 2 && stderr_has "need an HF token"; } ||
      { exited 1 && stderr_has "(HTTP 401)" && stderr_has "set HF_TOKEN"; }
  }
  for c in chat "${task_commands[@]}"; do
    read -r -a given <<<"${inputs[$c]-x}"  # the arguments it needs besides a model and a server
    m=(-m "${model[$c]:-}") hub=(--hub-url)
    [ "$c" = models ] && m=()
    [ "$c" = chat ] && hub=(--base-url)  # chat needs no Hub; with --base-url the router is ignored
    HFI_TOKEN="" run "$cli" "$c" --router-url "$secured" "${hub[0]}" "$secured" --no-env-token "${m[@]}" "${given[@]}"
    if [ "$c" = models ]; then  # the router's listing is public
      check "models: needs no token" 'exited 0 && grep -q "^emu/chat-completion " "$out"'
    else
      check "$c: no token for a router that wants one is refused, saying so" 'refused_for_want_of_a_token && stdout_empty'
    fi
    if [ "$c" = chat ]; then
      script '{"status":404,"body":"{\"error\":\"Model nobody/nothing does not exist\"}"}'
      run "$cli" chat --router-url "$url" --no-env-token -m nobody/nothing "${given[@]}"
    elif [ "$c" = models ]; then
      run "$cli" models --router-url "$url" nobody/nothing
    else
      HFI_TOKEN=hf_cli_task_token_never_printed run "$cli" "$c" "${at[@]}" -m nobody/nothing "${given[@]}"
    fi
    check "$c: an unknown model exits 1 with the 404" 'exited 1 && stdout_empty && stderr_has "not found (HTTP 404)"'
    HFI_TOKEN=hf_cli_task_token_never_printed run "$cli" "$c" "${down[@]}" "${hub[0]}" http://127.0.0.1:9 "${m[@]}" "${given[@]}"
    check "$c: the network down exits 1 with the connection error" \
      'exited 1 && stdout_empty && stderr_has "hfi: error: could not connect" && stderr_has "127.0.0.1 port 9"'
  done
  HFI_TOKEN=hf_cli_right_token run "$cli" chat --router-url "$secured" --no-env-token "With the token"
  check "chat sends HFI_TOKEN to the router the flags name" 'answer_is "With the token" && ! grep -qF hf_cli_right_token "$err"'
  HFI_TOKEN=hf_cli_right_token run "$cli" summarize --router-url "$secured" --hub-url "$secured" -m emu/summarization "The fox"
  check "a task command sends HFI_TOKEN to the router the flags name" 'exited 0 && [ -s "$out" ]'
fi

# ---- examples/c/minimal.c -------------------------------------------------------------------

if [ -n "$minimal" ]; then
  run "$minimal" "Hello minimal" "$url"
  check "minimal example streams the answer" 'answer_is "Hello minimal"'
  check "minimal example reports usage on stderr" 'stderr_has "usage: 2 prompt + 5 completion tokens"'

  quoted='Quote " and \ backslash'
  HFI_BASE_URL="$url" run "$minimal" "$quoted"
  check "minimal example takes HFI_BASE_URL and escapes the prompt" 'answer_is "$quoted"'

  script "$rate_limit"
  run "$minimal" "Too many" "$url"
  check "minimal example reports a failed request and exits 1" \
    'exited 1 && stderr_has "rate limited" && stderr_has "Rate limit reached"'

  run "$minimal" "Hi" "ftp://example.com"
  check "minimal example reports a rejected option and exits 1" 'exited 1 && stderr_has "error: invalid argument"'
  check "the token is never printed (minimal)" 'no_token_printed'
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
