namespace Evok.Orleans.Abstractions.Grains;

/// <summary>The implicit subscriber of one device's change channel (key = device name); it has no methods of its own.</summary>
public interface IDeviceChangeSubscriberGrain : IGrainWithStringKey
{
}
