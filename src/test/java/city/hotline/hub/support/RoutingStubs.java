package city.hotline.hub.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Two more back-ends for the routing tests (issue 12), as WireMock: a gas company and the street
 * office of 洋湖街道, and the test dispatch rules copied to a file: location so a test can change it
 * and watch the hub reload (or refuse) it.
 */
public final class RoutingStubs {

    public static final WireMockServer GAS = new WireMockServer(options().dynamicPort());
    public static final WireMockServer STREET = new WireMockServer(options().dynamicPort());
    public static final Path RULES;
    /** The gas company signs its status reports with its own secret. */
    public static final String GAS_STATUS_SECRET = "gas-company-status-secret";

    static {
        GAS.start();
        STREET.start();
        CaseSystemStub.acceptEverything(GAS);
        CaseSystemStub.acceptEverything(STREET);
        try (InputStream in = RoutingStubs.class.getResourceAsStream("/routing/dispatch-rules.yaml")) {
            RULES = Files.createTempDirectory("hub-rules").resolve("dispatch-rules.yaml");
            Files.copy(in, RULES, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RoutingStubs() {
    }

    public static void register(DynamicPropertyRegistry registry) {
        registry.add("hub.backends.gas-company.url", () -> GAS.baseUrl() + "/api");
        registry.add("hub.backends.gas-company.concurrency", () -> "4");
        registry.add("hub.backends.gas-company.bearer-token", () -> "gas-test-token");
        registry.add("hub.backends.gas-company.status-secret", () -> GAS_STATUS_SECRET);
        registry.add("hub.backends.gas-company.retry.initial-delay", () -> "200ms");
        registry.add("hub.backends.gas-company.retry.max-delay", () -> "1s");
        registry.add("hub.backends.street-yuelu.url", () -> STREET.baseUrl() + "/api");
        registry.add("hub.backends.street-yuelu.concurrency", () -> "4");
        registry.add("hub.backends.street-yuelu.retry.initial-delay", () -> "200ms");
        registry.add("hub.backends.street-yuelu.retry.max-delay", () -> "1s");
        // tests take back-ends down and up within seconds: an open breaker tries again after half a second
        for (String backend : java.util.List.of("case-system", "gas-company", "street-yuelu")) {
            registry.add("hub.backends." + backend + ".circuit-breaker.open-for", () -> "500ms");
        }
        registry.add("hub.dispatch.rules", () -> "file:" + RULES);
        registry.add("hub.dispatch.rules-check-interval", () -> "200ms");
        registry.add("hub.dispatch.ack-within", () -> "3s");
    }

    /** The test rules again, as shipped in src/test/resources/routing. */
    public static void restoreRules() {
        try (InputStream in = RoutingStubs.class.getResourceAsStream("/routing/dispatch-rules.yaml")) {
            Files.copy(in, RULES, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
