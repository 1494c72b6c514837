using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Hfi.Tests
{
    public class NativeLoadingTests
    {
        [Fact]
        public void TheResolverLoadsLibhfiFromTheNuGetRuntimesFolder()
        {
            // The build puts libhfi.so only under runtimes/<rid>/native, where the runtime's own
            // probing does not look without a package's deps.json: the binding's resolver found it.
            Assert.Equal(HfiClient.BindingVersion, HfiClient.NativeVersion);
            string expected = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libhfi.so");
            string[] mapped = File.ReadAllLines("/proc/self/maps").Where(l => l.Contains("libhfi.so")).ToArray();
            Assert.NotEmpty(mapped);
            Assert.All(mapped, l => Assert.EndsWith(expected, l));
            Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "libhfi.so")));
        }
    }
}
