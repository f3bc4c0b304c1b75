using BenchmarkDotNet.Running;
using PciPassthrough.Benchmarks.Placement;

if (args is ["placement-server", .. var rest])
{
    return await PlacementServerBench.RunAsync(rest);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
