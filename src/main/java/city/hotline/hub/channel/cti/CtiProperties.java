package city.hotline.hub.channel.cti;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code hub.channels.cti.*}, the phone channel (docs/cti.md); defaults live in application.yml.
 * The webhook secret and the path token are secrets: from configuration or the environment, never
 * logged, not in {@link #toString()}.
 *
 * @param vendor         tencent-ccc, yeastar or freeswitch: what the call centre is. The push endpoint
 *                       reads every documented vendor format (recognised by its shape), so a change of
 *                       vendor needs no change here; {@code freeswitch} also opens the event socket
 * @param webhookSecret  Standard Webhooks secret of signed pushes ({@code whsec_<base64>} or any text)
 * @param pathToken      secret token of {@code /channels/cti/events/{token}} for vendors that cannot sign; blank: closed
 * @param allowedSources source addresses a path-token push may come from (exact IPs); empty: any
 * @param orphanAfter    a CDR still without a work order after this long is reported (metric, health), not ticketed
 * @param orphanCheckInterval how often that is looked at
 */
@ConfigurationProperties("hub.channels.cti")
public record CtiProperties(boolean enabled, String vendor, String webhookSecret, String pathToken, List<String> allowedSources,
                            Duration orphanAfter, Duration orphanCheckInterval, Freeswitch freeswitch) {

    public CtiProperties {
        vendor = vendor == null || vendor.isBlank() ? "tencent-ccc" : vendor.trim();
        allowedSources = allowedSources == null ? List.of() : allowedSources.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        orphanAfter = orphanAfter == null ? Duration.ofHours(24) : orphanAfter;
        orphanCheckInterval = orphanCheckInterval == null ? Duration.ofMinutes(5) : orphanCheckInterval;
    }

    /**
     * FreeSWITCH mod_event_socket, when {@code vendor} is freeswitch.
     *
     * @param format plain (text/event-plain) or json (text/event-json)
     * @param reconnectInterval wait between attempts after a lost connection (camel-netty's reconnect)
     * @param maxBackoff longest wait between attempts while the first connection fails
     */
    public record Freeswitch(String host, Integer port, String password, String format, java.time.Duration reconnectInterval,
                             java.time.Duration maxBackoff) {
        @Override
        public String toString() {
            return "Freeswitch[host=" + host + ", port=" + port + ", format=" + format + ", password=***]";
        }
    }

    @Override
    public String toString() {
        return "CtiProperties[enabled=" + enabled + ", vendor=" + vendor + ", webhookSecret=***, pathToken=***, allowedSources="
                + allowedSources + ", orphanAfter=" + orphanAfter + "]";
    }
}
