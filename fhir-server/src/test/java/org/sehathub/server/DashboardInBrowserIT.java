package org.sehathub.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.sehathub.server.AnalyticsPopulation.Person;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The analysts' dashboard in a real browser (Debian's chromium, headless, through its
 * chromedriver), on the analytics tests' server and population ({@link AnalyticsPopulation}): an
 * analyst signs in on the server's sign-in page, drills from the provinces down to a district,
 * answers "how many women in Tharparkar were diagnosed with anaemia per month this year, by age
 * band" and "what share of consultations in the province were virtual" by clicking, downloads the
 * CSV, and switches to Urdu; every figure on screen equals the API's answer to the same question.
 * A patient's account is refused. Screenshots of each view go to {@code target/dashboard-screenshots}.
 */
@PostgresServerTest
@TestPropertySource(properties = "sehat.test.database=analytics")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardInBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

    @LocalServerPort
    int port;

    AnalyticsPopulation population;
    FhirTestClient analyst;
    Path downloads;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeAll
    void browser() throws IOException {
        assertThat(CHROMIUM)
                .as("the browser tests need Debian's chromium and chromium-driver (.ci/run installs them)")
                .exists();
        assertThat(CHROMEDRIVER).exists();
        population = AnalyticsPopulation.on(port);
        analyst = new FhirTestClient(port, TestClients.ANALYST);
        downloads = Files.createTempDirectory("sehat-dashboard-downloads");
        Files.createDirectories(SCREENSHOTS);
        browser = newBrowser();
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    /** Headless chromium with the flags this closed network needs (docs/analytics.md, "Dashboard"). */
    private WebDriver newBrowser() throws IOException {
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--window-size=1280,1100",
                        "--lang=en-GB",
                        "--user-data-dir="
                                + Files.createTempDirectory("sehat-chromium").toAbsolutePath());
        options.setExperimentalOption(
                "prefs",
                Map.of(
                        "download.default_directory",
                        downloads.toAbsolutePath().toString(),
                        "download.prompt_for_download",
                        false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private void signIn(WebDriver driver, String username) {
        driver.get(base() + "/dashboard");
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .withMessage(() -> "not at the sign-in page: " + driver.getCurrentUrl() + "\n" + driver.getPageSource())
                .until(d -> d.getCurrentUrl().contains("/login"));
        driver.findElement(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(TestClients.PATIENT_PASSWORD);
        driver.findElement(By.cssSelector("button[type=submit]")).click();
    }

    /** Waits until the page shows the answer to a query that has all these parameters. */
    private String answered(String... parameters) {
        // The page may be navigating (a token renewed through the authorization endpoint): a body
        // found just before it is replaced is stale, and the wait goes on.
        // A wait of its own: withMessage changes the wait it is called on.
        return new WebDriverWait(browser, Duration.ofSeconds(30))
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "no answer with " + List.of(parameters) + "; on screen: "
                        + browser.findElement(By.tagName("body")).getDomAttribute("data-answered") + ", status: "
                        + browser.findElement(By.id("status")).getText())
                .until(d -> {
                    String answered = d.findElement(By.tagName("body")).getDomAttribute("data-answered");
                    if (answered == null) {
                        return null;
                    }
                    for (String parameter : parameters) {
                        if (!answered.contains(parameter)) {
                            return null;
                        }
                    }
                    return answered;
                });
    }

    private void choose(String selectId, String value) {
        new Select(browser.findElement(By.id(selectId))).selectByValue(value);
    }

    private void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(
                shot.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The table on screen: one list of cell texts per row. */
    private List<List<String>> table() {
        List<List<String>> rows = new ArrayList<>();
        for (WebElement tr : browser.findElements(By.cssSelector("#table tbody tr"))) {
            rows.add(tr.findElements(By.tagName("td")).stream()
                    .map(WebElement::getText)
                    .toList());
        }
        return rows;
    }

    /** The API's answer to the query the page asked, with the analyst's own (backend) token. */
    private JsonNode api(String query) throws IOException {
        HttpResponse<byte[]> response = analyst.get(query);
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The API's rows as the table shows them: the columns named, then the count or "hidden". */
    private static List<List<String>> asShown(JsonNode answer, String... columns) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : answer.get("rows")) {
            List<String> cells = new ArrayList<>();
            for (String column : columns) {
                cells.add(row.get(column).asText().replace("in-person", "in person"));
            }
            cells.add(
                    row.path("suppressed").asBoolean()
                            ? "hidden"
                            : row.get("value").asText());
            rows.add(cells);
        }
        return rows;
    }

    @Test
    @Order(1)
    void anAnalystSignsInAndDrillsFromTheProvincesToADistrict() throws IOException {
        signIn(browser, TestClients.ANALYST_USER);
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
        String asked = answered("by=province", "code=D50-D64");
        assertThat(table()).containsExactlyInAnyOrderElementsOf(asShown(api(asked), "province"));
        screenshot("1-places-provinces");

        browser.findElement(By.cssSelector("#table tbody tr[data-province='" + population.province() + "']"))
                .click();
        asked = answered("by=district", "province=" + population.province());
        assertThat(table()).containsExactlyInAnyOrderElementsOf(asShown(api(asked), "district"));
        assertThat(table()).extracting(r -> r.get(0)).contains("Tharparkar", "Umerkot", "Sanghar");

        browser.findElement(By.cssSelector("#table tbody tr[data-district='Tharparkar']"))
                .click();
        answered("by=facility", "district=Tharparkar");
        assertThat(browser.findElement(By.id("trail")).getText())
                .contains("All provinces", population.province(), "Tharparkar", "Tehsils are not in the record yet");
        screenshot("2-places-district");
    }

    @Test
    @Order(2)
    void womenInTharparkarWithAnaemiaPerMonthThisYearByAgeBand() throws Exception {
        choose("f-sex", "female");
        answered("sex=female");
        choose("f-year", "2026");
        answered("year=2026");
        browser.findElement(By.cssSelector("#views button[data-view=time]")).click();
        answered("by=month");
        choose("split", "age_band");
        String asked =
                answered("by=month%2Cage_band", "district=Tharparkar", "sex=female", "year=2026", "code=D50-D64");

        JsonNode answer = api(asked);
        assertThat(table()).containsExactlyInAnyOrderElementsOf(asShown(answer, "month", "age_band"));
        assertThat(table()).as("some cells shown, small ones hidden").isNotEmpty();
        long women = population.people().stream()
                .filter(p -> p.sex().equals("female")
                        && p.district().equals("Tharparkar")
                        && p.anaemiaMonth() != null
                        && p.anaemiaMonth().startsWith("2026"))
                .count();
        assertThat(browser.findElement(By.id("headline")).getText()).isEqualTo("Total: " + women);
        screenshot("3-anaemia-women-tharparkar-by-month-and-age");

        browser.findElement(By.id("csv")).click();
        Path csv = downloads.resolve("people-with-condition.csv");
        wait.until(d -> Files.exists(csv) && csv.toFile().length() > 0);
        HttpResponse<byte[]> same = analyst.get(asked + "&format=csv");
        assertThat(Files.readString(csv, StandardCharsets.UTF_8))
                .isEqualTo(new String(same.body(), StandardCharsets.UTF_8))
                .startsWith("month,age_band,value,");
    }

    @Test
    @Order(3)
    void theShareOfConsultationsThatWereVirtual() throws IOException {
        choose("f-district", "");
        answered();
        choose("f-sex", "");
        answered();
        browser.findElement(By.cssSelector("#views button[data-view=virtual]")).click();
        String asked = answered("/encounters?", "by=district%2Cmode", "province=" + population.province());
        assertThat(asked).doesNotContain("sex=", "district=");
        assertThat(table().stream().map(r -> r.subList(0, 3)).toList())
                .containsExactlyInAnyOrderElementsOf(asShown(api(asked), "district", "mode"));
        long virtual = 0;
        long all = 0;
        for (Person person : population.people()) {
            virtual += person.virtualVisits().stream().filter(v -> v).count();
            all += person.virtualVisits().size() + person.antenatalVisits();
        }
        assertThat(browser.findElement(By.id("headline")).getText())
                .isEqualTo(String.format(
                        java.util.Locale.ROOT, "Virtual share: %.1f%% (%d / %d)", 100.0 * virtual / all, virtual, all));
        screenshot("4-virtual-share");
    }

    @Test
    @Order(4)
    void anExpiredTokenIsRenewedWithoutAskingAndTheQuestionKept() {
        ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("sessionStorage.removeItem('sehat.dashboard.token')");
        choose("f-sex", "female");
        // No token: to the authorization endpoint and back (still signed in there), then asked again.
        String asked = answered("/encounters?", "sex=female", "by=district%2Cmode");
        assertThat(browser.getCurrentUrl()).endsWith("/dashboard/#virtual");
        assertThat(new Select(browser.findElement(By.id("f-sex")))
                        .getFirstSelectedOption()
                        .getDomAttribute("value"))
                .isEqualTo("female");
        assertThat(asked).contains("province=" + population.province());
        choose("f-sex", "");
        answered();
    }

    @Test
    @Order(5)
    void measlesCoverageOfTheBirthCohortTwoYearsAgo() throws IOException {
        choose("indicator", "vaccine-coverage");
        String asked = answered(
                "/vaccine-coverage?",
                "antigen=measles",
                "dose=1",
                "cohort=" + (LocalDate.now().getYear() - 2));
        JsonNode answer = api(asked);
        assertHeadlineIsTheRatio("Coverage", answer, "coverage");
        List<String> columns = answerColumns(answer);
        List<List<String>> shown = table();
        assertThat(shown.stream().map(r -> r.subList(0, 3)).toList())
                .containsExactlyInAnyOrderElementsOf(asShown(answer, columns.get(columns.size() - 2), "status"));
        for (JsonNode row : answer.get("rows")) {
            if (row.has("coverage")) {
                String place = row.get(columns.get(columns.size() - 2)).asText();
                assertThat(shown)
                        .as("the coverage of %s", place)
                        .anyMatch(r -> r.get(0).equals(place)
                                && r.get(1).equals("vaccinated")
                                && r.get(4)
                                        .equals(String.format(
                                                java.util.Locale.ROOT,
                                                "%.1f%%",
                                                100 * row.get("coverage").asDouble())));
            }
        }

        // The same children's drop-out from the first measles dose to the second.
        choose("indicator", "vaccine-drop-out");
        answered("/vaccine-drop-out?");
        for (String[] dose : new String[][] {{"p-from", "measles:1"}, {"p-to", "measles:2"}}) {
            WebElement input = browser.findElement(By.id(dose[0]));
            input.clear();
            input.sendKeys(dose[1], Keys.TAB);
        }
        assertHeadlineIsTheRatio(
                "Drop-out rate",
                api(answered(
                        "/vaccine-drop-out?",
                        "from=measles%3A1",
                        "to=measles%3A2",
                        "cohort=" + (LocalDate.now().getYear() - 2))),
                "dropOutRate");

        // ANC4: the share of pregnancies with four antenatal visits, headlined as the API gives it.
        choose("indicator", "antenatal-care-four-visits");
        assertHeadlineIsTheRatio("Four or more visits", api(answered("/antenatal-care-four-visits?")), "anc4Share");

        choose("indicator", "encounters");
        answered("/encounters?");
    }

    /** The line above the chart gives the answer's proportion {@code ratio}, as the API gives it. */
    private void assertHeadlineIsTheRatio(String label, JsonNode answer, String ratio) {
        JsonNode slice = answer.get(ratio);
        assertThat(browser.findElement(By.id("headline")).getText())
                .isEqualTo(String.format(
                        java.util.Locale.ROOT,
                        "%s: %.1f%% (%d / %d)",
                        label,
                        100 * slice.get(ratio).asDouble(),
                        slice.get("value").asLong(),
                        slice.get("denominator").asLong()));
    }

    private static List<String> answerColumns(JsonNode answer) {
        List<String> columns = new ArrayList<>();
        answer.get("breakdown").forEach(c -> columns.add(c.asText()));
        return columns;
    }

    @Test
    @Order(6)
    void inUrduRightToLeft() throws IOException {
        browser.findElement(By.id("language")).click();
        wait.until(d -> "rtl".equals(d.findElement(By.tagName("html")).getDomAttribute("dir")));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("آبادی کی صحت");
        wait.until(d -> d.findElement(By.id("headline")).getText().startsWith("ورچوئل حصہ"));
        assertThat(browser.findElement(By.cssSelector("#views button[data-view=virtual]"))
                        .getText())
                .isEqualTo("ورچوئل حصہ");
        screenshot("5-urdu");
        browser.findElement(By.id("language")).click();
        wait.until(d -> "ltr".equals(d.findElement(By.tagName("html")).getDomAttribute("dir")));
    }

    @Test
    @Order(7)
    void aPatientsAccountIsRefused() throws IOException {
        WebDriver other = newBrowser();
        try {
            signIn(other, TestClients.PATIENT_USER);
            new WebDriverWait(other, Duration.ofSeconds(30))
                    .until(d ->
                            "refused".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
            assertThat(other.findElement(By.tagName("body")).getDomAttribute("data-error"))
                    .as("the token endpoint's answer")
                    .isEqualTo("access_denied");
            assertThat(other.findElement(By.id("status")).getText()).contains("it is for analysts");
            assertThat(other.findElements(By.cssSelector("#table tbody tr"))).isEmpty();
        } finally {
            other.quit();
        }
    }

    @Test
    @Order(8)
    void thePageIsServedWithAStrictContentSecurityPolicy() {
        HttpResponse<byte[]> page = new FhirTestClient(port, null, null).get("/dashboard/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("script-src 'self'", "frame-ancestors 'none'");
        assertThat(new FhirTestClient(port, null, null)
                        .get("/analytics/indicators")
                        .statusCode())
                .as("the page is public, its data is not")
                .isEqualTo(401);
        assertThat(LocalDate.now().getYear())
                .as("the questions are asked of 2026's data")
                .isGreaterThanOrEqualTo(2026);
    }
}
