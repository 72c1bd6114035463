package city.hotline.hub.onboarding;

import java.util.Map;
import java.util.Set;

/**
 * A channel's connector binding ({@code connectors/<name>-channel.yaml}): its kind (the Kamelet
 * {@code connectors/<kind>-source.kamelet.yaml}), the Kamelet's properties (placeholders resolved,
 * defaults filled in), which of them are secrets, its mapping file and its reply lane's concurrency.
 * {@link #toString()} never shows the secrets.
 */
public record ChannelBinding(String name, String kind, String mapping, Map<String, String> properties, Set<String> secrets,
                             int replyConcurrency, String file) {

    public String property(String key) {
        return properties.get(key);
    }

    public String property(String key, String fallback) {
        String v = properties.get(key);
        return v == null || v.isBlank() ? fallback : v;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("ChannelBinding[" + name + ", kind " + kind + ", mapping " + mapping + ",");
        properties.forEach((k, v) -> b.append(' ').append(k).append('=').append(secrets.contains(k) ? "****" : v));
        return b.append(']').toString();
    }
}
