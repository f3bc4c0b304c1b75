using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace PciPassthrough.Server.Tests.Dashboard;

/// <summary>
/// Debian's chromium, headless, driven by chromedriver against one controller's dashboard, with what the browser
/// tests do on a page: open a path, read an element's text, wait for one, and save a screenshot to
/// <c>artifacts/screenshots/</c> and to the test's attachments. Needs <c>chromium</c> and <c>chromium-driver</c>
/// (installed by <c>.ci/run</c>).
/// </summary>
public sealed class DashboardBrowser : IDisposable
{
    private const string Chromium = "/usr/bin/chromium", ChromeDriverPath = "/usr/bin/chromedriver";

    private readonly Uri _baseAddress;
    private readonly string _screenshotPrefix;

    public DashboardBrowser(Uri baseAddress, string screenshotPrefix)
    {
        (_baseAddress, _screenshotPrefix) = (baseAddress, screenshotPrefix);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000");
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(60);
    }

    public ChromeDriver Driver { get; }

    /// <summary>Skips the test, saying what to install, when the browser or its driver is missing.</summary>
    public static void SkipUnlessInstalled() =>
        Assert.SkipWhen(!File.Exists(Chromium) || !File.Exists(ChromeDriverPath),
            $"browser tests need {Chromium} and {ChromeDriverPath}: apt-get install chromium chromium-driver (.ci/run does)");

    public void Open(string path) => Driver.Navigate().GoToUrl(new Uri(_baseAddress, path));

    public string Text(string id) => Driver.FindElement(By.Id(id)).Text;

    /// <summary>The text of each row of the table <paramref name="id"/> after its header row.</summary>
    public List<string> Rows(string id) => [.. Driver.FindElements(By.CssSelector($"#{id} tr")).Skip(1).Select(r => r.Text)];

    public void WaitFor(string id) =>
        new WebDriverWait(Driver, TimeSpan.FromSeconds(30)).Until(b => b.FindElements(By.Id(id)).Count > 0);

    /// <summary>From the fleet page, as a person would: follows the navigation link <paramref name="nav"/>, picks
    /// <paramref name="flavor"/> in the flavor form, submits it and waits for the element <paramref name="answer"/>.</summary>
    public void AskAbout(string nav, string flavor, string answer)
    {
        Open("/");
        Driver.FindElement(By.Id(nav)).Click();
        WaitFor("flavor-form");
        Driver.FindElement(By.CssSelector($"#flavor option[value='{flavor}']")).Click();
        Driver.FindElement(By.Id("submit")).Click();
        WaitFor(answer);
    }

    public void Screenshot(string step)
    {
        var png = Driver.GetScreenshot().AsByteArray;
        var name = $"{_screenshotPrefix}-{step}.png";
        TestContext.Current.AddAttachment(name, png, "image/png");
        var directory = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, name), png);
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PciPassthrough.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? AppContext.BaseDirectory;
    }
}
