using System;
using System.Collections.Generic;

namespace Hfi
{
    /// <summary>The progress of a provider's job (queued, running), as the provider reports it.</summary>
    public sealed class TaskProgress
    {
        internal TaskProgress(string status, double fraction, string json)
        {
            Status = status;
            Fraction = fraction >= 0 ? fraction : (double?)null;
            Json = json;
        }

        /// <summary>The provider's status word (<c>IN_QUEUE</c>, <c>processing</c>, ...).</summary>
        public string Status { get; }

        /// <summary>From 0 to 1, or null when the provider does not say.</summary>
        public double? Fraction { get; }

        /// <summary>The provider's status answer as JSON.</summary>
        public string Json { get; }
    }

    /// <summary>Settings of one call, over the client's.</summary>
    public sealed class CallOptions
    {
        /// <summary>Time allowed for the whole call, polls of a job included; overrides the client's.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>Stall timeout of this call.</summary>
        public TimeSpan? StallTimeout { get; set; }

        /// <summary>First-byte timeout of this call.</summary>
        public TimeSpan? FirstByteTimeout { get; set; }

        /// <summary>Retries of this call; overrides the client's.</summary>
        public int? MaxRetries { get; set; }

        /// <summary>Headers of this call only, each <c>Name: value</c>.</summary>
        public IList<string> Headers { get; } = new List<string>();

        /// <summary>Tasks: the providers to use, in order (default: <c>auto</c>).</summary>
        public IList<string> Providers { get; } = new List<string>();

        /// <summary>Tasks: time between two polls of a job, instead of the provider's own.</summary>
        public TimeSpan? PollInterval { get; set; }

        /// <summary>Tasks: receives the job's progress, on the thread that delivers events.</summary>
        public IProgress<TaskProgress>? Progress { get; set; }

        /// <summary>Tasks: a binary input (image, audio); the typed task methods set it.</summary>
        public byte[]? Input { get; set; }

        /// <summary>The MIME type of <see cref="Input"/>; null has hfi tell it from the bytes.</summary>
        public string? InputMediaType { get; set; }

        internal CallOptions With(byte[] input)
        {
            var copy = (CallOptions)MemberwiseClone();
            copy.Input = input;
            return copy;
        }
    }
}
