package city.hotline.hub.console;

import java.io.IOException;
import java.security.Principal;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The operations endpoints ({@code management.endpoints.web.base-path}, default {@code /actuator}):
 * {@code health} (and its probes) answer anyone, but show only the status unless the caller sends
 * the {@code X-Api-Key} of a client with {@code ops: true}; every other endpoint (prometheus,
 * metrics, info, ...) needs such a key. A recognised ops caller gets the role {@value #ROLE}, which
 * {@code management.endpoint.health.show-details: when-authorized} with {@code roles: OPS} asks for.
 * There is no Spring Security in the hub; this one filter is all the access control the actuator needs.
 */
public class OpsAccessFilter extends OncePerRequestFilter {

    public static final String ROLE = "OPS";
    private final ApiClientRegistry clients;
    private final String basePath;

    public OpsAccessFilter(ApiClientRegistry clients, String basePath) {
        this.clients = clients;
        this.basePath = basePath == null || basePath.isBlank() ? "" : basePath.replaceAll("/+$", "");
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        return !(path.equals(basePath) || path.startsWith(basePath + "/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader("X-Api-Key");
        Optional<ApiClientRegistry.Client> client = clients.byKey(given);
        if (client.isPresent() && client.get().ops()) {
            chain.doFilter(new OpsRequest(request, client.get().name()), response);
            return;
        }
        String path = path(request).substring(basePath.length());
        if (path.equals("/health") || path.startsWith("/health/")) {
            // anonymous: status only (show-details when-authorized)
            chain.doFilter(request, response);
            return;
        }
        int status = client.isPresent() ? 403 : 401;
        response.setStatus(status);
        response.setContentType("application/json");
        response.getWriter().write("{\"status\":" + status + ",\"error\":\"" + (given == null
                ? "the operations endpoints need the X-Api-Key of a client with ops: true"
                : client.isPresent() ? "client '" + client.get().name() + "' has no ops: true"
                : "X-Api-Key is not a configured key") + "\"}");
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    /** The request of a recognised ops client: a principal and the role Spring Boot's health endpoint asks for. */
    private static final class OpsRequest extends HttpServletRequestWrapper {
        private final Principal principal;

        OpsRequest(HttpServletRequest request, String name) {
            super(request);
            this.principal = () -> name;
        }

        @Override
        public Principal getUserPrincipal() {
            return principal;
        }

        @Override
        public boolean isUserInRole(String role) {
            return ROLE.equals(role);
        }
    }
}
