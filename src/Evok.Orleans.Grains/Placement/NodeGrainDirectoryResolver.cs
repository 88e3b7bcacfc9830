using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Orleans.GrainDirectory;
using Orleans.Metadata;
using Orleans.Runtime.GrainDirectory;

namespace Evok.Orleans.Grains.Placement;

/// <summary>Every grain type placed by <see cref="NodePlacement"/> is found through <see cref="NodeGrainDirectory"/>.</summary>
internal sealed class NodeGrainDirectoryResolver([FromKeyedServices(NodeGrainDirectory.Name)] IGrainDirectory directory) : IGrainDirectoryResolver
{
    public bool TryResolveGrainDirectory(GrainType grainType, GrainProperties? properties, [NotNullWhen(true)] out IGrainDirectory? grainDirectory)
    {
        grainDirectory = properties is not null
            && properties.Properties.TryGetValue(WellKnownGrainTypeProperties.PlacementStrategy, out var strategy)
            && strategy == nameof(NodePlacement)
            ? directory
            : null;
        return grainDirectory is not null;
    }
}
