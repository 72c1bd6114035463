package city.hotline.hub.console.web;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser-like session of the console over plain HTTP: a cookie jar, the login form (username,
 * password, _csrf from the page), and forms posted with the page's CSRF token. Redirects are not
 * followed, so tests see where the console sends them.
 */
final class ConsoleSession {

    static final String ADMIN_PASSWORD = "test-admin-password";
    static final String OPERATOR_PASSWORD = "test-operator-password";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"_csrf\"");

    private final String base;
    private final HttpClient http;

    ConsoleSession(int port) {
        this.base = "http://localhost:" + port;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    static ConsoleSession admin(int port) {
        return new ConsoleSession(port).login("admin", ADMIN_PASSWORD);
    }

    static ConsoleSession operator(int port) {
        return new ConsoleSession(port).login("operator", OPERATOR_PASSWORD);
    }

    ConsoleSession login(String user, String password) {
        HttpResponse<String> r = tryLogin(user, password);
        if (r.statusCode() != 302 || !r.headers().firstValue("Location").orElse("").endsWith("/console")) {
            throw new AssertionError("login of " + user + " answered " + r.statusCode() + " " + r.headers().map());
        }
        return this;
    }

    HttpResponse<String> tryLogin(String user, String password) {
        String token = csrf(get("/login").body());
        return postForm("/login", Map.of("username", user, "password", password, "_csrf", token));
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    /** The page's body, which must answer 200. */
    String page(String path) {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + " " + r.headers().map() + ": " + r.body());
        }
        return r.body();
    }

    HttpResponse<byte[]> bytes(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError("GET " + path + " failed", e);
        }
    }

    /** Posts a form of the page at {@code pagePath} (its CSRF token) to {@code action}. */
    HttpResponse<String> submit(String pagePath, String action, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("_csrf", csrf(page(pagePath)));
        return postForm(action, all);
    }

    HttpResponse<String> postForm(String path, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no _csrf field in the page");
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("request failed: " + request, e);
        }
    }
}
