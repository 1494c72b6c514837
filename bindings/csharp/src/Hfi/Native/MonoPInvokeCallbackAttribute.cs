using System;

namespace AOT
{
    /// <summary>
    /// Marks a static method that native code calls through a function pointer. Unity's IL2CPP
    /// looks for an attribute of this name to generate the reverse P/Invoke wrapper; elsewhere it
    /// only documents the method.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method)]
    internal sealed class MonoPInvokeCallbackAttribute : Attribute
    {
        public MonoPInvokeCallbackAttribute(Type delegateType) => DelegateType = delegateType;

        public Type DelegateType { get; }
    }
}
