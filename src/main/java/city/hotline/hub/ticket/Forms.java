package city.hotline.hub.ticket;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** application/x-www-form-urlencoded (UTF-8) bodies and query strings for the channels' HTTP calls. */
public final class Forms {

    private Forms() {
    }

    /** Fields in map order; null values are left out. */
    public static String encode(Map<String, String> fields) {
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> {
            if (v == null) {
                return;
            }
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return b.toString();
    }
}
