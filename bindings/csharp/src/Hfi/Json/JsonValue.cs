using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Hfi.Json
{
    /// <summary>The kind of a <see cref="JsonValue"/>.</summary>
    public enum JsonKind
    {
        /// <summary><c>null</c>, or a member that is absent.</summary>
        Null,
        /// <summary><c>true</c> or <c>false</c>.</summary>
        Bool,
        /// <summary>A number.</summary>
        Number,
        /// <summary>A string.</summary>
        String,
        /// <summary>An array.</summary>
        Array,
        /// <summary>An object.</summary>
        Object,
    }

    /// <summary>
    /// A parsed JSON value, read-only: the outputs of tasks that have no fixed shape (model
    /// listings, tabular classes). Missing members and out-of-range items read as null, so that
    /// <c>value["a"][0]["b"].AsString()</c> never throws on a shape it did not expect.
    /// </summary>
    public sealed class JsonValue
    {
        /// <summary>The null value (also what absent members read as).</summary>
        public static readonly JsonValue Null = new JsonValue(JsonKind.Null, null);

        private readonly object? value;

        private JsonValue(JsonKind kind, object? value)
        {
            Kind = kind;
            this.value = value;
        }

        /// <summary>What the value is.</summary>
        public JsonKind Kind { get; }

        /// <summary>The member <paramref name="name"/> of an object; <see cref="Null"/> otherwise.</summary>
        public JsonValue this[string name] =>
            value is Dictionary<string, JsonValue> members && members.TryGetValue(name, out JsonValue? v) ? v : Null;

        /// <summary>Item <paramref name="index"/> of an array; <see cref="Null"/> otherwise.</summary>
        public JsonValue this[int index] =>
            value is List<JsonValue> items && index >= 0 && index < items.Count ? items[index] : Null;

        /// <summary>The items of an array (none for other kinds).</summary>
        public IReadOnlyList<JsonValue> Items => value as List<JsonValue> ?? (IReadOnlyList<JsonValue>)Array.Empty<JsonValue>();

        /// <summary>The members of an object, in document order (none for other kinds).</summary>
        public IReadOnlyDictionary<string, JsonValue> Members =>
            value as Dictionary<string, JsonValue> ?? (IReadOnlyDictionary<string, JsonValue>)Empty;

        private static readonly Dictionary<string, JsonValue> Empty = new Dictionary<string, JsonValue>();

        /// <summary>The string, or <paramref name="fallback"/> for other kinds.</summary>
        public string AsString(string fallback = "") => value as string ?? fallback;

        /// <summary>The number, or <paramref name="fallback"/> for other kinds.</summary>
        public double AsDouble(double fallback = 0) => value is double d ? d : fallback;

        /// <summary>The number as an integer (truncated), or <paramref name="fallback"/>.</summary>
        public long AsLong(long fallback = 0) => value is double d && d >= long.MinValue && d <= long.MaxValue ? (long)d : fallback;

        /// <summary>The boolean, or <paramref name="fallback"/> for other kinds.</summary>
        public bool AsBool(bool fallback = false) => value is bool b ? b : fallback;

        /// <summary>True unless the value is null or absent.</summary>
        public bool Exists => Kind != JsonKind.Null;

        /// <summary>Parses JSON text.</summary>
        /// <exception cref="FormatException">The text is not one JSON value.</exception>
        public static JsonValue Parse(string json)
        {
            if (json == null)
                throw new ArgumentNullException(nameof(json));
            var reader = new Reader(json);
            JsonValue result = reader.Value(0);
            reader.SkipSpace();
            if (!reader.AtEnd)
                throw reader.Error("text after the value");
            return result;
        }

        /// <summary>Compact JSON text of the value.</summary>
        public override string ToString()
        {
            var w = new JsonWriter();
            Write(w);
            return w.ToString();
        }

        private void Write(JsonWriter w)
        {
            switch (Kind)
            {
                case JsonKind.Null: w.NullValue(); break;
                case JsonKind.Bool: w.Bool((bool)value!); break;
                case JsonKind.Number: w.Number((double)value!); break;
                case JsonKind.String: w.String((string)value!); break;
                case JsonKind.Array:
                    w.BeginArray();
                    foreach (JsonValue item in Items)
                        item.Write(w);
                    w.EndArray();
                    break;
                default:
                    w.BeginObject();
                    foreach (KeyValuePair<string, JsonValue> m in Members)
                    {
                        w.Name(m.Key);
                        m.Value.Write(w);
                    }
                    w.EndObject();
                    break;
            }
        }

        private sealed class Reader
        {
            private const int MaxDepth = 512;
            private readonly string s;
            private int i;

            public Reader(string s) => this.s = s;

            public bool AtEnd => i >= s.Length;

            public FormatException Error(string what) => new FormatException("JSON: " + what + " at offset " + i);

            public void SkipSpace()
            {
                while (i < s.Length && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
                    i++;
            }

            public JsonValue Value(int depth)
            {
                if (depth > MaxDepth)
                    throw Error("nesting deeper than " + MaxDepth);
                SkipSpace();
                if (AtEnd)
                    throw Error("unexpected end");
                char c = s[i];
                switch (c)
                {
                    case '{': return Object(depth);
                    case '[': return Array(depth);
                    case '"': return new JsonValue(JsonKind.String, String());
                    case 't': Word("true"); return new JsonValue(JsonKind.Bool, true);
                    case 'f': Word("false"); return new JsonValue(JsonKind.Bool, false);
                    case 'n': Word("null"); return Null;
                    default:
                        if (c == '-' || (c >= '0' && c <= '9'))
                            return new JsonValue(JsonKind.Number, Number());
                        throw Error("unexpected '" + c + "'");
                }
            }

            private JsonValue Object(int depth)
            {
                i++;
                var members = new Dictionary<string, JsonValue>();
                SkipSpace();
                if (i < s.Length && s[i] == '}')
                {
                    i++;
                    return new JsonValue(JsonKind.Object, members);
                }
                while (true)
                {
                    SkipSpace();
                    if (AtEnd || s[i] != '"')
                        throw Error("expected a member name");
                    string name = String();
                    SkipSpace();
                    Expect(':');
                    members[name] = Value(depth + 1);
                    SkipSpace();
                    if (Take(','))
                        continue;
                    Expect('}');
                    return new JsonValue(JsonKind.Object, members);
                }
            }

            private JsonValue Array(int depth)
            {
                i++;
                var items = new List<JsonValue>();
                SkipSpace();
                if (Take(']'))
                    return new JsonValue(JsonKind.Array, items);
                while (true)
                {
                    items.Add(Value(depth + 1));
                    SkipSpace();
                    if (Take(','))
                        continue;
                    Expect(']');
                    return new JsonValue(JsonKind.Array, items);
                }
            }

            private string String()
            {
                i++; // the opening quote
                var sb = new StringBuilder();
                while (true)
                {
                    if (AtEnd)
                        throw Error("unterminated string");
                    char c = s[i++];
                    if (c == '"')
                        return sb.ToString();
                    if (c < 0x20)
                        throw Error("control character in a string");
                    if (c != '\\')
                    {
                        sb.Append(c);
                        continue;
                    }
                    if (AtEnd)
                        throw Error("unterminated escape");
                    char e = s[i++];
                    switch (e)
                    {
                        case '"': sb.Append('"'); break;
                        case '\\': sb.Append('\\'); break;
                        case '/': sb.Append('/'); break;
                        case 'b': sb.Append('\b'); break;
                        case 'f': sb.Append('\f'); break;
                        case 'n': sb.Append('\n'); break;
                        case 'r': sb.Append('\r'); break;
                        case 't': sb.Append('\t'); break;
                        case 'u':
                            if (i + 4 > s.Length || !int.TryParse(s.Substring(i, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                                throw Error("bad \\u escape");
                            sb.Append((char)code);
                            i += 4;
                            break;
                        default:
                            throw Error("bad escape '\\" + e + "'");
                    }
                }
            }

            private double Number()
            {
                int start = i;
                if (s[i] == '-')
                    i++;
                while (i < s.Length && "0123456789+-.eE".IndexOf(s[i]) >= 0)
                    i++;
                if (!double.TryParse(s.Substring(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
                    throw Error("bad number");
                return d;
            }

            private void Word(string word)
            {
                if (string.CompareOrdinal(s, i, word, 0, word.Length) != 0)
                    throw Error("unexpected word");
                i += word.Length;
            }

            private bool Take(char c)
            {
                if (i < s.Length && s[i] == c)
                {
                    i++;
                    return true;
                }
                return false;
            }

            private void Expect(char c)
            {
                if (!Take(c))
                    throw Error("expected '" + c + "'");
            }
        }
    }
}
