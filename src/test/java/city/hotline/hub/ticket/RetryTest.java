package city.hotline.hub.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryTest {

    @Test
    void theDelayGrowsExponentiallyUpToTheMaximum() {
        HubProperties.Retry retry = new HubProperties.Retry(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(30), Duration.ofHours(24), null);
        assertThat(retry.delayAfter(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(retry.delayAfter(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(retry.delayAfter(4)).isEqualTo(Duration.ofSeconds(16));
        assertThat(retry.delayAfter(5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(retry.delayAfter(500)).isEqualTo(Duration.ofSeconds(30));
    }
}
