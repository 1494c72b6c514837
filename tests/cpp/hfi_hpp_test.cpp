// hfi.hpp, the header-only C++17 wrapper, against the emulator: RAII, both error styles,
// streaming lambdas (an exception in one never crosses the C ABI), tasks, non-blocking requests.
#include <hfi/hfi.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../capi/support.h"

using namespace std::chrono_literals;
using hfi_test::chat_body;

namespace {

class Hpp : public hfi_test::EmulatorTest {
 protected:
  hfi::client_options options() const {
    hfi::client_options o;
    o.router_url(emu_.base_url()).hub_url(emu_.base_url()).token("hf_test").token_from_env(false).max_retries(0);
    return o;
  }
  std::string route(const std::string& name, const std::string& step) {
    const std::string path = "/t/" + name + "/v1/chat/completions";
    std::string with_match = step.substr(0, step.size() - 1) + ",\"match\":{\"path\":\"" + path + "\"}}";
    emu_.script(with_match);
    return emu_.base_url() + "/t/" + name + "/v1";
  }
};

TEST_F(Hpp, ChatReturnsAnOwnedResponseWithViews) {
  hfi::client c(options());
  hfi::response r = c.chat(chat_body("hello"));
  EXPECT_EQ(r.status(), HFI_OK);
  EXPECT_EQ(r.http_status(), 200);
  EXPECT_EQ(r.content(), "Hello! You said: hello");
  EXPECT_EQ(r.finish_reason(), "stop");
  EXPECT_EQ(r.attempts(), 1);
  hfi::timings t = r.timings();
  EXPECT_GE(t.first_byte_ms, 0);
  EXPECT_GE(t.total_ms, t.first_byte_ms);
  EXPECT_EQ(hfi::response().timings().total_ms, -1);
  hfi::usage u = r.usage();
  EXPECT_GT(u.prompt_tokens, 0);
  EXPECT_EQ(u.total_tokens, u.prompt_tokens + u.completion_tokens);
  EXPECT_NE(r.json().find("chat.completion"), std::string_view::npos);
  EXPECT_EQ(r.error().status, HFI_OK);
  hfi::response moved = std::move(r);
  EXPECT_FALSE(r);  // NOLINT(bugprone-use-after-move): a moved-from response is empty
  EXPECT_EQ(moved.content(), "Hello! You said: hello");
}

TEST_F(Hpp, FailuresThrowOrComeBackAsResults) {
  hfi::client c(hfi::client_options(options()).base_url(route(
      "hpp_429", R"({"status":429,"headers":{"Retry-After":"3"},"body":"{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\"}}"})")));
  hfi::result<hfi::response> r = c.try_chat(chat_body("x"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, HFI_E_RATE_LIMITED);
  EXPECT_EQ(r.error().http_status, 429);
  EXPECT_EQ(r.error().message, "slow down");
  EXPECT_EQ(r.error().type, "rate_limit");
  ASSERT_TRUE(r.error().retry_after);
  EXPECT_EQ(*r.error().retry_after, 3000ms);
  EXPECT_EQ(r.error().describe(), "hfi: rate limited (HTTP 429): slow down");
  try {
    r.value();
    FAIL() << "value() of a failed result must throw";
  } catch (const hfi::error& e) {
    EXPECT_EQ(e.status(), HFI_E_RATE_LIMITED);
    EXPECT_STREQ(e.what(), "hfi: rate limited (HTTP 429): slow down");
  }
  EXPECT_THROW(c.chat(""), hfi::error);
  hfi::result<hfi::response> bad = c.try_chat("not json");
  EXPECT_EQ(bad.error().status, HFI_E_INVALID_ARG);
  EXPECT_FALSE(bad.error().message.empty());
}

TEST_F(Hpp, InvalidOptionsFailConstructionBothWays) {
  EXPECT_THROW(hfi::client(hfi::client_options().base_url("ftp://example.com")), hfi::error);
  auto r = hfi::client::create(hfi::client_options().set(2999, int64_t{1}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, HFI_E_UNKNOWN_OPTION);
  auto ok = hfi::client::create(options());
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->chat(chat_body("made")).content(), "Hello! You said: made");
}

TEST_F(Hpp, StreamingWithALambda) {
  hfi::client c(options());
  std::string text;
  int finishes = 0;
  hfi::response r = c.chat_stream(chat_body("one two three"), [&](const hfi::event& ev) {
    if (ev.type() == HFI_EVENT_DELTA) text += ev.text();
    if (ev.type() == HFI_EVENT_FINISH) ++finishes;
    return true;
  });
  EXPECT_EQ(text, "Hello! You said: one two three");
  EXPECT_EQ(r.content(), text);
  EXPECT_EQ(finishes, 1);
}

TEST_F(Hpp, ALambdaThatReturnsFalseAbortsAndOneThatThrowsRethrowsHere) {
  hfi::client c(options());
  int seen = 0;
  auto aborted = c.try_chat_stream(chat_body("a b c d e f g h"), [&](const hfi::event&) { return ++seen < 3; });
  EXPECT_EQ(aborted.error().status, HFI_E_ABORTED_BY_CALLBACK);
  EXPECT_EQ(seen, 3);
  EXPECT_THROW(c.chat_stream(chat_body("a b c"), [](const hfi::event&) -> bool { throw std::logic_error("boom"); }),
               std::logic_error);
  EXPECT_EQ(c.chat(chat_body("still fine")).content(), "Hello! You said: still fine");
}

TEST_F(Hpp, TasksWithBinaryInputsAndProgress) {
  hfi::client c(options());
  hfi::response image = c.task("text-to-image", "emu/text-to-image", R"({"inputs":"a fox"})");
  EXPECT_FALSE(image.bytes().empty());
  EXPECT_EQ(image.media_type().substr(0, 6), "image/");
  const std::string png = "\x89PNG\r\n\x1a\n" + std::string(24, '\0');
  hfi::response labels =
      c.task("image-classification", "emu/image-classification", {}, hfi::request_options().input(png, "image/png"));
  EXPECT_NE(labels.json().find("label"), std::string_view::npos);
  int progress = 0;
  hfi::response video = c.task("text-to-video", "emu/text-to-video", R"({"inputs":"a fox"})",
                               hfi::request_options().provider("fal-ai").poll_interval(10ms), [&](const hfi::event& ev) {
                                 if (ev.type() == HFI_EVENT_PROGRESS) ++progress;
                                 return true;
                               });
  EXPECT_FALSE(video.bytes().empty());
  EXPECT_EQ(video.provider(), "fal-ai");
  EXPECT_GT(progress, 0);
  auto missing = c.try_task("summarization", "nobody/nothing", R"({"inputs":"x"})");
  EXPECT_EQ(missing.error().status, HFI_E_NOT_FOUND);
  EXPECT_EQ(c.try_task("", "m", "").error().status, HFI_E_INVALID_ARG);
  EXPECT_THROW(c.task("summarization", "emu/summarization", "", hfi::request_options().input("")), hfi::error);
}

TEST_F(Hpp, NonBlockingRequestsThroughThePullQueue) {
  hfi::client c(hfi::client_options(options()).io_thread());
  std::vector<hfi::request> requests;
  for (int i = 0; i < 4; ++i) requests.push_back(c.start_chat(chat_body("pulled " + std::to_string(i)), true));
  std::string text[4];
  int done = 0;
  const auto until = std::chrono::steady_clock::now() + 20s;
  while (done < 4 && std::chrono::steady_clock::now() < until) {
    while (auto ev = c.next_event()) {
      for (int i = 0; i < 4; ++i) {
        if (ev->request() != requests[i].get()) continue;
        if (ev->type() == HFI_EVENT_DELTA) text[i] += ev->text();
        if (ev->type() == HFI_EVENT_DONE) ++done;
      }
    }
    std::this_thread::sleep_for(1ms);
  }
  ASSERT_EQ(done, 4);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(text[i], "Hello! You said: pulled " + std::to_string(i));
    auto r = requests[i].try_get();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->value().content(), text[i]);
  }
}

TEST_F(Hpp, ARequestIsWaitedForOrCancelledFromAnotherThread) {
  hfi::client c(options());
  hfi::request quick = c.start_chat(chat_body("waited"));
  auto r = quick.wait();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->value().content(), "Hello! You said: waited");

  hfi::client slow(hfi::client_options(options()).io_thread().base_url(route("hpp_slow", R"({"delay_ms":10000})")));
  hfi::request pending = slow.start_chat(chat_body("slow"));
  EXPECT_FALSE(pending.try_get().has_value());
  EXPECT_FALSE(pending.done());
  std::thread canceller([&] {
    std::this_thread::sleep_for(50ms);
    pending.cancel();
  });
  auto cancelled = pending.wait(10s);
  canceller.join();
  ASSERT_TRUE(cancelled.has_value());
  EXPECT_EQ(cancelled->error().status, HFI_E_CANCELLED);
  while (auto ev = slow.next_event()) {
  }
}

TEST_F(Hpp, FuturesGiveTheResponseOrThrowTheFailure) {
  hfi::client c(options());
  std::future<hfi::response> answer = c.chat_async(chat_body("in the future"));
  std::string streamed;
  std::thread::id handler_thread;
  std::future<hfi::response> stream = c.chat_async(chat_body("streamed future"), {}, [&](const hfi::event& ev) {
    handler_thread = std::this_thread::get_id();
    if (ev.type() == HFI_EVENT_DELTA) streamed += ev.text();
    return true;
  });
  EXPECT_EQ(answer.get().content(), "Hello! You said: in the future");
  hfi::response r = stream.get();
  EXPECT_EQ(streamed, "Hello! You said: streamed future");
  EXPECT_EQ(r.content(), streamed);
  EXPECT_NE(handler_thread, std::this_thread::get_id());  // the future's own thread
  EXPECT_EQ(c.next_event(), std::nullopt);               // nothing was left in the pull queue

  int progress = 0;
  auto video = c.task_async("text-to-video", "emu/text-to-video", R"({"inputs":"a fox"})",
                            hfi::request_options().provider("fal-ai").poll_interval(10ms), [&](const hfi::event& ev) {
                              progress += ev.type() == HFI_EVENT_PROGRESS;
                              return true;
                            });
  EXPECT_FALSE(video.get().bytes().empty());
  EXPECT_GT(progress, 0);

  auto missing = c.task_async("summarization", "nobody/nothing", R"({"inputs":"x"})");
  try {
    missing.get();
    FAIL() << "an unknown model must fail the future";
  } catch (const hfi::error& e) {
    EXPECT_EQ(e.status(), HFI_E_NOT_FOUND);
  }
  auto thrown = c.chat_async(chat_body("a b c"), {}, [](const hfi::event&) -> bool { throw std::logic_error("boom"); });
  EXPECT_THROW(thrown.get(), std::logic_error);
  EXPECT_THROW(c.chat_async("not json"), hfi::error);  // refused at once, before any thread
  EXPECT_THROW(c.task_async("", "m", ""), hfi::error);
}

TEST_F(Hpp, AFutureRequestIsCancelledThroughItsRequest) {
  hfi::client slow(hfi::client_options(options()).base_url(route("hpp_slow_future", R"({"delay_ms":10000})")));
  hfi::request pending = slow.start_chat(chat_body("slow"));
  std::future<hfi::response> f = pending.future();
  EXPECT_EQ(f.wait_for(50ms), std::future_status::timeout);
  auto refused = pending.wait(0ms);  // the response belongs to the future now
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->error().status, HFI_E_BAD_STATE);
  try {
    (void)pending.future();
    FAIL() << "a second future() must throw";
  } catch (const hfi::error& e) {
    EXPECT_EQ(e.status(), HFI_E_BAD_STATE);
  }
  const auto started = std::chrono::steady_clock::now();
  pending.cancel();
  try {
    f.get();
    FAIL() << "a cancelled request's future must throw";
  } catch (const hfi::error& e) {
    EXPECT_EQ(e.status(), HFI_E_CANCELLED);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);  // not the server's 10 s
  EXPECT_TRUE(pending.done());
  EXPECT_THROW(hfi::request().future(), hfi::error);
  while (auto ev = slow.next_event()) {
  }
}

