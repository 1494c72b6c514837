#include "task_answers.h"

#include <algorithm>
#include <cctype>

#include "base64.h"
#include "media_files.h"
#include "text_util.h"

namespace hfi::emu {
namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

struct Invalid {
  std::string message;
};

Reply ok(const ojson& answer) { return json_reply(200, answer.dump(-1, ' ', false, json::error_handler_t::replace)); }

const json& member(const json& object, const char* name) {
  static const json missing;
  if (!object.is_object()) return missing;
  auto found = object.find(name);
  return found == object.end() ? missing : *found;
}

const json& inputs_of(const TaskInput& input) { return member(input.body, "inputs"); }
const json& parameters_of(const TaskInput& input) { return member(input.body, "parameters"); }

std::string need_string(const json& value, const std::string& what) {
  if (!value.is_string()) throw Invalid{"Error in `" + what + "`: a string is required"};
  return value.get<std::string>();
}

// "inputs" as one string or a list of strings; *batched tells which.
std::vector<std::string> text_inputs(const TaskInput& input, bool* batched) {
  const json& inputs = inputs_of(input);
  *batched = inputs.is_array();
  if (inputs.is_string()) return {inputs.get<std::string>()};
  if (inputs.is_array() && !inputs.empty()) {
    std::vector<std::string> texts;
    for (const json& item : inputs) texts.push_back(need_string(item, "inputs"));
    return texts;
  }
  throw Invalid{"Error in `inputs`: a string or a non-empty list of strings is required"};
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  for (const std::string& part : split_keeping_spaces(text)) {
    std::string word(trim(part));
    if (!word.empty()) words.push_back(word);
  }
  return words;
}

std::string strip_punctuation(std::string word) {
  while (!word.empty() && std::ispunct(static_cast<unsigned char>(word.back()))) word.pop_back();
  while (!word.empty() && std::ispunct(static_cast<unsigned char>(word.front()))) word.erase(0, 1);
  return word;
}

bool has_negative_word(const std::string& text) {
  for (const std::string& word : words_of(to_lower(text))) {
    std::string bare = strip_punctuation(word);
    if (bare == "not" || bare == "bad" || bare == "hate" || bare == "no") return true;
  }
  return false;
}

ojson label_scores(const std::vector<std::string>& labels, const std::string& text) {
  // A label named in the text ranks first; the rest keep their order with halving scores.
  std::vector<std::string> ordered = labels;
  std::stable_partition(ordered.begin(), ordered.end(), [&](const std::string& label) {
    return to_lower(text).find(to_lower(label)) != std::string::npos;
  });
  ojson list = ojson::array();
  double remaining = 1.0;
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    double score = i + 1 == ordered.size() ? remaining : remaining / 2;
    remaining -= score;
    list.push_back({{"label", ordered[i]}, {"score", score}});
  }
  return list;
}

std::vector<std::string> candidate_labels(const TaskInput& input) {
  const json& labels = member(parameters_of(input), "candidate_labels");
  std::vector<std::string> result;
  if (labels.is_string()) {  // the old API took "a,b,c"
    for (std::size_t start = 0, comma; start <= labels.get<std::string>().size(); start = comma + 1) {
      comma = labels.get<std::string>().find(',', start);
      if (comma == std::string::npos) comma = labels.get<std::string>().size();
      std::string label(trim(labels.get<std::string>().substr(start, comma - start)));
      if (!label.empty()) result.push_back(label);
    }
  } else if (labels.is_array()) {
    for (const json& label : labels) result.push_back(need_string(label, "parameters.candidate_labels"));
  }
  if (result.empty()) throw Invalid{"Error in `parameters.candidate_labels`: a non-empty list of strings is required"};
  return result;
}

std::string last_word(const std::string& text) {
  std::vector<std::string> words = words_of(text);
  for (auto word = words.rbegin(); word != words.rend(); ++word)
    if (!strip_punctuation(*word).empty()) return strip_punctuation(*word);
  return {};
}

Reply text_classification(const TaskInput& input) {
  bool batched = false;
  ojson answer = ojson::array();
  for (const std::string& text : text_inputs(input, &batched)) {
    bool negative = has_negative_word(text);
    answer.push_back(ojson::array({{{"label", negative ? "NEGATIVE" : "POSITIVE"}, {"score", 0.9}},
                                   {{"label", negative ? "POSITIVE" : "NEGATIVE"}, {"score", 0.1}}}));
  }
  return ok(answer);
}

