#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, from the recorded traffic in ../shared/fixtures.

usage: make-seeds.py FIXTURES_DIR OUT_DIR

Writes OUT_DIR/<target>/<n> files in the input format each target reads (see the targets'
sources): response bodies and SSE streams of the recorded interactions, the task specs' examples,
and the URLs, models and headers found in the records.
"""
import json
import os
import sys


def main():
    fixtures, out = sys.argv[1], sys.argv[2]
    corpora = {name: [] for name in ("fuzz_sse", "fuzz_chat", "fuzz_task_response", "fuzz_text", "fuzz_options")}
    with open(os.path.join(fixtures, "hfjs-tapes", "interactions.ndjson"), encoding="utf-8") as records:
        for line in records:
            r = json.loads(line)
            body = r.get("response_body") or ""
            if r.get("response_body_encoding") != "text":
                body = body[:4096]
            ctype = r.get("content_type") or ""
            if r.get("is_stream") or ctype.startswith("text/event-stream"):
                corpora["fuzz_sse"].append(b"\x04\x03" + body.encode("utf-8", "replace"))
                for event in body.split("\n\n"):
                    if event.startswith("data:"):
                        corpora["fuzz_chat"].append(b"\x06" + event[5:].strip().encode("utf-8", "replace"))
            else:
                corpora["fuzz_chat"].append(b"\x01" + body.encode("utf-8", "replace"))
            task, provider = r.get("task") or "", r.get("provider") or ""
            for phase in (0, 1, 2):
                corpora["fuzz_task_response"].append(
                    f"{task}\n{provider}\n{ctype}\n".encode() + bytes([phase, 3]) + body.encode("utf-8", "replace"))
            url = r.get("url") or ""
            model = url.rsplit("/models/", 1)[-1] if "/models/" in url else "org/model"
            headers = r.get("response_headers") or {}
            for name, value in headers.items():
                corpora["fuzz_text"].append(f"{name}\n{value}\n".encode("utf-8", "replace"))
            request = r.get("request_body") if r.get("request_body_encoding") == "text" else "{}"
            corpora["fuzz_text"].append(f"{url}\n{model}\n{request or '{}'}".encode("utf-8", "replace"))
            corpora["fuzz_options"].append(bytes([0]) + f"{url}\n".encode() + bytes([7]) + b"30000\n" +
                                           bytes([3]) + f"{provider}\n".encode())
    specs = os.path.join(fixtures, "task-specs")
    for task in sorted(os.listdir(specs)):
        folder = os.path.join(specs, task)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(".json"):
                with open(os.path.join(folder, name), "rb") as spec:
                    corpora["fuzz_chat"].append(b"\x01" + spec.read()[:8192])
    corpora["fuzz_text"] += [b"Retry-After\n120\n", b"RateLimit\n\"api\";r=0;t=55\n",
                             b"https://gw.example/v1; key=k; weight=3 | groq\n\n"]
    for target, seeds in corpora.items():
        folder = os.path.join(out, target)
        os.makedirs(folder, exist_ok=True)
        for i, seed in enumerate(dict.fromkeys(seeds)):
            with open(os.path.join(folder, f"seed-{i:05d}"), "wb") as f:
                f.write(seed)
        print(f"{target}: {len(dict.fromkeys(seeds))} seeds")


if __name__ == "__main__":
    main()
