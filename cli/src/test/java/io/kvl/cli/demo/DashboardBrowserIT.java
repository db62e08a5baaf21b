package io.kvl.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvl.testing.Fixtures;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live dashboard in a real browser (Debian's headless chromium through its chromedriver)
 * against a running demo (a child JVM, as a user starts it): a tile per camera with labels, the
 * bottle camera's alert in the feed while its episode is open (and none on the car camera), a chart
 * with points, and a tile that moves on to a newer frame without a reload. Saves a screenshot.
 */
class DashboardBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String BOTTLE = "bottle-detection-1";
    private static final String CAR = "car-detection-1";

    @Test
    void dashboardShouldShowEveryCameraItsAlertAndLiveUpdates(@TempDir Path tmp) throws Exception {
        requireBrowser();
        int port = freePort();
        Path log = tmp.resolve("demo.log");
        Process demo =
                DemoProcess.start(
                        Files.createDirectories(tmp.resolve("tmp")),
                        log,
                        "--http-port",
                        Integer.toString(port),
                        "--report",
                        tmp.resolve("report").toString());
        WebDriver browser = null;
        try {
            awaitLine(log, "Dashboard: http://localhost:" + port + "/", demo);
            browser = browser();
            browser.get("http://localhost:" + port + "/");
            ((JavascriptExecutor) browser).executeScript("window.kvlNotReloaded = true;");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));

            assertATilePerCameraWithLabels(browser, wait);
            assertANewerFrameWithoutReload(browser, wait);
            assertTheBottleAlertOnlyOnTheBottleCamera(browser, wait);
            assertChartPointsAndThumbnail(browser, wait);
            Path shot = Path.of("target", "dashboard.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } finally {
            if (browser != null) {
                browser.quit();
            }
            demo.destroy(); // SIGTERM: the demo's shutdown hook stops and cleans up everything
            if (!demo.waitFor(60, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
        }
    }

    private static void assertATilePerCameraWithLabels(WebDriver browser, WebDriverWait wait) {
        // One tile per camera, each with its top labels.
        wait.until(
                b ->
                        b.findElements(By.cssSelector("article.tile")).size() == 2
                                && tile(b, BOTTLE).findElements(By.cssSelector(".labels li")).size()
                                        == 3
                                && tile(b, CAR).findElements(By.cssSelector(".labels li")).size()
                                        == 3);
        assertThat(browser.findElement(By.id("connection")).getText()).isEqualTo("live");
    }

    private static void assertANewerFrameWithoutReload(WebDriver browser, WebDriverWait wait) {
        // A newer frame replaces the tile's content without a reload.
        String firstFrame = tile(browser, BOTTLE).getAttribute("data-frame-index");
        wait.until(b -> !tile(b, BOTTLE).getAttribute("data-frame-index").equals(firstFrame));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.kvlNotReloaded"))
                .as("the page was not reloaded")
                .isEqualTo(true);
    }

    private static void assertTheBottleAlertOnlyOnTheBottleCamera(
            WebDriver browser, WebDriverWait wait) {
        // The bottle rule fires on the bottle camera, shown while its episode is open.
        wait.until(
                b ->
                        !b.findElements(
                                                By.cssSelector(
                                                        "li.alert[data-camera='"
                                                                + BOTTLE
                                                                + "'][data-rule='bottle-on-table']"))
                                        .isEmpty()
                                && tile(b, BOTTLE).getAttribute("class").contains("alerting"));
        assertThat(
                        browser.findElements(
                                By.cssSelector(
                                        "li.alert[data-camera='"
                                                + CAR
                                                + "'][data-rule='bottle-on-table']")))
                .as("bottle alerts on the car camera")
                .isEmpty();
    }

    private static void assertChartPointsAndThumbnail(WebDriver browser, WebDriverWait wait) {
        // The counts chart has points, with times on its axis.
        wait.until(
                b ->
                        !tile(b, BOTTLE)
                                .findElements(By.cssSelector("svg.chart circle.point"))
                                .isEmpty());
        List<WebElement> ticks =
                tile(browser, BOTTLE).findElements(By.cssSelector("svg.chart text.tick"));
        assertThat(ticks).isNotEmpty();
        assertThat(ticks.get(0).getText()).matches(".*\\d{1,2}:\\d{2}:\\d{2}.*");
        // The thumbnail loaded from the application's memory.
        wait.until(
                b ->
                        (Boolean)
                                ((JavascriptExecutor) b)
                                        .executeScript(
                                                "const i = arguments[0].querySelector('img');"
                                                        + " return i.complete && i.naturalWidth >"
                                                        + " 0;",
                                                tile(b, BOTTLE)));
    }

    private static WebElement tile(WebDriver b, String camera) {
        return b.findElement(By.cssSelector("article.tile[data-camera='" + camera + "']"));
    }

    private static void requireBrowser() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && Fixtures.inCi()) {
            throw new AssertionError(
                    "CI=true and Debian's chromium and chromium-driver are not installed"
                            + " (.ci/run installs them)");
        }
        Assumptions.assumeTrue(
                present, "skipped: needs Debian's chromium and chromium-driver (apt-get install)");
    }

    private static WebDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000");
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .usingAnyFreePort()
                        .build();
        return new ChromeDriver(service, options);
    }

    private static void awaitLine(Path log, String line, Process demo) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(line)) {
                return;
            }
            if (!demo.isAlive()) {
                throw new AssertionError("the demo ended: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + line + "' in " + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static {
        // Selenium must never look for (or download) a driver of its own: ours is Debian's.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        System.setProperty("SE_AVOID_STATS", "true");
        new File("target").mkdirs();
    }
}
