using System.Reflection;
using Lobby.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Lobby.IntegrationTests.Infrastructure.FailedTestOutput", "Lobby.IntegrationTests")]

namespace Lobby.IntegrationTests.Infrastructure;

/// <summary>
/// xunit's own framework, with one change: each test class runs with a ServerLogBuffer of its
/// own (an AsyncLocal, so it reaches the requests its tests send through TestServer), and the
/// server lines logged during a test are added to that test's output when it fails. Tests of a
/// class run one after another, so what was logged between a test's start and its result is
/// that test's.
/// </summary>
public sealed class FailedTestOutput(IMessageSink diagnosticMessageSink) : XunitTestFramework(diagnosticMessageSink)
{
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName name, ISourceInformationProvider source, IMessageSink diagnostics)
        : XunitTestFrameworkExecutor(name, source, diagnostics)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class AssemblyRunner(
        ITestAssembly assembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnostics, IMessageSink execution, ITestFrameworkExecutionOptions options)
        : XunitTestAssemblyRunner(assembly, testCases, diagnostics, execution, options)
    {
        protected override Task<RunSummary> RunTestCollectionAsync(
            IMessageBus messageBus, ITestCollection testCollection, IEnumerable<IXunitTestCase> testCases, CancellationTokenSource cancellationTokenSource) =>
            new CollectionRunner(testCollection, testCases, DiagnosticMessageSink, messageBus, TestCaseOrderer, new ExceptionAggregator(Aggregator), cancellationTokenSource).RunAsync();
    }

    private sealed class CollectionRunner(
        ITestCollection collection, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnostics, IMessageBus bus,
        ITestCaseOrderer orderer, ExceptionAggregator aggregator, CancellationTokenSource cancellation)
        : XunitTestCollectionRunner(collection, testCases, diagnostics, bus, orderer, aggregator, cancellation)
    {
        protected override async Task<RunSummary> RunTestClassAsync(ITestClass testClass, IReflectionTypeInfo @class, IEnumerable<IXunitTestCase> testCases)
        {
            var buffer = new ServerLogBuffer();
            ServerLogBuffer.Current = buffer;
            using var bus = new AppendingBus(MessageBus, buffer);
            return await new XunitTestClassRunner(
                testClass, @class, testCases, DiagnosticMessageSink, bus, TestCaseOrderer, new ExceptionAggregator(Aggregator), CancellationTokenSource, CollectionFixtureMappings).RunAsync();
        }
    }

    /// <summary>Passes every message on; a failure gets the server lines of its test appended to its output.</summary>
    private sealed class AppendingBus(IMessageBus inner, ServerLogBuffer buffer) : IMessageBus
    {
        public bool QueueMessage(IMessageSinkMessage message)
        {
            switch (message)
            {
                case ITestStarting:
                case ITestPassed:
                case ITestSkipped:
                    _ = buffer.Drain();
                    break;
                case ITestFailed failed when buffer.Drain() is { Length: > 0 } lines:
                    message = new TestFailed(failed.Test, failed.ExecutionTime, failed.Output + "Server log of this test:\n" + lines,
                        failed.ExceptionTypes, failed.Messages, failed.StackTraces, failed.ExceptionParentIndices);
                    break;
            }

            return inner.QueueMessage(message);
        }

        // The collection runner owns the inner bus.
        public void Dispose()
        {
        }
    }
}
