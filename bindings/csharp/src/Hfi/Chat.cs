using System;
using System.Collections.Generic;
using Hfi.Json;

namespace Hfi
{
    /// <summary>One message of a conversation.</summary>
    public sealed class ChatMessage
    {
        /// <summary>A message with a role and text.</summary>
        public ChatMessage(string role, string content)
        {
            Role = role ?? throw new ArgumentNullException(nameof(role));
            Content = content ?? throw new ArgumentNullException(nameof(content));
        }

        /// <summary><c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>.</summary>
        public string Role { get; }

        /// <summary>The text.</summary>
        public string Content { get; }

        /// <summary>Images shown to a vision model with the text: <c>https://</c> or <c>data:</c>
        /// URLs (<see cref="HfiClient.DataUrl"/> makes one from bytes).</summary>
        public IList<string> ImageUrls { get; } = new List<string>();

        /// <summary>For a <c>tool</c> message: the id of the call it answers.</summary>
        public string? ToolCallId { get; set; }

        /// <summary>For an <c>assistant</c> message: the tool calls it made, as the API's JSON array.</summary>
        public string? ToolCallsJson { get; set; }

        /// <summary>A system message.</summary>
        public static ChatMessage System(string text) => new ChatMessage("system", text);

        /// <summary>A user message, with images for vision models.</summary>
        public static ChatMessage User(string text, params string[] imageUrls)
        {
            var m = new ChatMessage("user", text);
            foreach (string url in imageUrls ?? Array.Empty<string>())
                m.ImageUrls.Add(url);
            return m;
        }

        /// <summary>An assistant message.</summary>
        public static ChatMessage Assistant(string text) => new ChatMessage("assistant", text);

        /// <summary>The answer to a tool call.</summary>
        public static ChatMessage Tool(string toolCallId, string result) => new ChatMessage("tool", result) { ToolCallId = toolCallId };

        internal void Write(JsonWriter w)
        {
            w.BeginObject().Name("role").String(Role).Name("content");
            if (ImageUrls.Count == 0)
            {
                w.String(Content);
            }
            else
            {
                w.BeginArray();
                if (Content.Length > 0)
                    w.BeginObject().Name("type").String("text").Name("text").String(Content).EndObject();
                foreach (string url in ImageUrls)
                    w.BeginObject().Name("type").String("image_url").Name("image_url").BeginObject().Name("url").String(url).EndObject().EndObject();
                w.EndArray();
            }
            if (ToolCallId != null)
                w.Name("tool_call_id").String(ToolCallId);
            if (ToolCallsJson != null)
                w.Name("tool_calls").Raw(ToolCallsJson, "ToolCallsJson");
            w.EndObject();
        }
    }

    /// <summary>A chat completion request (the OpenAI chat-completions body).</summary>
    public sealed class ChatRequest
    {
        private readonly string? json;

        /// <summary>A request for <paramref name="model"/> (<c>org/name</c>, optionally <c>:provider</c>).</summary>
        public ChatRequest(string model, params ChatMessage[] messages)
        {
            Model = model ?? throw new ArgumentNullException(nameof(model));
            foreach (ChatMessage m in messages ?? Array.Empty<ChatMessage>())
                Messages.Add(m ?? throw new ArgumentNullException(nameof(messages)));
        }

        /// <summary>A request of one user message.</summary>
        public ChatRequest(string model, string prompt) : this(model, ChatMessage.User(prompt)) { }

        private ChatRequest(string json, bool raw)
        {
            this.json = json;
            Model = "";
        }

        /// <summary>A request whose body is given whole as JSON (<c>stream</c> is set by the call).</summary>
        public static ChatRequest FromJson(string json)
        {
            if (json == null)
                throw new ArgumentNullException(nameof(json));
            return new ChatRequest(json, raw: true);
        }

        /// <summary>The model.</summary>
        public string Model { get; }

