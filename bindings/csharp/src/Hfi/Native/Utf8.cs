using System;
using System.Text;

namespace Hfi.Native
{
    /// <summary>Strings across the ABI: UTF-8 bytes with a length, or NUL-terminated where the C
    /// function takes no length.</summary>
    internal static unsafe class Utf8
    {
        private static readonly UTF8Encoding Strict = new UTF8Encoding(false, true);

        internal static string Decode(byte* p, UIntPtr n)
        {
            ulong length = n.ToUInt64();
            if (p == null || length == 0)
                return "";
            return Encoding.UTF8.GetString(p, checked((int)length));
        }

        /// <summary>The text a getter returned, or "" when it failed (the value is absent).</summary>
        internal static string Text(int status, byte* p, UIntPtr n) => status == 0 ? Decode(p, n) : "";

        internal static byte[] Encode(string value, string what)
        {
            try
            {
                return Strict.GetBytes(value);
            }
            catch (EncoderFallbackException e)
            {
                throw HfiException.Invalid(what + " is not valid UTF-16 text (a lone surrogate): " + e.Message);
            }
        }

        /// <summary>NUL-terminated UTF-8, for C parameters without a length.</summary>
        internal static byte[] EncodeZ(string value, string what)
        {
            if (value.IndexOf('\0') >= 0)
                throw HfiException.Invalid(what + " contains a NUL character");
            byte[] text = Encode(value, what);
            byte[] z = new byte[text.Length + 1];
            Buffer.BlockCopy(text, 0, z, 0, text.Length);
            return z;
        }

        internal static byte[] Copy(byte* p, UIntPtr n)
        {
            ulong length = n.ToUInt64();
            if (p == null || length == 0)
                return Array.Empty<byte>();
            byte[] bytes = new byte[checked((int)length)];
            fixed (byte* dst = bytes)
                Buffer.MemoryCopy(p, dst, bytes.Length, bytes.Length);
            return bytes;
        }
    }
}
