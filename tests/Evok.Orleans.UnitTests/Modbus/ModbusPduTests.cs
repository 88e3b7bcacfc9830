using Evok.Orleans.Modbus;
using Evok.Orleans.Modbus.Protocol;

namespace Evok.Orleans.UnitTests.Modbus;

public sealed class ModbusPduTests
{
    [Fact]
    public void Read_request_and_mbap_header_are_big_endian()
    {
        var frame = new byte[12];
        ModbusPdu.WriteReadRequest(frame.AsSpan(7), ModbusFunctionCode.ReadHoldingRegisters, 1000, 24);
        new MbapHeader(0xABCD, 0, 6, 2).Write(frame);

        Assert.Equal(new byte[] { 0xAB, 0xCD, 0, 0, 0, 6, 2, 3, 0x03, 0xE8, 0, 24 }, frame);
        Assert.Equal(new MbapHeader(0xABCD, 0, 6, 2), MbapHeader.Read(frame));
    }

    [Fact]
    public void Register_response_is_decoded_and_a_wrong_byte_count_is_a_protocol_error()
    {
        var values = new ushort[2];
        ModbusPdu.ReadRegisters([3, 4, 0x12, 0x34, 0xFF, 0xFE], ModbusFunctionCode.ReadHoldingRegisters, values);

        Assert.Equal([(ushort)0x1234, (ushort)0xFFFE], values);
        Assert.Throws<ModbusProtocolException>(() =>
            ModbusPdu.ReadRegisters([3, 2, 0x12, 0x34], ModbusFunctionCode.ReadHoldingRegisters, new ushort[2]));
    }

    [Fact]
    public void Exception_response_becomes_a_typed_slave_exception()
    {
        var error = Assert.Throws<SlaveException>(() =>
            ModbusPdu.ReadRegisters([0x83, 2], ModbusFunctionCode.ReadHoldingRegisters, new ushort[1]));

        Assert.Equal(SlaveExceptionCode.IllegalDataAddress, error.Code);
        Assert.Equal(ModbusFunctionCode.ReadHoldingRegisters, error.Function);
    }

    [Fact]
    public void Coils_pack_lsb_first_and_write_responses_must_echo()
    {
        var pdu = new byte[8];
        var length = ModbusPdu.WriteMultipleCoilsRequest(pdu, 8, [true, false, true, true, false, false, false, false, true]);

        Assert.Equal(new byte[] { 15, 0, 8, 0, 9, 2, 0b0000_1101, 0b0000_0001 }, pdu[..length]);
        Assert.Throws<ModbusProtocolException>(() => ModbusPdu.CheckWriteEcho([15, 0, 8, 0, 8], pdu));
    }

    [Theory]
    [InlineData(0, 2, false)]
    [InlineData(1, 2, false)]
    [InlineData(0, 1, false)]
    [InlineData(0, 255, false)]
    [InlineData(0, 254, true)]
    public void Mbap_header_validity(int protocol, int length, bool valid) =>
        Assert.Equal(valid || length == 2 && protocol == 0, new MbapHeader(1, (ushort)protocol, (ushort)length, 1).IsValid);
}
