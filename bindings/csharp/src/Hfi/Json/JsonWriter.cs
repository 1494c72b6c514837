using System;
using System.Globalization;
using System.Text;

namespace Hfi.Json
{
    /// <summary>Writes compact JSON: the request bodies hfi sends. No dependency, so that the
    /// netstandard2.1 build loads in Unity as it is.</summary>
    internal sealed class JsonWriter
    {
        private readonly StringBuilder text = new StringBuilder(256);
        private bool needComma;

        public JsonWriter BeginObject() => Open('{');
        public JsonWriter EndObject() => Close('}');
        public JsonWriter BeginArray() => Open('[');
        public JsonWriter EndArray() => Close(']');

        public JsonWriter Name(string name)
        {
            Separate();
            Quote(name);
            text.Append(':');
            needComma = false;
            return this;
        }

        public JsonWriter String(string value)
        {
            Separate();
            Quote(value);
            return this;
        }

        public JsonWriter Number(long value)
        {
            Separate();
            text.Append(value.ToString(CultureInfo.InvariantCulture));
            return this;
        }

        public JsonWriter Number(double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
                throw HfiException.Invalid("JSON has no NaN or infinity");
            Separate();
            text.Append(value.ToString("R", CultureInfo.InvariantCulture));
            return this;
        }

        public JsonWriter NullValue()
        {
            Separate();
            text.Append("null");
            return this;
        }

        public JsonWriter Bool(bool value)
        {
            Separate();
            text.Append(value ? "true" : "false");
            return this;
        }

        /// <summary>A value that is JSON text already; it is checked, so that a bad one fails here
        /// with its name rather than as a malformed body at the server.</summary>
        public JsonWriter Raw(string json, string what)
        {
            try
            {
                JsonValue.Parse(json);
            }
            catch (FormatException e)
            {
                throw HfiException.Invalid(what + " is not JSON: " + e.Message);
            }
            Separate();
            text.Append(json);
            return this;
        }

        public override string ToString() => text.ToString();

        private JsonWriter Open(char c)
        {
            Separate();
            text.Append(c);
            needComma = false;
            return this;
        }

        private JsonWriter Close(char c)
        {
            text.Append(c);
            needComma = true;
            return this;
        }

        private void Separate()
        {
            if (needComma)
                text.Append(',');
            needComma = true;
        }

        private void Quote(string s)
        {
            text.Append('"');
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': text.Append("\\\""); break;
                    case '\\': text.Append("\\\\"); break;
                    case '\n': text.Append("\\n"); break;
                    case '\r': text.Append("\\r"); break;
                    case '\t': text.Append("\\t"); break;
                    default:
                        if (c < 0x20)
                            text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else
                            text.Append(c);
                        break;
                }
            }
            text.Append('"');
        }
    }
}
