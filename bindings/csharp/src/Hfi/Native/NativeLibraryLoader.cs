using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

[assembly: DefaultDllImportSearchPaths(DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories)]

namespace Hfi.Native
{
    internal static unsafe partial class NativeMethods
    {
        // The resolver must be in place before the first call into libhfi, and a type
        // initializer runs before the first call of any of this class's methods.
        static NativeMethods() => NativeLibraryLoader.Register();
    }

    /// <summary>
    /// Finds libhfi for <c>[DllImport("hfi")]</c> on .NET 8 and later: the file named by
    /// <c>HFI_LIBRARY</c>, then <c>runtimes/&lt;rid&gt;/native</c> beside the assembly (NuGet's layout), then
    /// the assembly's folder, then the system's search path, where an installed runtime package
    /// has only the SONAME (<c>libhfi.so.0</c>). Unity and netstandard2.1 hosts resolve plugins
    /// themselves.
    /// </summary>
    internal static class NativeLibraryLoader
    {
#if NET8_0_OR_GREATER
        private static int registered;

        internal static void Register()
        {
            if (System.Threading.Interlocked.Exchange(ref registered, 1) == 0)
                NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
        }

        private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
        {
            if (name != NativeMethods.Library)
                return IntPtr.Zero;
            foreach (string candidate in Candidates(assembly))
            {
                if (NativeLibrary.TryLoad(candidate, out IntPtr handle))
                    return handle;
            }
            return IntPtr.Zero; // the runtime's own probing, then DllNotFoundException
        }

        private static System.Collections.Generic.IEnumerable<string> Candidates(Assembly assembly)
        {
            string? explicitPath = Environment.GetEnvironmentVariable("HFI_LIBRARY");
            if (!string.IsNullOrEmpty(explicitPath))
                yield return explicitPath!;
            string file = OperatingSystem.IsWindows() ? "hfi.dll" : OperatingSystem.IsMacOS() ? "libhfi.dylib" : "libhfi.so";
            string? dir = Path.GetDirectoryName(assembly.Location);
            if (string.IsNullOrEmpty(dir))
                dir = AppContext.BaseDirectory;
            yield return Path.Combine(dir!, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", file);
            yield return Path.Combine(dir!, "runtimes", PortableRid(), "native", file);
            yield return Path.Combine(dir!, file);
            yield return file;
            if (OperatingSystem.IsLinux())
                yield return "libhfi.so.0";
        }

        private static string PortableRid()
        {
            string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
            return os + "-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        }
#else
        internal static void Register()
        {
        }
#endif
    }
}
