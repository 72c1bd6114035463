package city.hotline.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;

import city.hotline.hub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** The demo's stand-ins exist only in the {@code demo} profile: a normal hub has no /demo/** endpoints. */
class DemoEndpointsOutsideDemoProfileTest extends HubIntegrationTest {

    @Autowired
    ApplicationContext context;

    @Test
    void aHubWithoutTheDemoProfileHasNoStandInCaseSystemCallbackReceiverOrFeeder() {
        assertThat(context.getBeanNamesForType(DemoCaseSystem.class)).isEmpty();
        assertThat(context.getBeanNamesForType(DemoCallbacks.class)).isEmpty();
        assertThat(context.getBeanNamesForType(DemoFeeder.class)).isEmpty();

        int caseSystem = send(HttpRequest.newBuilder(URI.create(url("/demo/case-system/tickets")))
                .header("Content-Type", "application/json").header("Idempotency-Key", "T-1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()).statusCode();
        int callbacks = send(HttpRequest.newBuilder(URI.create(url("/demo/callbacks"))).GET().build()).statusCode();

        assertThat(caseSystem).isEqualTo(404);
        assertThat(callbacks).isEqualTo(404);
    }
}
