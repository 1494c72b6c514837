using System;
using Hfi.Json;
using Xunit;

namespace Hfi.Tests
{
    public class JsonTests
    {
        [Fact]
        public void ParsesEveryKindAndReadsMissingMembersAsNull()
        {
            JsonValue v = JsonValue.Parse("{\"a\":[1,-2.5e3,\"x\\n\\u00e9\\ud83d\\ude00\",true,null,{}],\"b\":{\"c\":false}}");
            Assert.Equal(JsonKind.Object, v.Kind);
            Assert.Equal(1, v["a"][0].AsLong());
            Assert.Equal(-2500.0, v["a"][1].AsDouble());
            Assert.Equal("x\né😀", v["a"][2].AsString());
            Assert.True(v["a"][3].AsBool());
            Assert.False(v["a"][4].Exists);
            Assert.Equal(JsonKind.Object, v["a"][5].Kind);
            Assert.False(v["b"]["c"].AsBool(true));
            Assert.False(v["nope"]["deeper"][3].Exists);
            Assert.Equal("fallback", v["a"][0].AsString("fallback"));
            Assert.Equal(6, v["a"].Items.Count);
            Assert.Equal(2, v.Members.Count);
        }

        [Fact]
        public void RoundTripsThroughItsText()
        {
            const string text = "{\"s\":\"q\\\"\\\\\\t\\u0001\",\"n\":[0.1,1e+300,-0],\"o\":{\"t\":true,\"f\":false,\"z\":null}}";
            JsonValue v = JsonValue.Parse(text);
            JsonValue again = JsonValue.Parse(v.ToString());
            Assert.Equal(v.ToString(), again.ToString());
            Assert.Equal("q\"\\\t\u0001", again["s"].AsString());
            Assert.Equal(0.1, again["n"][0].AsDouble());
        }

        [Theory]
        [InlineData("")]
        [InlineData("{")]
        [InlineData("[1,]")]
        [InlineData("{\"a\" 1}")]
        [InlineData("\"unterminated")]
        [InlineData("\"bad \\q escape\"")]
        [InlineData("tru")]
        [InlineData("1 2")]
        [InlineData("\"\u0001\"")]
        [InlineData("-")]
        public void RejectsWhatIsNotJson(string text)
        {
            Assert.Throws<FormatException>(() => JsonValue.Parse(text));
        }

        [Fact]
        public void DeepNestingIsAnErrorNotACrash()
        {
            Assert.Throws<FormatException>(() => JsonValue.Parse(new string('[', 100000)));
            Assert.Throws<ArgumentNullException>(() => JsonValue.Parse(null!));
        }
    }
}
