package city.hotline.hub.demo;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A stand-in for the city's case (work-order) system, so the demo runs with nothing else: it takes
 * the hub's {@code POST /tickets} (idempotent on {@code Idempotency-Key}) and then reports statuses
 * back through the hub's real, signed status API ({@link DemoStatusReporter}).
 */
@RestController
@Profile("demo")
@RequestMapping(path = "/demo/case-system", produces = "application/json")
public class DemoCaseSystem {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCaseSystem.class);

    private final DemoStatusReporter reporter;
    private final DemoBoardPosts posts;
    /** ticket id -> case number; what a real case system keeps to honour the idempotency key */
    private final Map<String, String> cases = new ConcurrentHashMap<>();

    public DemoCaseSystem(DemoStatusReporter reporter, DemoBoardPosts posts) {
        this.reporter = reporter;
        this.posts = posts;
    }

    @PostMapping("/tickets")
    public ResponseEntity<Map<String, Object>> receive(@RequestHeader(name = "Idempotency-Key", required = false) String key,
                                                       @RequestBody String body) {
        if (key == null || key.isBlank()) {
            return ResponseEntity.badRequest().body(Map.of("error", "Idempotency-Key header is required"));
        }
        JsonNode ticket;
        try {
            ticket = Json.read(body);
        } catch (IllegalArgumentException e) {
            // a 4xx makes the hub quarantine the ticket instead of retrying it forever
            return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
        }
        String caseNo = "DEMO-" + Integer.toHexString(key.hashCode() & 0xfffffff).toUpperCase();
        boolean isNew = cases.putIfAbsent(key, caseNo) == null;
        MDC.put("ticketId", key);
        try {
            String itemId = ticket.at("/origins/0/channelItemId").asText(null);
            if (isNew) {
                LOG.info("Stand-in case system: received ticket {} as case {} ('{}', {} item {}); statuses follow",
                        key, caseNo, ticket.path("title").asText(""), ticket.at("/origins/0/channel").asText("?"), itemId);
                String reply = posts.byExternalId(itemId).map(DemoBoardPosts.Post::reply).orElse(null);
                reporter.reportLater(key, reply);
            } else {
                LOG.info("Stand-in case system: ticket {} again (same Idempotency-Key); still case {}, nothing new", key, caseNo);
            }
        } finally {
            MDC.remove("ticketId");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("ticketId", key, "caseNo", caseNo, "duplicate", !isNew));
    }

    /** Ticket ids taken so far (each once, whatever the number of deliveries). */
    public Set<String> receivedTicketIds() {
        return Set.copyOf(cases.keySet());
    }
}
