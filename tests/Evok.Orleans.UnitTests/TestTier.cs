// Every test of this project is in the Unit tier (TestCategory); a class may add a tier of its own (Peers, Cluster).
[assembly: Xunit.AssemblyTrait("Category", Evok.Orleans.TestSupport.TestCategory.Unit)]
