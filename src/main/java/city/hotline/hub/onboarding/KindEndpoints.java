package city.hotline.hub.onboarding;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.util.URISupport;

/**
 * The {@code kamelet:} endpoint URI of a binding: its kind's Kamelet, the Kamelet's own route id, and every
 * property but the secrets (an endpoint URI shows in logs, JMX and route dumps; secrets reach the Kamelet as
 * Camel properties instead, see ChannelRoutes). Used for file channels and for the built-in ones.
 */
public final class KindEndpoints {

    private KindEndpoints() {
    }

    public static String uri(ChannelBinding binding, String kameletRouteId) {
        ConnectorKinds.Kind kind = ConnectorKinds.find(binding.kind())
                .orElseThrow(() -> new IllegalArgumentException("unknown kind " + binding.kind()));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("channel", binding.name());
        binding.properties().forEach((k, v) -> {
            if (!binding.secrets().contains(k) && !"channel".equals(k) && v != null && !v.isEmpty()) {
                params.put(k, "RAW(" + v + ")");
            }
        });
        try {
            return "kamelet:" + kind.kamelet() + "/" + kameletRouteId + "?" + URISupport.createQueryString(params, false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