TEST_F(Hpp, AStartedRequestsHandlerRunsOnTheWaitingThread) {
  hfi::client c(options());
  std::string text;
  hfi::request r = c.start_chat(chat_body("handled"), true, {}, [&](const hfi::event& ev) {
    if (ev.type() == HFI_EVENT_DELTA) text += ev.text();
    return true;
  });
  hfi::request moved = std::move(r);  // the handler goes with the request
  EXPECT_EQ(r.status(), HFI_E_INVALID_ARG);  // NOLINT(bugprone-use-after-move): moved-from is empty
  EXPECT_THROW(r.future(), hfi::error);
  auto done = moved.wait(10s);
  ASSERT_TRUE(done.has_value());
  EXPECT_EQ(done->value().content(), "Hello! You said: handled");
  EXPECT_EQ(text, "Hello! You said: handled");
  EXPECT_EQ(c.next_event(), std::nullopt);
  int seen = 0;
  hfi::request stopped = c.start_chat(chat_body("a b c d e f g h"), true, {}, [&](const hfi::event&) { return ++seen < 2; });
  auto aborted = stopped.wait(10s);
  ASSERT_TRUE(aborted.has_value());
  EXPECT_EQ(aborted->error().status, HFI_E_ABORTED_BY_CALLBACK);
  hfi::request thrower = c.start_chat(chat_body("x y"), true, {}, [](const hfi::event&) -> bool { throw 7; });
  EXPECT_THROW(thrower.wait(10s), int);
}

TEST_F(Hpp, EmptyHandlesAndBadArgumentsAreErrorsNotCrashes) {
  hfi::request none;
  EXPECT_EQ(none.status(), HFI_E_INVALID_ARG);
  auto r = none.wait(0ms);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->error().status, HFI_E_INVALID_ARG);
  none.cancel();
  hfi::response empty;
  EXPECT_EQ(empty.status(), HFI_E_INVALID_ARG);
  EXPECT_TRUE(empty.content().empty());
  EXPECT_TRUE(empty.tool_calls().empty());
  EXPECT_THROW(hfi::data_url(""), hfi::error);
  EXPECT_EQ(hfi::data_url("\x89PNG\r\n\x1a\n" + std::string(24, '\0')).rfind("data:image/png;base64,", 0), 0u);
  EXPECT_EQ(hfi::version(), HFI_VERSION_STR);
  hfi::client c(options());
  EXPECT_THROW(c.start_task("", "m", ""), hfi::error);
  EXPECT_EQ(c.poll(0ms), 0);
}

}  // namespace
