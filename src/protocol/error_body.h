// Extracting the provider's own words from an HTTP error body. Every backend
// shapes its errors differently (see fixtures/README.md "Errors: body shapes
// differ by backend"), and the message is what users need to fix a request.
#pragma once

#include <string>
#include <string_view>

namespace hfi::json {

struct ErrorInfo {
  std::string message, type, code;
  double estimated_time = -1;  // seconds; HF 503 "Model X is currently loading" bodies
};

// Never fails: returns whatever it could find (possibly all empty).
//  JSON bodies:  {"error":"m"} (+ "error_type", TGI; + "error_description", OAuth: "m: description");
//                {"error":["a","b"]} → "a; b"; {"error":{"message","type","code"}} (OpenAI, together);
//                {"message",...} (Kong, vLLM {"object":"error","message","type","code"});
//                {"detail":"m"} and {"detail":[{"msg","type"},...]} (FastAPI: msgs joined, type of the first);
//                {"errors":[{"message"},...]}; problem+json {"detail"} else {"title"};
//                "estimated_time" anywhere at the top level.
//                A JSON body of any other shape → its trimmed text (capped).
//  HTML (text/html, or the body starts with '<') → empty message: a proxy's error page says nothing useful.
//  Anything else, including invalid JSON → the trimmed text, capped at 1000 bytes on a UTF-8 boundary.
// Messages are trimmed of surrounding whitespace.
ErrorInfo parse_error_body(std::string_view body, std::string_view content_type);

}  // namespace hfi::json
