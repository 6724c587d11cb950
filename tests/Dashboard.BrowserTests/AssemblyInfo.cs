[assembly: AssemblyFixture(typeof(Dashboard.BrowserTests.BrowserSystem))]
