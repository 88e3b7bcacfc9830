namespace Evok.Orleans.IntegrationTests.Api;

/// <summary>The API test classes share one silo (and run one after another); each uses its own circuits.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiSite>
{
    public const string Name = "api";
}