Reply token_classification(const TaskInput& input) {
  std::string text = need_string(inputs_of(input), "inputs");
  ojson answer = ojson::array();
  std::size_t position = 0;
  for (const std::string& word : words_of(text)) {
    std::size_t start = text.find(word, position);
    position = start + word.size();
    std::string bare = strip_punctuation(word);
    if (bare.empty() || !std::isupper(static_cast<unsigned char>(bare[0]))) continue;
    std::size_t offset = start + word.find(bare);
    answer.push_back({{"entity_group", "MISC"}, {"score", 0.99}, {"word", bare}, {"start", offset},
                      {"end", offset + bare.size()}});
  }
  return ok(answer);
}

Reply fill_mask(const TaskInput& input) {
  std::string text = need_string(inputs_of(input), "inputs");
  std::string mask = text.find("[MASK]") != std::string::npos ? "[MASK]" : "<mask>";
  std::size_t at = text.find(mask);
  if (at == std::string::npos) throw Invalid{"No mask_token ([MASK]) found on the input"};
  const json& top_k = member(parameters_of(input), "top_k");
  std::size_t count = top_k.is_number_integer() && top_k.get<int>() > 0 ? top_k.get<std::size_t>() : 3;
  static const char* const kTokens[] = {"the", "a", "emu", "one", "this"};
  ojson answer = ojson::array();
  double score = 0.5;
  for (std::size_t i = 0; i < std::min<std::size_t>(count, 5); ++i, score /= 2) {
    std::string sequence = text;
    sequence.replace(at, mask.size(), kTokens[i]);
    answer.push_back({{"score", score}, {"token", 1000 + i}, {"token_str", kTokens[i]}, {"sequence", sequence}});
  }
  return ok(answer);
}

Reply question_answering(const TaskInput& input) {
  std::string question = need_string(member(inputs_of(input), "question"), "inputs.question");
  std::string context = need_string(member(inputs_of(input), "context"), "inputs.context");
  (void)question;
  std::string answer = last_word(context);
  std::size_t start = answer.empty() ? 0 : context.rfind(answer);
  return ok({{"score", 0.9}, {"start", start}, {"end", start + answer.size()}, {"answer", answer}});
}

Reply summarization(const TaskInput& input) {
  std::string text = need_string(inputs_of(input), "inputs");
  std::size_t stop = text.find(". ");
  return ok(ojson::array({{{"summary_text", stop == std::string::npos ? text : text.substr(0, stop + 1)}}}));
}

Reply translation(const TaskInput& input) {
  bool batched = false;
  std::string target = member(parameters_of(input), "tgt_lang").is_string()
                           ? member(parameters_of(input), "tgt_lang").get<std::string>()
                           : std::string();
  ojson answer = ojson::array();
  for (const std::string& text : text_inputs(input, &batched)) {
    std::string upper = text;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    answer.push_back({{"translation_text", target.empty() ? upper : "[" + target + "] " + upper}});
  }
  return ok(answer);
}

Reply text_generation(const TaskInput& input) {
  std::string prompt = need_string(inputs_of(input), "inputs");
  bool full = !member(parameters_of(input), "return_full_text").is_boolean() ||
              member(parameters_of(input), "return_full_text").get<bool>();
  std::string generated = generated_text_of(prompt);
  ojson item = {{"generated_text", full ? prompt + generated : generated}};
  if (member(parameters_of(input), "details") == true)
    item["details"] = {{"finish_reason", "eos_token"}, {"generated_tokens", words_of(generated).size()}, {"seed", 0}};
  return ok(ojson::array({item}));
}

Reply zero_shot_classification(const TaskInput& input) {
  bool batched = false;
  std::vector<std::string> texts = text_inputs(input, &batched);
  std::vector<std::string> labels = candidate_labels(input);
  if (!batched) return ok(label_scores(labels, texts[0]));
  ojson answer = ojson::array();
  for (const std::string& text : texts) answer.push_back(label_scores(labels, text));
  return ok(answer);
}

double word_overlap(const std::string& a, const std::string& b) {
  std::vector<std::string> left = words_of(to_lower(a)), right = words_of(to_lower(b));
  for (auto* words : {&left, &right}) {
    for (auto& word : *words) word = strip_punctuation(word);
    std::sort(words->begin(), words->end());
    words->erase(std::unique(words->begin(), words->end()), words->end());
  }
  std::vector<std::string> common, all;
  std::set_intersection(left.begin(), left.end(), right.begin(), right.end(), std::back_inserter(common));
  std::set_union(left.begin(), left.end(), right.begin(), right.end(), std::back_inserter(all));
  return all.empty() ? 1.0 : static_cast<double>(common.size()) / all.size();
}

