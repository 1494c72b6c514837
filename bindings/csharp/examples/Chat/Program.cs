// Streams a chat answer with the Hfi binding.
//
//   dotnet run --project examples/Chat -- [--base-url URL] [--frame-loop] "prompt"
//
// The token comes from HF_TOKEN (or the huggingface_hub token file). With --base-url it talks to
// an OpenAI-compatible server instead of the Hugging Face router (the hfi emulator, TGI, vLLM).
// --frame-loop reads the stream the way a Unity game does: a Dispatch.Manual client polled once
// per 16 ms frame.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Hfi;

internal static class Program
{
    private static async Task<int> Main(string[] argv)
    {
        var args = new List<string>(argv);
        var options = new HfiClientOptions();
        if (args.Count > 1 && args[0] == "--base-url")
        {
            options.BaseUrl = args[1];
            args.RemoveRange(0, 2);
        }
        bool frameLoop = args.Remove("--frame-loop");
        options.Dispatch = frameLoop ? Dispatch.Manual : Dispatch.Background;
        string prompt = args.Count == 0 ? "Say hello in one short sentence." : string.Join(" ", args);
        var request = new ChatRequest("meta-llama/Llama-3.1-8B-Instruct", prompt);
        try
        {
            using var client = new HfiClient(options);
            if (frameLoop)
                FrameLoop(client, request);
            else
                await foreach (ChatDelta delta in client.StreamChatAsync(request))
                    if (delta.Kind == ChatDeltaKind.Content)
                        Console.Write(delta.Text);
            Console.WriteLine();
            return 0;
        }
        catch (HfiException e)
        {
            Console.Error.WriteLine();
            Console.Error.WriteLine(e.RetryAfter is TimeSpan wait ? e.Message + " (retry after " + wait + ")" : e.Message);
            return 1;
        }
    }

    private static void FrameLoop(HfiClient client, ChatRequest request)
    {
        using ChatStream stream = client.StreamChat(request);
        while (!stream.IsCompleted)
        {
            client.Poll(); // Update(): deliver what arrived, never wait for the network
            while (stream.TryRead(out ChatDelta? delta))
                if (delta!.Kind == ChatDeltaKind.Content)
                    Console.Write(delta.Text);
            Thread.Sleep(16); // the rest of the frame
        }
    }
}
