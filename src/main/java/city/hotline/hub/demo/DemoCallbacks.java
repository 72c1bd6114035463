package city.hotline.hub.demo;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Plays the citizen's side of the web form: the demo's submissions name this as their
 * {@code callbackUrl}, so every status the hub relays lands here, is logged, and the last
 * {@code hub.demo.callbacks-kept} are listed by {@code GET /demo/callbacks} (oldest first).
 */
@RestController
@Profile("demo")
@RequestMapping(path = "/demo/callbacks", produces = "application/json")
public class DemoCallbacks {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCallbacks.class);

    private final int kept;
    private final Deque<Map<String, Object>> received = new ArrayDeque<>();

    public DemoCallbacks(DemoProperties props) {
        this.kept = Math.max(1, props.callbacksKept());
    }

    @PostMapping("/{externalId}")
    public Map<String, Object> receive(@PathVariable String externalId, @RequestBody String body) {
        JsonNode callback = Json.read(body);
        String ticketId = callback.path("ticketId").asText(null);
        MDC.put("ticketId", ticketId);
        try {
            LOG.info("Citizen callback for web form item {}: ticket {} is {}{}", externalId, ticketId,
                    callback.path("status").asText("?"),
                    callback.hasNonNull("reply") ? ", reply: " + DemoText.abbreviate(callback.get("reply").asText()) : "");
        } finally {
            MDC.remove("ticketId");
        }
        synchronized (received) {
            received.addLast(Map.of("externalId", externalId, "receivedAt", Instant.now().toString(), "callback", callback));
            while (received.size() > kept) {
                received.removeFirst();
            }
        }
        return Map.of("received", true);
    }

    @GetMapping
    public Map<String, Object> list() {
        synchronized (received) {
            return Map.of("items", List.copyOf(received));
        }
    }
}