Reply sentence_similarity(const TaskInput& input) {
  std::string source = need_string(member(inputs_of(input), "source_sentence"), "inputs.source_sentence");
  const json& sentences = member(inputs_of(input), "sentences");
  if (!sentences.is_array()) throw Invalid{"Error in `inputs.sentences`: a list of strings is required"};
  ojson answer = ojson::array();
  for (const json& sentence : sentences) answer.push_back(word_overlap(source, need_string(sentence, "inputs.sentences")));
  return ok(answer);
}

Reply feature_extraction(const TaskInput& input) {
  bool batched = false;
  std::vector<std::string> texts = text_inputs(input, &batched);
  const json& dimensions = member(input.body, "dimensions");
  std::size_t size = dimensions.is_number_integer() && dimensions.get<int>() > 0 ? dimensions.get<std::size_t>() : 8;
  if (!batched) return ok(embedding_of(texts[0], size));
  ojson answer = ojson::array();
  for (const std::string& text : texts) answer.push_back(embedding_of(text, size));
  return ok(answer);
}

Reply table_question_answering(const TaskInput& input) {
  std::string query = need_string(member(inputs_of(input), "query"), "inputs.query");
  const json& table = member(inputs_of(input), "table");
  if (!table.is_object() || table.empty()) throw Invalid{"Error in `inputs.table`: an object of columns is required"};
  // The first cell the query mentions; else the first cell of the first column.
  std::string cell;
  std::size_t row = 0, column = 0, column_index = 0;
  for (const auto& [name, cells] : table.items()) {
    if (!cells.is_array()) throw Invalid{"Error in `inputs.table`: each column must be a list"};
    for (std::size_t r = 0; r < cells.size(); ++r) {
      std::string text = cells[r].is_string() ? cells[r].get<std::string>() : cells[r].dump();
      if (cell.empty() && column_index == 0 && r == 0) cell = text;
      if (!text.empty() && query.find(text) != std::string::npos) {
        cell = text, row = r, column = column_index;
        goto found;
      }
    }
    ++column_index;
  }
found:
  return ok({{"answer", cell}, {"coordinates", ojson::array({ojson::array({row, column})})},
             {"cells", ojson::array({cell})}, {"aggregator", "NONE"}});
}

// Rows of {"inputs": {"data": {col: [..]}}} or the Python client's {"table": {...}}.
std::vector<double> row_sums(const TaskInput& input) {
  const json* table = &member(inputs_of(input), "data");
  if (!table->is_object()) table = &member(input.body, "table");
  if (!table->is_object() || table->empty()) throw Invalid{"Error in `inputs.data`: an object of columns is required"};
  std::vector<double> sums;
  for (const auto& [name, cells] : table->items()) {
    if (!cells.is_array()) throw Invalid{"Error in `inputs.data`: each column must be a list"};
    if (sums.size() < cells.size()) sums.resize(cells.size(), 0.0);
    for (std::size_t r = 0; r < cells.size(); ++r) {
      if (cells[r].is_number()) sums[r] += cells[r].get<double>();
      else if (cells[r].is_string()) {
        try {
          sums[r] += std::stod(cells[r].get<std::string>());
        } catch (...) {  // a label column: contributes nothing
        }
      }
    }
  }
  return sums;
}

Reply tabular(const TaskInput& input, bool regression) {
  ojson answer = ojson::array();
  std::size_t row = 0;
  for (double sum : row_sums(input)) {
    if (regression) answer.push_back(sum);
    else answer.push_back(row);
    ++row;
  }
  return ok(answer);
}

std::string need_binary(const TaskInput& input) {
  if (input.binary.empty()) throw Invalid{"Error in `inputs`: image or audio bytes are required (raw body or base64)"};
  return input.binary;
}

std::string kind_label(const std::string& bytes) {
  std::string type = sniff_media_type(bytes);
  return type == "application/octet-stream" ? "unknown" : type.substr(type.find('/') + 1);
}

Reply binary_classification(const TaskInput& input) {
  std::string bytes = need_binary(input);
  return ok(ojson::array({{{"label", kind_label(bytes)}, {"score", 0.9}}, {{"label", "other"}, {"score", 0.1}}}));
}

