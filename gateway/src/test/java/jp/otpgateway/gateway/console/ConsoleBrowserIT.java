package jp.otpgateway.gateway.console;

import static jp.otpgateway.gateway.support.IntegrationTest.IOTA;
import static jp.otpgateway.gateway.support.IntegrationTest.IOTA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.IOTA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;

/**
 * The branch console in a real browser: headless Chromium driven through Debian's chromium-driver
 * (Selenium), against the real gateway, PostgreSQL and Redis. Each screen's main flow as a clerk
 * does it, the attacks a console must stand (a script in a user's name, a form on another site),
 * and every field labelled. Screenshots of the main screens go to target/console-screenshots
 * (the README's come from there).
 *
 * <p>Skipped, saying which packages to install, where Chromium or its driver is missing;
 * deploy/test.sh installs both where it can (CI does).
 */
@IntegrationTest
class ConsoleBrowserIT extends TwoTenantsTest {

    static final String CLERK = "clerk-0202";
    static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    static final Path DOWNLOADS = Path.of("target/console-downloads").toAbsolutePath();

    static WebDriver browser;

    @LocalServerPort
    int port;

    OtpApi iota;

    static String executable(String env, String... candidates) {
        String given = System.getenv(env);
        if (given != null && new File(given).canExecute()) {
            return given;
        }
        for (String c : candidates) {
            if (new File(c).canExecute()) {
                return c;
            }
        }
        return null;
    }

    @BeforeAll
    static void startBrowser() throws IOException {
        String chromium = executable("OTP_CHROMIUM", "/usr/bin/chromium", "/usr/bin/chromium-browser");
        String driver = executable("OTP_CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        Assumptions.assumeTrue(chromium != null && driver != null,
                "the console's browser tests need Chromium and its driver: apt-get install chromium chromium-driver "
                        + "(Debian's packages; deploy/test.sh installs them where it runs as root)");
        Files.createDirectories(SCREENSHOTS);
        Files.createDirectories(DOWNLOADS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--lang=ja-JP", "--no-first-run", "--disable-extensions",
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows");
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", DOWNLOADS.toString());
        prefs.put("download.prompt_for_download", false);
        options.setExperimentalOption("prefs", prefs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver))
                .usingAnyFreePort().build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", DOWNLOADS.toString()));
        browser = chrome;
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(45));
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void signedOutWithIota() {
        iota = new OtpApi(http, IOTA, IOTA_PORTAL, IOTA_OPERATOR, clock);
        browser.manage().deleteAllCookies();
    }

    String base() {
        return "http://localhost:" + port;
    }

    /**
     * Opens a page. Headless Chromium on a loaded 2-core machine once stopped answering its driver for
     * one navigation ("Timed out receiving message from renderer", no request reached the gateway):
     * such a navigation is tried once more, and a page that does not load twice fails the test.
     */
    void open(String path) {
        try {
            browser.get(base() + path);
        } catch (org.openqa.selenium.TimeoutException stalled) {
            System.err.println("ConsoleBrowserIT: the browser stalled opening " + path + "; trying once more");
            browser.get(base() + path);
        }
    }

    /** The element; where it is missing, the failure names the page and what it says. */
    WebElement find(String css) {
        try {
            return browser.findElement(By.cssSelector(css));
        } catch (org.openqa.selenium.NoSuchElementException e) {
            String main = browser.findElements(By.tagName("main")).stream().map(WebElement::getText).findFirst().orElse("");
            throw new AssertionError("no " + css + " on " + browser.getCurrentUrl() + ": " + main, e);
        }
    }

