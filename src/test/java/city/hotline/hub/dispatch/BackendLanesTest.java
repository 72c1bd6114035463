package city.hotline.hub.dispatch;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BackendLanesTest {

    private static BackendsProperties.Backend backend(String url, String mode, long responseTimeoutMillis) {
        return new BackendsProperties.Backend(url, mode, null, null, responseTimeoutMillis, null, null, null, null, null, null, null);
    }

    private static void configure(String name, BackendsProperties.Backend b) {
        new BackendLanes(new BackendsProperties(Map.of(name, b), null), Duration.ofSeconds(60));
    }

    @Test
    void aBackEndWithAnUnknownModeStopsStartUpNamingTheKey() {
        assertThatThrownBy(() -> configure("gas-company", backend("http://gas/api", "ftp", 30000)))
                .hasMessageContaining("hub.backends.gas-company.mode must be http or jms");
    }

    @Test
    void anHttpBackEndWithoutAUrlStopsStartUp() {
        assertThatThrownBy(() -> configure("gas-company", backend(null, "http", 30000)))
                .hasMessageContaining("hub.backends.gas-company.url is required");
    }

    @Test
    void aResponseTimeoutLongerThanTheLeaseStopsStartUp() {
        assertThatThrownBy(() -> configure("gas-company", backend("http://gas/api", "http", 120000)))
                .hasMessageContaining("hub.outbox.lease").hasMessageContaining("hub.backends.gas-company");
    }

    @Test
    void aBackEndNameThatCannotBeALaneIsRefused() {
        assertThatThrownBy(() -> configure("Gas_Company", backend("http://gas/api", "http", 30000)))
                .hasMessageContaining("hub.backends.Gas_Company");
    }
}
