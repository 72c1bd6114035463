package city.hotline.hub.onboarding;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hub.channels.dir}: the directory of file channels ({@code connectors/<name>-channel.yaml},
 * {@code mappings/<name>.jsonata}, {@code routes/<name>.yaml}); empty: none. It may be missing or empty:
 * the hub starts anyway and picks channels up when they appear. {@code hub.channels.scan-interval}:
 * how often it is looked at.
 */
@ConfigurationProperties(prefix = "hub.channels")
public record OnboardingProperties(String dir, @DefaultValue("2s") Duration scanInterval) {
}
