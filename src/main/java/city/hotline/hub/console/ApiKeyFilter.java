package city.hotline.hub.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.regex.Pattern;

import city.hotline.hub.ticket.HubProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every {@code /api/**} call needs an {@code X-Api-Key} from {@code hub.api.keys}, except the
 * status webhook, which proves itself with its HMAC signature instead.
 */
@Component
@org.springframework.core.annotation.Order(10)
public class ApiKeyFilter extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyFilter.class);
    private static final Pattern STATUS_WEBHOOK = Pattern.compile("^/api/v1/tickets/[^/]+/status/?$");
    public static final String LOCAL_DEV_KEY = "local-dev-key";
    private final List<byte[]> keys;

    public ApiKeyFilter(HubProperties props) {
        List<String> configured = props.api() == null || props.api().keys() == null ? List.of() : props.api().keys();
        this.keys = configured.stream().map(String::trim).filter(k -> !k.isEmpty())
                .map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
        if (configured.contains(LOCAL_DEV_KEY)) {
            LOG.warn("hub.api.keys contains the local development key; set HUB_API_KEYS before exposing the hub");
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith("/api/")) {
            return true;
        }
        return "POST".equals(request.getMethod()) && STATUS_WEBHOOK.matcher(path).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader("X-Api-Key");
        if (given != null && matches(given.getBytes(StandardCharsets.UTF_8))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(401);
        response.setContentType("application/json");
        response.getWriter().write(given == null
                ? "{\"status\":401,\"error\":\"missing X-Api-Key header\"}"
                : "{\"status\":401,\"error\":\"X-Api-Key is not one of hub.api.keys\"}");
    }

    private boolean matches(byte[] given) {
        boolean match = false;
        for (byte[] key : keys) {
            match |= MessageDigest.isEqual(key, given);
        }
        return match;
    }
}