        /// <summary>The conversation.</summary>
        public IList<ChatMessage> Messages { get; } = new List<ChatMessage>();

        /// <summary><c>max_tokens</c>.</summary>
        public int? MaxTokens { get; set; }

        /// <summary><c>temperature</c>.</summary>
        public double? Temperature { get; set; }

        /// <summary><c>top_p</c>.</summary>
        public double? TopP { get; set; }

        /// <summary><c>seed</c>.</summary>
        public long? Seed { get; set; }

        /// <summary><c>stop</c> sequences.</summary>
        public IList<string> Stop { get; } = new List<string>();

        /// <summary><c>tools</c>, as the API's JSON array.</summary>
        public string? ToolsJson { get; set; }

        /// <summary><c>tool_choice</c>, as JSON (<c>"auto"</c> with its quotes, or an object).</summary>
        public string? ToolChoiceJson { get; set; }

        /// <summary><c>response_format</c>, as JSON.</summary>
        public string? ResponseFormatJson { get; set; }

        /// <summary>Any other member of the body: name → JSON value.</summary>
        public IDictionary<string, string> Extra { get; } = new Dictionary<string, string>();

        internal string ToJson()
        {
            if (json != null)
                return json;
            if (Model.Length == 0)
                throw HfiException.Invalid("the request has no model");
            if (Messages.Count == 0)
                throw HfiException.Invalid("the request has no message");
            var w = new JsonWriter();
            w.BeginObject().Name("model").String(Model).Name("messages").BeginArray();
            foreach (ChatMessage m in Messages)
                m.Write(w);
            w.EndArray();
            if (MaxTokens.HasValue)
                w.Name("max_tokens").Number(MaxTokens.Value);
            if (Temperature.HasValue)
                w.Name("temperature").Number(Temperature.Value);
            if (TopP.HasValue)
                w.Name("top_p").Number(TopP.Value);
            if (Seed.HasValue)
                w.Name("seed").Number(Seed.Value);
            if (Stop.Count > 0)
            {
                w.Name("stop").BeginArray();
                foreach (string s in Stop)
                    w.String(s);
                w.EndArray();
            }
            if (ToolsJson != null)
                w.Name("tools").Raw(ToolsJson, "ToolsJson");
            if (ToolChoiceJson != null)
                w.Name("tool_choice").Raw(ToolChoiceJson, "ToolChoiceJson");
            if (ResponseFormatJson != null)
                w.Name("response_format").Raw(ResponseFormatJson, "ResponseFormatJson");
            foreach (KeyValuePair<string, string> member in Extra)
                w.Name(member.Key).Raw(member.Value, "Extra[\"" + member.Key + "\"]");
            return w.EndObject().ToString();
        }
    }

    /// <summary>Token counts of a completion.</summary>
    public sealed class Usage
    {
        internal Usage(long prompt, long completion, long total)
        {
            PromptTokens = prompt;
            CompletionTokens = completion;
            TotalTokens = total;
        }

        /// <summary>Tokens of the prompt.</summary>
        public long PromptTokens { get; }

        /// <summary>Tokens generated.</summary>
        public long CompletionTokens { get; }

        /// <summary>Both.</summary>
        public long TotalTokens { get; }
    }

    /// <summary>A tool call of a completion.</summary>
    public sealed class ToolCall
    {
        internal ToolCall(string id, string name, string arguments)
        {
            Id = id;
            Name = name;
            Arguments = arguments;
        }

        /// <summary>The call's id (answer it with <see cref="ChatMessage.Tool"/>).</summary>
        public string Id { get; }

        /// <summary>The function's name.</summary>
        public string Name { get; }

        /// <summary>Its arguments, JSON text.</summary>
        public string Arguments { get; }
    }

    /// <summary>A finished chat completion.</summary>
    public sealed class ChatResponse
    {
        internal ChatResponse() { }

        /// <summary>The answer's text.</summary>
        public string Content { get; internal set; } = "";