Reply object_detection(const TaskInput& input) {
  std::string bytes = need_binary(input);
  return ok(ojson::array({{{"score", 0.9}, {"label", kind_label(bytes)},
                           {"box", {{"xmin", 0}, {"ymin", 0}, {"xmax", 1}, {"ymax", 1}}}}}));
}

Reply image_segmentation(const TaskInput& input) {
  need_binary(input);
  return ok(ojson::array({{{"score", 0.9}, {"label", "emu"}, {"mask", base64_encode(media_bytes("png"))}}}));
}

Reply audio_to_audio(const TaskInput& input) {
  need_binary(input);
  return ok(ojson::array({{{"label", "label_0"}, {"content-type", "audio/flac"}, {"blob", base64_encode(media_bytes("flac"))}}}));
}

Reply zero_shot_image_classification(const TaskInput& input) {
  std::string bytes = need_binary(input);
  return ok(label_scores(candidate_labels(input), kind_label(bytes)));
}

std::string question_of(const TaskInput& input) {
  const json& nested = member(inputs_of(input), "question");  // JS and the spec
  return need_string(nested.is_null() ? member(input.body, "question") : nested, "inputs.question");
}

Reply visual_question_answering(const TaskInput& input, bool document) {
  need_binary(input);
  std::string answer = last_word(question_of(input));
  ojson item = {{"answer", answer}, {"score", 0.9}};
  if (document) item["start"] = 0, item["end"] = 0;
  return ok(ojson::array({item}));
}

}  // namespace

std::string transcript_of(const std::string& audio) {
  return "emulated transcript of " + std::to_string(audio.size()) + " bytes of " + sniff_media_type(audio);
}

std::vector<double> embedding_of(const std::string& text, std::size_t dimensions) {
  // Component i is the share of the text's bytes whose value modulo the size is i:
  // cheap, deterministic, different for different texts, and summing to 1.
  std::vector<double> vector(dimensions, 0.0);
  for (unsigned char c : text) vector[c % dimensions] += 1.0;
  for (double& value : vector) value = text.empty() ? 0.0 : value / text.size();
  return vector;
}

std::string generated_text_of(const std::string& prompt) {
  return " and the emulator said: " + std::to_string(words_of(prompt).size()) + " words.";
}

Reply task_answer(const TaskInput& input) {
  const std::string& task = input.task;
  try {
    if (task == "text-classification") return text_classification(input);
    if (task == "token-classification") return token_classification(input);
    if (task == "fill-mask") return fill_mask(input);
    if (task == "question-answering") return question_answering(input);
    if (task == "summarization") return summarization(input);
    if (task == "translation") return translation(input);
    if (task == "text-generation") return text_generation(input);
    if (task == "zero-shot-classification") return zero_shot_classification(input);
    if (task == "sentence-similarity") return sentence_similarity(input);
    if (task == "feature-extraction") return feature_extraction(input);
    if (task == "table-question-answering") return table_question_answering(input);
    if (task == "tabular-classification") return tabular(input, false);
    if (task == "tabular-regression") return tabular(input, true);
    if (task == "image-classification" || task == "audio-classification") return binary_classification(input);
    if (task == "object-detection") return object_detection(input);
    if (task == "image-to-text")
      return ok(ojson::array({{{"generated_text", "an emulated caption of " + kind_label(need_binary(input))}}}));
    if (task == "automatic-speech-recognition") return ok({{"text", transcript_of(need_binary(input))}});
    if (task == "audio-to-audio") return audio_to_audio(input);
    if (task == "image-segmentation") return image_segmentation(input);
    if (task == "zero-shot-image-classification") return zero_shot_image_classification(input);
    if (task == "visual-question-answering") return visual_question_answering(input, false);
    if (task == "document-question-answering") return visual_question_answering(input, true);
    if (task == "text-to-image" || task == "text-to-speech") {
      need_string(inputs_of(input), "inputs");
      return media_reply(media_extension_for_task(task));
    }
    if (task == "image-to-image") {
      need_binary(input);
      return media_reply("png");
    }
  } catch (const Invalid& problem) {
    return json_reply(422, ojson{{"error", problem.message}}.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  return json_reply(400, ojson{{"error", "Task " + task + " is not served by hf-inference"}}.dump());
}

}  // namespace hfi::emu
