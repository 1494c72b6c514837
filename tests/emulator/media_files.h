// Tiny but valid media files (PNG, WAV, FLAC, MP4, WebM) that stand in for
// generated images, audio and video, and the GET /files/{name} route that
// serves them to clients downloading a job's result.
#pragma once

#include <string>

#include "http_request.h"
#include "reply.h"

namespace hfi::emu {

// By file extension ("png", "wav", "flac", "mp4", "webm"); empty for others.
std::string media_bytes(const std::string& extension);
std::string media_content_type(const std::string& extension);
// The file extension of what a task produces: png for images, flac for speech, mp4 for video.
std::string media_extension_for_task(const std::string& task);
// The extension for a MIME type the emulator can produce ("audio/wav" → "wav"); empty otherwise.
std::string media_extension_for_type(const std::string& content_type);

constexpr const char* kFilesPrefix = "/files/";
// GET /files/<anything>.<ext> → the file of that extension; 404 otherwise.
Reply media_file_reply(const HttpRequest& request);
Reply media_reply(const std::string& extension);  // 200 with the bytes and their Content-Type

// What a client sent as an image or audio input, by its first bytes ("image/png",
// "audio/wav", ...; "application/octet-stream" when unknown).
std::string sniff_media_type(const std::string& bytes);

}  // namespace hfi::emu
