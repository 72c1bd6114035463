package city.hotline.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import city.hotline.hub.HotlineHubApplication;
import city.hotline.hub.support.TestDataDirs;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Issue 8, point 10: with the opt-in management.server.port the same key rule guards the operations endpoints there. */
@SpringBootTest(classes = HotlineHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.server.port=0")
@AutoConfigureObservability
class ManagementPortTest {

    private static final String DATA_DIR = TestDataDirs.fresh("mgmt");
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("hub.data-dir", () -> DATA_DIR);
        r.add("hub.embedded-postgres.durable", () -> "false");
        r.add("hub.api.keys", () -> "mgmt-key");
        r.add("hub.backends.case-system.status-secret", () -> "mgmt-status-secret");
    }

    @Test
    void onASeparateManagementPortHealthShowsOnlyItsStatusAndTheRestNeedsAnOpsKey() throws Exception {
        assertThat(managementPort).isNotEqualTo(port);
        HttpResponse<String> health = get("/actuator/health", null);
        assertThat(health.body()).contains("\"status\"").doesNotContain("components");
        assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/prometheus", "mgmt-key").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health", "mgmt-key").body()).contains("components");
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + path)).GET();
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
