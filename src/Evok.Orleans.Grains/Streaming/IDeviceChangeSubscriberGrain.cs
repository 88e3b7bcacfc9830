namespace Evok.Orleans.Grains.Streaming;

/// <summary>The implicit subscriber of one device's change stream (key = device name).</summary>
public interface IDeviceChangeSubscriberGrain : IGrainWithStringKey
{
}
