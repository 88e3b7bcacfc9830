namespace Evok.Orleans.Hardware.Configuration;

/// <summary>A bus's <c>device_info</c> (Unipi's autogen writes the controller's here): what the product is.</summary>
public sealed record DeviceInfoConfiguration(string Family, string Model, long? SerialNumber, int BoardCount);
