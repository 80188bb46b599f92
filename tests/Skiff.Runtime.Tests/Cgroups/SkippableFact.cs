using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Skiff.Runtime.Tests.Cgroups;

/// <summary>Thrown by a test that cannot run on this host; a <see cref="SkippableFactAttribute"/> test reports it as skipped.</summary>
public sealed class SkipException(string reason) : Exception(reason);

/// <summary>A [Fact] that may skip itself at run time by throwing <see cref="SkipException"/> with the reason.</summary>
[XunitTestCaseDiscoverer("Skiff.Runtime.Tests.Cgroups.SkippableFactDiscoverer", "Skiff.Runtime.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class SkippableFactAttribute : FactAttribute;

public sealed class SkippableFactDiscoverer(IMessageSink diagnostics) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo attribute)
        => [new SkippableTestCase(diagnostics, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), method)];
}

public sealed class SkippableTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer", error: true)]
    public SkippableTestCase() { }

    public SkippableTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method)
        : base(sink, display, options, method) { }

    public override async Task<RunSummary> RunAsync(IMessageSink diagnostics, IMessageBus bus, object[] args,
        ExceptionAggregator aggregator, CancellationTokenSource cancellation)
    {
        var skipping = new SkippingBus(bus);
        var summary = await base.RunAsync(diagnostics, skipping, args, aggregator, cancellation);
        summary.Failed -= skipping.Skipped;
        summary.Skipped += skipping.Skipped;
        return summary;
    }

    sealed class SkippingBus(IMessageBus inner) : IMessageBus
    {
        public int Skipped;

        public bool QueueMessage(IMessageSinkMessage message)
        {
            if (message is ITestFailed failed && failed.ExceptionTypes.FirstOrDefault() == typeof(SkipException).FullName)
            {
                Skipped++;
                return inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages.FirstOrDefault()));
            }
            return inner.QueueMessage(message);
        }

        public void Dispose() { }
    }
}
