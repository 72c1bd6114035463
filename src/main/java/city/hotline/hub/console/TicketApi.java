package city.hotline.hub.console;

import java.util.Map;

import city.hotline.hub.store.ReplyDeliveryStore;
import city.hotline.hub.store.TicketStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Read side for the case system and operators: tickets, their history and each origin's delivery state. */
@RestController
@RequestMapping(path = "/api/v1/tickets", produces = "application/json")
public class TicketApi {

    private final TicketStore tickets;
    private final ReplyDeliveryStore deliveries;

    public TicketApi(TicketStore tickets, ReplyDeliveryStore deliveries) {
        this.tickets = tickets;
        this.deliveries = deliveries;
    }

    @GetMapping("/{ticketId}")
    public ObjectNode ticket(@PathVariable String ticketId) {
        return tickets.find(ticketId).orElseThrow(() -> notFound(ticketId));
    }

    @GetMapping
    public Map<String, Object> search(@RequestParam(required = false) String channel,
                                      @RequestParam(required = false) String channelItemId,
                                      @RequestParam(defaultValue = "50") int limit) {
        return Map.of("items", tickets.search(channel, channelItemId, Math.max(1, Math.min(limit, 500))));
    }

    @GetMapping("/{ticketId}/deliveries")
    public Map<String, Object> deliveries(@PathVariable String ticketId) {
        tickets.find(ticketId).orElseThrow(() -> notFound(ticketId));
        return Map.of("items", deliveries.forTicket(ticketId));
    }

    @GetMapping("/{ticketId}/history")
    public Map<String, Object> history(@PathVariable String ticketId) {
        tickets.find(ticketId).orElseThrow(() -> notFound(ticketId));
        return Map.of("items", tickets.events(ticketId));
    }

    @PostMapping("/deliveries/{deliveryId}/retry")
    public Map<String, Object> retryDelivery(@PathVariable long deliveryId) {
        if (!deliveries.retry(deliveryId)) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "delivery " + deliveryId + " is not FAILED (or does not exist)");
        }
        return Map.of("deliveryId", deliveryId, "state", "PENDING");
    }

    private static ResponseStatusException notFound(String ticketId) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown ticket " + ticketId);
    }

}