    /** Clicks what leads to another page and waits until that page has replaced this one. */
    void go(String css) {
        WebElement page = browser.findElement(By.tagName("html"));
        find(css).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.stalenessOf(page));
    }

    String text(String css) {
        return find(css).getText();
    }

    void type(String css, String value) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(value);
    }

    void screenshot(String name) throws IOException {
        byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name + ".png"), png);
    }

    void signIn() {
        open("/console/signin");
        type("#tenantId", IOTA);
        type("#staffId", CLERK);
        type("#operatorKey", IOTA_OPERATOR);
        go("#signin");
        assertThat(text("#staff")).isEqualTo(CLERK);
    }

    void findUser(String login) {
        open("/console/");
        type("#loginId", login);
        go("#find-user");
        assertThat(text("#login")).isEqualTo(login);
    }

    String lockedUser() {
        String login = iota.activeUser();
        for (int i = 0; i < 5; i++) {
            iota.verify(login, iota.wrongCode());
        }
        return login;
    }

    String apiStatus(String login) {
        return (String) http.get().uri("/v1/tenants/{t}/users/{l}/otp", IOTA, login).headers(h -> h.setBearerAuth(IOTA_PORTAL))
                .exchange().expectBody(Map.class).returnResult().getResponseBody().get("status");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> operatorView(String login) {
        return http.get().uri("/v1/tenants/{t}/operator/users/{l}", IOTA, login).headers(h -> h.setBearerAuth(IOTA_OPERATOR))
                .exchange().expectBody(Map.class).returnResult().getResponseBody();
    }

    @Test
    void aClerkSignsInFindsALockedUserUnlocksThemAndFindsItInTheAudit() throws IOException {
        String login = lockedUser();
        open("/console/signin");
        screenshot("01-signin");
        signIn();
        findUser(login);
        assertThat(text("#locked")).startsWith("ロック中");
        screenshot("02-user");

        go("#action-unlock");
        assertThat(text("h1")).isEqualTo("ロック解除の確認");
        screenshot("03-confirm-unlock");
        go("#confirm");
        assertThat(text("#done")).contains("ロック解除");
        assertThat(text("#locked")).startsWith("なし");
        assertThat(apiStatus(login)).isEqualTo("ACTIVE");

        open("/console/audit");
        type("#f-login", login);
        go("#search");
        List<WebElement> rows = browser.findElements(By.cssSelector("#events tbody tr"));
        assertThat(rows).isNotEmpty();
        assertThat(rows.get(0).getText()).contains(CLERK).contains(login);
        screenshot("04-audit");
    }

    @Test
    void aLostKeyFobIsReportedReissuedAndShippedWithTheSerialChecked() throws IOException {
        String contract = OtpApi.newContract();
        String holder = iota.user(contract, "MASTER");
        String sharer = iota.user(contract, "GENERAL");
        String serial = iota.token();
        iota.activated(holder, serial);
        clock.advance(Duration.ofSeconds(60));
        iota.activated(sharer, serial);
        clock.advance(Duration.ofSeconds(60));
        String inStock = iota.token();
        signIn();
        findUser(holder);
        assertThat(browser.findElements(By.cssSelector(".sharer"))).extracting(WebElement::getText).containsExactly(sharer);

        go("#action-suspension");
        find("#reason-lost").click();
        go("#confirm");
        assertThat(text("#done")).contains("紛失・破損の届出");
        assertThat(operatorView(holder).get("status")).isEqualTo("SUSPENDED");
        assertThat(operatorView(sharer).get("status")).as("every holder").isEqualTo("SUSPENDED");

        go("#action-reissue");
        go("#confirm");
        assertThat(text("#pending")).contains("再発行").contains("発送待ち");

        open("/console/shipments");
        screenshot("05-shipments");
        Number shipmentId = (Number) ((Map<?, ?>) operatorView(holder).get("pending")).get("shipmentId");
        // the serial's check: the lost token itself is not in stock, so it cannot be shipped
        type("#serial-" + shipmentId, serial);
        go("#check-" + shipmentId);
        assertThat(text("#error")).contains("在庫にありません");
        assertThat(browser.findElements(By.id("confirm"))).isEmpty();

        open("/console/shipments");
        // typed as clerks do: full-width digits with a hyphen
        type("#serial-" + shipmentId, toFullWidth(inStock.substring(0, 4)) + "-" + inStock.substring(4));
        go("#check-" + shipmentId);
        assertThat(text("#serial")).isEqualTo(inStock);
        assertThat(text("#state")).isEqualTo("在庫");
        screenshot("06-ship");
        go("#confirm");
        assertThat(text("#done")).contains(shipmentId.toString());
        Map<?, ?> pending = (Map<?, ?>) operatorView(holder).get("pending");
        assertThat(pending.get("status")).isEqualTo("SHIPPED");
        assertThat(pending.get("serial")).isEqualTo(inStock);
    }

    static String toFullWidth(String digits) {
        StringBuilder b = new StringBuilder();
        digits.chars().forEach(c -> b.append((char) (c - '0' + '０')));
        return b.toString();
    }

    @Test
    void theBillingMonthAndTheAuditAreDownloadedAsCsv() throws Exception {
        String contract = OtpApi.newContract();
        for (int i = 0; i < 2; i++) {
            iota.activated(iota.user(contract, "GENERAL"), iota.token());
        }
        clock.advance(Duration.ofSeconds(60));
        signIn();
        open("/console/billing");
        assertThat(text("#billing-status")).contains("集計中");
        assertThat(browser.findElements(By.cssSelector("#contracts tbody tr"))).extracting(WebElement::getText)
                .anySatisfy(row -> assertThat(row).contains(contract));
        screenshot("07-billing");

        Path billing = download("#billing-csv", "billing-");
        List<String> lines = Files.readAllLines(billing, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).contains("month").contains("contract_id").contains("amount_yen");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(contract));

        open("/console/audit?contractId=" + contract);
        Path audit = download("#audit-csv-excel", "audit");
        String sjis = Files.readString(audit, Charset.forName("windows-31j"));
        assertThat(sjis).contains("operation_label").contains("利用開始登録");
    }

    Path download(String link, String prefix) throws Exception {
        try (var old = Files.list(DOWNLOADS)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        find(link).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(b -> {
            try (var files = Files.list(DOWNLOADS)) {
                return files.anyMatch(p -> p.getFileName().toString().startsWith(prefix)
                        && p.getFileName().toString().endsWith(".csv"));
            } catch (IOException e) {
                return false;
            }
        });
        try (var files = Files.list(DOWNLOADS)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".csv")).findFirst().orElseThrow();
        }
    }

    @Test
    void aScriptInAUsersNameStaysText() {
        String login = "u-" + UUID.randomUUID().toString().substring(0, 13);
        String name = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        http.put().uri("/v1/tenants/{t}/users/{l}", IOTA, login).headers(h -> h.setBearerAuth(IOTA_PORTAL))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("contractId", OtpApi.newContract(), "name", name, "role", "GENERAL"))
                .exchange().expectStatus().isCreated();
        signIn();
        findUser(login);
        assertThat(text("#name")).isEqualTo(name);
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(browser.findElements(By.cssSelector("main img"))).isEmpty();
    }

    @Test
    void aFormOnAnotherSiteCannotActForASignedInClerk() throws IOException {
        String login = lockedUser();
        signIn();
        // the attacker's page: another origin, submitting a form to the console as soon as it loads
        String attack = "<!DOCTYPE html><html><body><form id=f method=post action=\"" + base()
                + "/console/users/" + login + "/actions/unlock\"><input name=idem value=\"" + UUID.randomUUID()
                + "\"><input name=_csrf value=guess></form><script>document.getElementById('f').submit()</script>"
                + "</body></html>";
        HttpServer evil = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        evil.createContext("/", exchange -> {
            byte[] page = attack.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        evil.start();
        try {
            browser.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
            new WebDriverWait(browser, Duration.ofSeconds(10))
                    .until(b -> b.getCurrentUrl().startsWith(base()));
            assertThat(browser.getPageSource()).contains("受け付けられませんでした");
        } finally {
            evil.stop(0);
        }
        assertThat(apiStatus(login)).isEqualTo("LOCKED");
        // the clerk's own session still works, and the console's own form acts
        findUser(login);
        go("#action-unlock");
        go("#confirm");
        assertThat(apiStatus(login)).isEqualTo("ACTIVE");
    }

    @Test
    void everyFieldOfEveryScreenHasALabel() {
        String login = iota.activeUser();
        signIn();
        for (String page : List.of("/console/", "/console/users?loginId=" + login,
                "/console/users/" + login + "/actions/resync", "/console/users/" + login + "/actions/suspension",
                "/console/shipments", "/console/token-lists?state=IN_STOCK", "/console/expiring", "/console/audit",
                "/console/billing")) {
            open(page);
            for (WebElement input : browser.findElements(By.cssSelector("input:not([type=hidden]), select, textarea"))) {
                String id = input.getAttribute("id");
                assertThat(id).as("an input on %s without an id", page).isNotBlank();
                assertThat(browser.findElements(By.cssSelector("label[for='" + id + "']")))
                        .as("the label of #%s on %s", id, page).isNotEmpty();
            }
        }
        browser.manage().deleteAllCookies();
        open("/console/signin");
        for (WebElement input : browser.findElements(By.cssSelector("input:not([type=hidden])"))) {
            assertThat(browser.findElements(By.cssSelector("label[for='" + input.getAttribute("id") + "']"))).isNotEmpty();
        }
    }
}
