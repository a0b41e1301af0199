package io.quintet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.topics.TopicCatalogue;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.core.ConditionFactory;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web console (console module, issue #23) driven in headless Chromium (Debian's chromium and chromium-driver) by
 * Selenium, against a running local pipeline. With {@code -Dquintet.console.screenshots=DIR} it also saves a PNG of
 * every page there (docs/console/ holds the ones committed; docs/console.md says how to take them again).
 */
final class ConsoleInBrowser {
    static final String SCREENSHOTS = "quintet.console.screenshots";

    private ConsoleInBrowser() {}

    /** Where Chromium and its driver are, or why they cannot be used here. */
    record Browser(Path chromium, Path driver, String why) {
        boolean available() {
            return why == null;
        }

        static Browser find() {
            Path chromium = firstExecutable("/usr/bin/chromium", "/usr/bin/chromium-browser");
            Path driver = firstExecutable("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
            if (chromium == null || driver == null) {
                return new Browser(
                        null,
                        null,
                        "the console's browser test needs Debian's chromium and chromium-driver "
                                + "(/usr/bin/chromium, /usr/bin/chromedriver): not installed here, and './quintet test' could not "
                                + "install them (apt-get install chromium chromium-driver needs root and Debian's package mirror)");
            }
            return new Browser(chromium, driver, null);
        }

        private static Path firstExecutable(String... candidates) {
            for (String c : candidates) {
                Path p = Path.of(c);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
            return null;
        }
    }

    static void check(LocalPipeline pipeline, DemoReport report, PipelineSummary summary, Browser browser, Path work)
            throws Exception {
        PipelineSettings settings = pipeline.settings();
        String console = settings.consoleUrl();
        Set<String> personal = new LinkedHashSet<>(report.personalData.values());
        String attacked = "console-e2e-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        personal.add(attacked);
        Map<String, String> seen = new LinkedHashMap<>(); // what the browser and the API showed, by where
        Path screenshots = System.getProperty(SCREENSHOTS) == null
                ? null
                : Path.of(System.getProperty(SCREENSHOTS)).toAbsolutePath();
        if (screenshots != null) {
            Files.createDirectories(screenshots);
        }
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        String pseudonym;
        WebDriver driver = driver(browser, profile);
        try {
            // without a session every page is the login form (401); the run's feed API key logs in
            driver.get(console + "/#live");
            assertThat(driver.getTitle()).isEqualTo("Quintet console: log in");
            driver.findElement(By.id("key")).sendKeys("qfk_not-a-key");
            driver.findElement(By.id("login-submit")).click();
            assertThat(driver.findElement(By.id("login-error")).getText()).contains("unknown API key");
            driver.findElement(By.id("key")).sendKeys(pipeline.feedsKey());
            driver.findElement(By.id("login-submit")).click();
            browserAwait("the console after logging in")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> driver.getTitle().equals("Quintet console"));
            browserAwait("the session's key")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> driver.findElement(By.id("session")).getText().contains("console:replay"));
            driver.get(console + "/#live");
            assertThat(driver.getTitle()).isEqualTo("Quintet console");
            assertThat(driver.findElement(By.cssSelector("#page-live")).isDisplayed())
                    .isTrue();

            // live view: an event sent through the gateway shows within 5 s of the gateway's acknowledgement
            GatewayClient gateway = new GatewayClient(settings.gatewayUrl(), pipeline.writeKey());
            CanonicalEvent first = DemoDay.failedLogin(java.time.Instant.now(), attacked, "console-e2e-0");
            GatewayClient.Answer sent = gateway.sendEvents(List.of(first));
            assertThat(sent.status() / 100).as(sent.body()).isEqualTo(2);
            By row = By.cssSelector("#live-table tr[data-id='" + first.id() + "']");
            browserAwait("the event in the live view")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> !driver.findElements(row).isEmpty());
            pseudonym = browserAwait("the row's actor")
                    .atMost(Duration.ofSeconds(5))
                    .until(
                            () -> driver.findElement(row)
                                    .findElements(By.tagName("td"))
                                    .get(3)
                                    .getText(),
                            p -> !p.isEmpty());
            assertThat(pseudonym).startsWith("ps_");
            browserAwait("a click on the event").atMost(Duration.ofSeconds(5)).until(() -> {
                driver.findElement(row).click();
                return true;
            });
            browserAwait("the expanded event")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> driver.findElement(By.cssSelector("#live-table pre.canonical"))
                                    .getText()
                                    .contains(first.id())
                            && driver.findElement(By.cssSelector("#live-table pre.headers"))
                                    .getText()
                                    .contains("\"ce_type\": \"auth.user.login_failed\""));
            seen.put("page #live", driver.getPageSource());
            screenshot(driver, screenshots, "1-live-events");
            driver.findElement(By.id("live-action")).sendKeys("billing.*");
            driver.findElement(By.cssSelector("#live-filter button[type=submit]"))
                    .click();
            browserAwait("the live filter")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> driver.findElements(row).isEmpty());

            // dead letters: a garbage record straight to events.raw shows up with its source offset
            RecordMetadata garbage = sendGarbage(pipeline.bootstrap());
            String where = garbage.topic() + "-" + garbage.partition() + "@" + garbage.offset();
            driver.get(console + "/#dead-letters");
            browserAwait("the garbage record under dead letters")
                    .atMost(Duration.ofSeconds(15))
                    .until(() ->
                            driver.findElement(By.id("dlq-table")).getText().contains(where));
            assertThat(driver.findElement(By.id("dlq-reasons")).getText()).contains("unparseable");
            // select it and replay it: the console's answer names how many went where (it is refused again: garbage)
            By garbageBox = By.xpath("//table[@id='dlq-table']//tr[td[contains(., '" + where + "')]]//input");
            browserAwait("a click on the garbage's checkbox")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> {
                        driver.findElement(garbageBox).click();
                        return driver.findElement(garbageBox).isSelected();
                    });
            driver.findElement(By.id("dlq-replay")).click();
            String rawTopic = TopicCatalogue.defaults().name(TopicCatalogue.EVENTS_RAW);
            browserAwait("the replay's result")
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> driver.findElement(By.id("dlq-replay-result"))
                            .getText()
                            .startsWith("1 re-published to " + rawTopic + ", 0 skipped"));
            assertThat(driver.findElement(By.id("dlq-replay-result")).getText())
                    .contains("replayed (sent to " + rawTopic + "-");
            seen.put("page #dead-letters", driver.getPageSource());
            screenshot(driver, screenshots, "2-dead-letters");

            // alerts: a burst of failed logins of one person fires brute-force-login for that person's pseudonym
            List<CanonicalEvent> burst = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                burst.add(DemoDay.failedLogin(first.eventTimestamp(), attacked, "console-e2e-" + i));
            }
            assertThat(gateway.sendEvents(burst).status() / 100).isEqualTo(2);
            driver.get(console + "/#alerts");
            String attackedPseudonym = pseudonym;
            browserAwait("the burst's alert")
                    .atMost(Duration.ofSeconds(30))
                    .until(() ->
                            driver
                                    .findElements(By.cssSelector("#alerts-active tr[data-rule='brute-force-login']"))
                                    .stream()
                                    .anyMatch(r -> r.getText().contains(attackedPseudonym)));
            assertThat(attackedPseudonym).isNotBlank();
            assertThat(driver.findElement(By.id("alerts-active")).getText()).contains("SELECT");
            seen.put("page #alerts", driver.getPageSource());
            screenshot(driver, screenshots, "4-alerts");

            driver.get(console + "/#metrics");
            browserAwait("metric charts")
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> !driver.findElements(By.cssSelector("#metrics-table tbody tr"))
                                    .isEmpty()
                            && !driver.findElements(By.cssSelector("#metrics-chart .uplot"))
                                    .isEmpty());
            seen.put("page #metrics", driver.getPageSource());
            screenshot(driver, screenshots, "3-metrics");

            driver.get(console + "/#feeds");
            driver.findElement(By.id("feeds-reader")).sendKeys(summary.feedReader);
            driver.findElement(By.cssSelector("#feeds-form button")).click();
            browserAwait("the post owner's feeds")
                    .atMost(Duration.ofSeconds(15))
                    .until(() ->
                            driver.findElement(By.id("feeds-counts")).getText().contains("unseen:")
                                    && !driver.findElements(By.cssSelector("#feed-notifications li"))
                                            .isEmpty());
            seen.put("page #feeds", driver.getPageSource());
            screenshot(driver, screenshots, "5-feeds");

            driver.get(console + "/#pipeline");
            browserAwait("the audit verifier's verdict")
                    .atMost(Duration.ofSeconds(60))
                    .until(
                            () -> driver.findElement(By.id("audit-verdict")).getText(),
                            v -> Set.of("INTACT", "BROKEN", "ERROR").contains(v));
            assertThat(driver.findElement(By.id("audit-verdict")).getText())
                    .as(driver.findElement(By.id("audit-summary")).getText())
                    .isEqualTo("INTACT");
            assertThat(driver.findElement(By.id("audit-summary")).getText()).contains("events in", "verified");
            browserAwait("every service up, every group's lag")
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> driver.findElements(By.cssSelector("#pipeline-services td.up"))
                                            .size()
                                    == 4
                            && driver.findElements(By.cssSelector("#pipeline-groups tr[data-group]"))
                                            .size()
                                    == 3);
            seen.put("page #pipeline", driver.getPageSource());
            screenshot(driver, screenshots, "6-pipeline");
        } finally {
            driver.quit();
        }

        // no console page or API answer holds a raw personal value this run sent
        HttpClient http = HttpClient.newHttpClient();
        List<String> paths = new ArrayList<>(List.of(
                "/api/events?limit=1000",
                "/api/dead-letters?limit=1000",
                "/api/alerts?limit=1000",
                "/api/pipeline",
                "/api/audit",
                "/api/session",
                "/",
                "/app.js"));
        for (String w : List.of("1m", "1h")) {
            for (String d : List.of("action", "domain", "source")) {
                paths.add("/api/metrics?window=" + w + "&dimension=" + d);
            }
        }
        for (String kind : List.of("flat", "aggregated", "notifications")) {
            paths.add("/api/feeds/" + kind + "/" + URLEncoder.encode(summary.feedReader, StandardCharsets.UTF_8));
        }
        for (String path : paths) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(console + path))
                            .header("Authorization", "Bearer " + pipeline.feedsKey())
                            .timeout(Duration.ofSeconds(20))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            seen.put("GET " + path, r.body());
        }
        assertThat(seen.get("GET /api/events?limit=1000")).contains(pseudonym);
        assertThat(personal).contains(attacked).hasSizeGreaterThan(50);
        SecretMatcher matcher = new SecretMatcher(personal);
        Map<String, List<String>> found = new LinkedHashMap<>();
        seen.forEach((where, text) -> {
            List<String> hits = matcher.find(text);
            if (!hits.isEmpty()) {
                found.put(where, hits);
            }
        });
        assertThat(found)
                .as("raw personal values in the console's pages and API answers")
                .isEmpty();
    }

    /** A wait on the page: the pages re-render their tables every second or so, so a stale element just means "again". */
    private static ConditionFactory browserAwait(String what) {
        return await(what)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(StaleElementReferenceException.class);
    }

    private static WebDriver driver(Browser browser, Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.chromium().toFile());
        // the flags Chromium needs on the build machines (no GPU, no sandbox as root, a closed network)
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(browser.driver().toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    private static RecordMetadata sendGarbage(String bootstrap) throws Exception {
        Map<String, Object> props =
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(
                            TopicCatalogue.defaults().name(TopicCatalogue.EVENTS_RAW),
                            "console-e2e-garbage".getBytes(StandardCharsets.UTF_8),
                            "console e2e: this is not an event".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static void screenshot(WebDriver driver, Path dir, String name) throws Exception {
        if (dir == null) {
            return;
        }
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }
}