        /// <summary>The model's reasoning text, when it gave one.</summary>
        public string Reasoning { get; internal set; } = "";

        /// <summary>Why it stopped (<c>stop</c>, <c>length</c>, <c>tool_calls</c>, ...).</summary>
        public string FinishReason { get; internal set; } = "";

        /// <summary>The model that answered.</summary>
        public string Model { get; internal set; } = "";

        /// <summary>The server's request id, for support.</summary>
        public string RequestId { get; internal set; } = "";

        /// <summary>Token counts, when the server sent them.</summary>
        public Usage? Usage { get; internal set; }

        /// <summary>The tool calls the model made.</summary>
        public IReadOnlyList<ToolCall> ToolCalls { get; internal set; } = Array.Empty<ToolCall>();

        /// <summary>The <c>chat.completion</c> JSON (assembled from the events for a stream).</summary>
        public string Json { get; internal set; } = "";

        /// <summary>The HTTP status of the answer.</summary>
        public int HttpStatus { get; internal set; }

        /// <summary>Who served it, for failover targets.</summary>
        public string Target { get; internal set; } = "";

        /// <summary>Attempts made (retries and failovers included).</summary>
        public int Attempts { get; internal set; }

        /// <summary>Time from the start to the end of the request.</summary>
        public TimeSpan Total { get; internal set; }

        /// <summary>Time from the start to the first byte of the answer.</summary>
        public TimeSpan FirstByte { get; internal set; }
    }

    /// <summary>What a streamed event carries.</summary>
    public enum ChatDeltaKind
    {
        /// <summary>A piece of the answer: <see cref="ChatDelta.Text"/>.</summary>
        Content = 1,
        /// <summary>A piece of the model's reasoning: <see cref="ChatDelta.Text"/>.</summary>
        Reasoning = 2,
        /// <summary>A piece of a tool call: <see cref="ChatDelta.ToolCall"/>.</summary>
        ToolCall = 3,
        /// <summary>Token counts: <see cref="ChatDelta.Usage"/>.</summary>
        Usage = 4,
        /// <summary>A choice finished: <see cref="ChatDelta.Text"/> is the finish reason.</summary>
        Finish = 5,
    }

    /// <summary>A piece of a tool call, as it streams: the id and name come first, the arguments in pieces.</summary>
    public sealed class ToolCallDelta
    {
        internal ToolCallDelta(int index, string id, string name, string arguments)
        {
            Index = index;
            Id = id;
            Name = name;
            Arguments = arguments;
        }

        /// <summary>Which call of the message.</summary>
        public int Index { get; }

        /// <summary>Its id, in its first piece.</summary>
        public string Id { get; }

        /// <summary>The function, in its first piece.</summary>
        public string Name { get; }

        /// <summary>A piece of the arguments.</summary>
        public string Arguments { get; }
    }

    /// <summary>One event of a streamed chat.</summary>
    public sealed class ChatDelta
    {
        internal ChatDelta(ChatDeltaKind kind, int choice, string text, ToolCallDelta? toolCall = null, Usage? usage = null)
        {
            Kind = kind;
            ChoiceIndex = choice;
            Text = text;
            ToolCall = toolCall;
            Usage = usage;
        }

        /// <summary>What it carries.</summary>
        public ChatDeltaKind Kind { get; }

        /// <summary>The choice it belongs to (0 unless <c>n</c> was set).</summary>
        public int ChoiceIndex { get; }

        /// <summary>The text of a content or reasoning piece, or the finish reason; "" otherwise.</summary>
        public string Text { get; }

        /// <summary>The tool call piece, for <see cref="ChatDeltaKind.ToolCall"/>.</summary>
        public ToolCallDelta? ToolCall { get; }

        /// <summary>The counts, for <see cref="ChatDeltaKind.Usage"/>.</summary>
        public Usage? Usage { get; }

        /// <inheritdoc />
        public override string ToString() => Kind + ": " + Text;
    }
}
