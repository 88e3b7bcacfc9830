using System.Text;
using BenchmarkDotNet.Attributes;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Modbus.Protocol;

namespace Evok.Orleans.Benchmarks.Micro;

/// <summary>
/// The per-scan and per-change work outside Orleans and sockets: Modbus frames, the register diff of an unchanged
/// board, decoding a changed circuit, and its device JSON. Run: <c>-- micro</c> (BenchmarkDotNet, Release).
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private readonly byte[] _frame = new byte[ModbusLimits.MbapHeaderLength + 5];
    private readonly byte[] _response = new byte[2 + (2 * 14)];
    private readonly ushort[] _registers = new ushort[14];
    private BoardMap _board = null!;
    private RegisterImage _image = null!;
    private ushort[] _scan = null!;
    private Circuit _relay = null!;
    private DeviceState _state = null!;
    private StringBuilder _json = null!;

    [GlobalSetup]
    public void Setup()
    {
        var site = SiteConfigurationLoader.Parse("bench.yaml", "comm_channels:\n  bus:\n    type: MODBUSTCP\n    devices:\n      b1: {model: \"13\"}\n", new HardwareDefinitionCatalog());
        _board = new SiteMap(site).FindBoard("b1")!;
        _image = _board.CreateImage();
        _scan = new ushort[14];
        _relay = _board.FindCircuit("relay:b1_04")!;
        _state = _relay.Decode(_image, 2);
        _json = new StringBuilder(256);
        _response[0] = 3;
        _response[1] = 28;
    }

    [Benchmark(Description = "Modbus: encode a read request frame")]
    public int EncodeReadRequest()
    {
        ModbusPdu.WriteReadRequest(_frame.AsSpan(ModbusLimits.MbapHeaderLength), ModbusFunctionCode.ReadHoldingRegisters, 14, 14);
        new MbapHeader(1, 0, 6, 1).Write(_frame);
        return _frame[7];
    }

    [Benchmark(Description = "Modbus: decode a 14-register response")]
    public ushort DecodeReadResponse()
    {
        ModbusPdu.ReadRegisters(_response, ModbusFunctionCode.ReadHoldingRegisters, _registers);
        return _registers[13];
    }

    [Benchmark(Description = "Scan: diff 14 unchanged registers against the image")]
    public int DiffUnchangedBlock()
    {
        var image = _image.Slice(14, _scan.Length);
        var changed = 0;
        for (var i = 0; i < _scan.Length; i++)
        {
            if (image[i] != _scan[i])
            {
                changed += _board.CircuitsUsing(14 + i).Length;
            }
        }

        return changed;
    }

    [Benchmark(Description = "Change: decode a relay and compare with its last state")]
    public bool DecodeAndCompare() => _relay.Decode(_image, 2).Equals(_state);

    [Benchmark(Description = "Change: write a relay's device JSON")]
    public int WriteJson()
    {
        _json.Clear();
        _state.WriteJson(new Abstractions.Json.EvokJsonWriter(_json));
        return _json.Length;
    }
}
