using BenchmarkDotNet.Running;
using PciPassthrough.Benchmarks.Placement;
using PciPassthrough.Benchmarks.Scheduling;

if (args is ["placement-server", .. var rest])
{
    return await PlacementServerBench.RunAsync(rest);
}

if (args is ["scenario-set", .. var loopArgs])
{
    return ScenarioSetLoop.Run(loopArgs);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
