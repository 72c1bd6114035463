package city.hotline.hub.store.claim;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The claim component of this instance. Its owner id is {@code hub.cluster.node-id}; without one,
 * the host name plus the data directory, which stays the same across restarts of one installation
 * (so a restart recognises and releases its own old claims) and differs between installations.
 */
@Configuration(proxyBeanMethods = false)
public class ClaimConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimConfiguration.class);
    public static final List<String> WAKE_CHANNELS = List.of("hub_inbox", "hub_forward", "hub_reply", "hub_cti");

    @Bean
    Wakeups wakeups() {
        return new Wakeups();
    }

    @Bean
    PgWakeListener pgWakeListener(DataSource dataSource, Wakeups wakeups) {
        return new PgWakeListener(dataSource, wakeups, WAKE_CHANNELS);
    }

    @Bean("claim")
    ClaimComponent claimComponent(Wakeups wakeups,
                                  @Value("${hub.cluster.node-id:}") String nodeId,
                                  @Value("${hub.data-dir}") String dataDir,
                                  @Value("${hub.outbox.lease:60s}") Duration lease,
                                  @Value("${hub.outbox.poll-delay:1s}") Duration pollDelay,
                                  @Value("${hub.backends.case-system.connect-timeout-millis:5000}") long connectTimeout,
                                  @Value("${hub.backends.case-system.response-timeout-millis:30000}") long responseTimeout) {
        Duration longestCall = Duration.ofMillis(connectTimeout + responseTimeout);
        if (lease.compareTo(longestCall) <= 0) {
            throw new IllegalStateException("hub.outbox.lease (" + lease + ") must be longer than the case system's connect plus "
                    + "response timeout (" + longestCall + "), or a slow delivery could be claimed and sent a second time");
        }
        ClaimComponent component = new ClaimComponent();
        component.setOwner(nodeId.isBlank() ? defaultOwner(dataDir) : nodeId);
        component.setLease(lease);
        component.setPollDelay(pollDelay.toMillis());
        component.setWakeups(wakeups);
        LOG.info("Outbox claims of this instance are owned by '{}' with a lease of {}", component.getOwner(), lease);
        return component;
    }

    static String defaultOwner(String dataDir) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + ":" + Path.of(dataDir).toAbsolutePath().normalize();
    }
}
