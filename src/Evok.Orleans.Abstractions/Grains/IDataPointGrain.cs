namespace Evok.Orleans.Abstractions.Grains;

/// <summary>A module's reported value, key <c>data_point:&lt;device&gt;_&lt;register&gt;</c>; read-only but for its alias.</summary>
public interface IDataPointGrain : ICircuitGrain;
