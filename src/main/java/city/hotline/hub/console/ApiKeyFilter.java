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
    private final ApiClientRegistry clients;

    public ApiKeyFilter(HubProperties props, ApiClientRegistry clients) {
        List<String> configured = props.api() == null || props.api().keys() == null ? List.of() : props.api().keys();
        this.clients = clients;
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
        var client = clients.byKey(given);
        if (client.isPresent() && !client.get().admin() && request.getRequestURI().substring(request.getContextPath().length())
                .startsWith("/api/v1/quarantine")) {
            // quarantined items are any client's raw payloads
            response.setStatus(403);
            response.setContentType("application/json");
            response.getWriter().write("{\"status\":403,\"error\":\"the quarantine is for admin clients only\"}");
            return;
        }
        if (client.isPresent()) {
            request.setAttribute(ApiClientRegistry.ATTRIBUTE, client.get());
            chain.doFilter(new AuthenticatedClient(request, client.get().name()), response);
            return;
        }
        response.setStatus(401);
        response.setContentType("application/json");
        response.getWriter().write(given == null
                ? "{\"status\":401,\"error\":\"missing X-Api-Key header\"}"
                : "{\"status\":401,\"error\":\"X-Api-Key is not one of hub.api.keys nor a key of hub.api.clients\"}");
    }

    /**
     * The request with header {@code X-Hub-Api-Client} set to the authenticated client's name, so
     * Camel routes (which see headers, not request attributes) know it; a value the caller sent
     * under that name is dropped, so it cannot be forged.
     */
    static final class AuthenticatedClient extends jakarta.servlet.http.HttpServletRequestWrapper {
        static final String HEADER = "X-Hub-Api-Client";
        private final String name;

        AuthenticatedClient(HttpServletRequest request, String name) {
            super(request);
            this.name = name;
        }

        @Override
        public String getHeader(String header) {
            return HEADER.equalsIgnoreCase(header) ? name : super.getHeader(header);
        }

        @Override
        public java.util.Enumeration<String> getHeaders(String header) {
            return HEADER.equalsIgnoreCase(header) ? java.util.Collections.enumeration(List.of(name)) : super.getHeaders(header);
        }

        @Override
        public java.util.Enumeration<String> getHeaderNames() {
            List<String> names = new java.util.ArrayList<>();
            for (var e = super.getHeaderNames(); e.hasMoreElements(); ) {
                String n = e.nextElement();
                if (!HEADER.equalsIgnoreCase(n)) {
                    names.add(n);
                }
            }
            names.add(HEADER);
            return java.util.Collections.enumeration(names);
        }
    }
}
