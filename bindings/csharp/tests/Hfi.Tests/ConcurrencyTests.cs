using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using static Hfi.Tests.Emulator;

namespace Hfi.Tests
{
    public class ConcurrencyTests
    {
        private static Emulator Emu => Instance;

        [Fact]
        public async Task ThirtyTwoConcurrentTasksShareOneClient()
        {
            using HfiClient c = Emu.Client();
            async Task One(int t)
            {
                for (int i = 0; i < 4; i++)
                {
                    string prompt = "task " + t + " call " + i + " " + Words(t % 7);
                    string want = "Hello! You said: " + prompt;
                    switch ((t + i) % 4)
                    {
                        case 0:
                            Assert.Equal(want, (await c.ChatAsync(Ask(prompt))).Content);
                            break;
                        case 1:
                            var text = new System.Text.StringBuilder();
                            await foreach (ChatDelta d in c.StreamChatAsync(Ask(prompt)))
                                if (d.Kind == ChatDeltaKind.Content)
                                    text.Append(d.Text);
                            Assert.Equal(want, text.ToString());
                            break;
                        case 2:
                            // A blocking reader on a thread of its own.
                            string blocking = await Task.Run(() =>
                            {
                                using ChatStream s = c.StreamChat(Ask(prompt));
                                return string.Concat(s.Where(d => d.Kind == ChatDeltaKind.Content).Select(d => d.Text));
                            });
                            Assert.Equal(want, blocking);
                            break;
                        default:
                            Assert.NotEmpty(await c.SummarizationAsync("emu/summarization", prompt + ". More."));
                            break;
                    }
                }
            }
            await Task.WhenAll(Enumerable.Range(0, 32).Select(t => Task.Run(() => One(t))));
        }
    }
}
