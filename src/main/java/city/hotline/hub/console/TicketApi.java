package city.hotline.hub.console;

import java.util.List;
import java.util.Map;

import city.hotline.hub.ticket.HubProperties;

import city.hotline.hub.store.ReplyDeliveryStore;
import city.hotline.hub.store.TicketStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Read side for the case system and operators: tickets, their history and each origin's delivery
 * state. A client sees only tickets with an origin it sent through an API channel, unless it is an
 * admin (issue 8, point 8); another client's ticket is answered 404, as if it did not exist.
 */
@RestController
@RequestMapping(path = "/api/v1/tickets", produces = "application/json")
public class TicketApi {

    private final TicketStore tickets;
    private final ReplyDeliveryStore deliveries;
    private final List<String> apiChannels;

    public TicketApi(TicketStore tickets, ReplyDeliveryStore deliveries, HubProperties props) {
        this.tickets = tickets;
        this.deliveries = deliveries;
        this.apiChannels = props.intake() == null || props.intake().channels() == null ? List.of()
                : props.intake().channels().entrySet().stream().filter(e -> e.getValue().genericHttp()).map(Map.Entry::getKey).toList();
    }

    @GetMapping("/{ticketId}")
    public ObjectNode ticket(@PathVariable String ticketId, @RequestAttribute(ApiClientRegistry.ATTRIBUTE) ApiClientRegistry.Client client) {
        return visible(ticketId, client);
    }

    @GetMapping
    public Map<String, Object> search(@RequestParam(required = false) String channel,
                                      @RequestParam(required = false) String channelItemId,
                                      @RequestParam(defaultValue = "50") int limit,
                                      @RequestAttribute(ApiClientRegistry.ATTRIBUTE) ApiClientRegistry.Client client) {
        int n = Math.max(1, Math.min(limit, 500));
        return Map.of("items", client.admin() ? tickets.search(channel, channelItemId, n)
                : tickets.search(channel, channelItemId, client.name(), apiChannels, n));
    }

    @GetMapping("/{ticketId}/deliveries")
    public Map<String, Object> deliveries(@PathVariable String ticketId, @RequestAttribute(ApiClientRegistry.ATTRIBUTE) ApiClientRegistry.Client client) {
        visible(ticketId, client);
        return Map.of("items", deliveries.forTicket(ticketId));
    }

    @GetMapping("/{ticketId}/history")
    public Map<String, Object> history(@PathVariable String ticketId, @RequestAttribute(ApiClientRegistry.ATTRIBUTE) ApiClientRegistry.Client client) {
        visible(ticketId, client);
        return Map.of("items", tickets.events(ticketId));
    }

    @PostMapping("/deliveries/{deliveryId}/retry")
    public Map<String, Object> retryDelivery(@PathVariable long deliveryId, @RequestAttribute(ApiClientRegistry.ATTRIBUTE) ApiClientRegistry.Client client) {
        String ticketId = tickets.ticketOfDelivery(deliveryId).orElse(null);
        if (ticketId != null && !client.admin() && !tickets.visibleTo(ticketId, client.name(), apiChannels)) {
            ticketId = null;
        }
        if (ticketId == null || !deliveries.retry(deliveryId)) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "delivery " + deliveryId + " is not FAILED (or does not exist)");
        }
        return Map.of("deliveryId", deliveryId, "state", "PENDING");
    }

    private ObjectNode visible(String ticketId, ApiClientRegistry.Client client) {
        ObjectNode ticket = tickets.find(ticketId).orElseThrow(() -> notFound(ticketId));
        if (!client.admin() && !tickets.visibleTo(ticketId, client.name(), apiChannels)) {
            throw notFound(ticketId);
        }
        return ticket;
    }

    private static ResponseStatusException notFound(String ticketId) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown ticket " + ticketId);
    }

}
