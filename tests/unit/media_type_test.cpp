#include "protocol/media_type.h"

#include <gtest/gtest.h>

#include <string>

namespace {
using namespace std::string_literals;
using hfi::media::sniff;

TEST(MediaTypeTest, SniffsTheFormatsTasksExchange) {
  EXPECT_EQ(sniff("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s), "image/png");
  EXPECT_EQ(sniff("\xff\xd8\xff\xe0\0\x10JFIF"s), "image/jpeg");
  EXPECT_EQ(sniff("GIF89a\1\0\1\0"s), "image/gif");
  EXPECT_EQ(sniff("RIFF\x24\0\0\0WEBPVP8 "s), "image/webp");
  EXPECT_EQ(sniff("RIFF\x24\0\0\0WAVEfmt "s), "audio/wav");
  EXPECT_EQ(sniff("fLaC\0\0\0\x22"s), "audio/flac");
  EXPECT_EQ(sniff("OggS\0\2"s), "audio/ogg");
  EXPECT_EQ(sniff("ID3\4\0\0"s), "audio/mpeg");
  EXPECT_EQ(sniff("\xff\xfb\x90\x64"s), "audio/mpeg");
  EXPECT_EQ(sniff("\0\0\0\x20" "ftypisom\0\0\2\0"s), "video/mp4");
  EXPECT_EQ(sniff("\0\0\0\x20" "ftypM4A \0\0\2\0"s), "audio/mp4");
  EXPECT_EQ(sniff("\x1a\x45\xdf\xa3\x9f\x42\x86"s), "video/webm");
}

TEST(MediaTypeTest, UnknownShortAndEmptyInputsAreNotGuessed) {
  EXPECT_EQ(sniff(""), "");
  EXPECT_EQ(sniff("\x89PN"), "");
  EXPECT_EQ(sniff("{\"inputs\":1}"), "");
  EXPECT_EQ(sniff("RIFF\x24\0\0\0AVI "s), "");
  EXPECT_EQ(sniff("\xff\xe1"s), "");  // sync bits with the reserved layer: not MPEG audio
  EXPECT_EQ(sniff("\0\0\0\x20" "ftyp"s), "");  // no brand
}

TEST(MediaTypeTest, DataUrlsCarryTheGivenOrSniffedType) {
  EXPECT_EQ(hfi::media::data_url("GIF89a", ""), "data:image/gif;base64,R0lGODlh");
  EXPECT_EQ(hfi::media::data_url("GIF89a", "image/x-test"), "data:image/x-test;base64,R0lGODlh");
  EXPECT_EQ(hfi::media::data_url("abc"), "data:application/octet-stream;base64,YWJj");
  EXPECT_EQ(hfi::media::data_url(""), "data:application/octet-stream;base64,");
}

TEST(MediaTypeTest, ExtensionsIgnoreParameters) {
  EXPECT_EQ(hfi::media::extension("audio/wav"), "wav");
  EXPECT_EQ(hfi::media::extension("audio/mpeg; charset=binary"), "mp3");
  EXPECT_EQ(hfi::media::extension("image/jpeg"), "jpg");
  EXPECT_EQ(hfi::media::extension("application/x-unknown"), "bin");
  EXPECT_EQ(hfi::media::extension(""), "bin");
}

}  // namespace
