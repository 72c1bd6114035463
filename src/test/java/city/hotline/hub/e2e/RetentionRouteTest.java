package city.hotline.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import city.hotline.hub.store.RetentionPurge;
import city.hotline.hub.support.HubIntegrationTest;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.scheduler.SchedulerEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The purge is wired in the running hub: its route runs every hub.retention.interval and its counts reach Prometheus. */
class RetentionRouteTest extends HubIntegrationTest {

    @Autowired
    CamelContext camel;
    @Autowired
    RetentionPurge purge;

    @Test
    void theRetentionPurgeRouteRunsHourlyByDefaultAndItsCountsArePublished() {
        assertThat(camel.getRouteController().getRouteStatus("retention-purge")).isEqualTo(ServiceStatus.Started);
        SchedulerEndpoint from = (SchedulerEndpoint) camel.getRoute("retention-purge").getEndpoint();
        assertThat(from.getDelay()).isEqualTo(3_600_000L);

        purge.run();

        assertThat(get("/actuator/prometheus").body()).contains("hub_retention_purged_total{table=\"inbox\"}")
                .contains("hub_retention_purged_total{table=\"reply_delivery\"}");
    }
}
