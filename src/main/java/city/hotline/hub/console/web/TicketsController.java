package city.hotline.hub.console.web;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import city.hotline.hub.dedup.OriginSplit;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * {@code /console/tickets}: search; {@code /console/tickets/{ticketId}}: the ticket's timeline (each
 * origin and its arrival, events such as merges with their score, forwards and the back-ends'
 * acknowledgements, statuses, reply deliveries per origin), a retry for a FAILED delivery and, for an
 * admin, the split of a wrongly merged origin back into its own ticket (issue 11).
 */
@Controller
public class TicketsController {

    static final List<String> STATUSES = List.of("RECEIVED", "FORWARDED", "ACCEPTED", "ASSIGNED", "IN_PROGRESS", "REPLIED",
            "CLOSED", "EVALUATED", "RETURNED", "EXTENDED", "REOPENED");

    private final ConsoleQueries queries;
    private final ConsoleActions actions;
    private final OriginSplit split;

    public TicketsController(ConsoleQueries queries, ConsoleActions actions, OriginSplit split) {
        this.queries = queries;
        this.actions = actions;
        this.split = split;
    }

    @GetMapping("/console/tickets")
    String search(@RequestParam(required = false) String ticketId, @RequestParam(required = false) String channel,
                  @RequestParam(required = false) String channelItemId, @RequestParam(required = false) String phone,
                  @RequestParam(required = false) String district, @RequestParam(required = false) String category,
                  @RequestParam(required = false) String status,
                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
                  Model model, jakarta.servlet.http.HttpServletRequest request) {
        ConsoleQueries.Search s = new ConsoleQueries.Search(ticketId, channel, channelItemId, phone, district, category, status, date);
        model.addAttribute("q", s);
        model.addAttribute("statuses", STATUSES);
        model.addAttribute("results", queries.search(s, 100));
        // htmx asks for the result table only
        return request.getHeader("HX-Request") != null ? "console/tickets :: results" : "console/tickets";
    }

    @GetMapping("/console/tickets/{ticketId}")
    String ticket(@PathVariable String ticketId, Model model) {
        Map<String, Object> ticket = queries.ticket(ticketId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown ticket"));
        JsonNode body = Json.read((String) ticket.get("body"));
        model.addAttribute("ticket", ticket);
        model.addAttribute("body", body);
        model.addAttribute("related", body.path("related"));
        model.addAttribute("origins", queries.origins(ticketId));
        model.addAttribute("events", queries.events(ticketId));
        model.addAttribute("forwards", queries.forwards(ticketId));
        model.addAttribute("statuses", queries.statuses(ticketId));
        model.addAttribute("deliveries", queries.deliveries(ticketId));
        return "console/ticket";
    }

    @PostMapping("/console/tickets/{ticketId}/deliveries/{deliveryId}/retry")
    String retry(@PathVariable String ticketId, @PathVariable long deliveryId, Authentication auth, RedirectAttributes redirect) {
        if (!ticketId.equals(queries.ticketOfDelivery(deliveryId).orElse(null))) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such delivery on this ticket");
        }
        boolean done = actions.retryDelivery(deliveryId, auth.getName());
        redirect.addFlashAttribute("message", done ? "已重新排队发送 (delivery " + deliveryId + " queued again)"
                : "无法重试 (delivery " + deliveryId + " is not FAILED, or a later status already reached this origin)");
        return "redirect:/console/tickets/" + ticketId;
    }

    /**
     * The API's split ({@code POST /api/v1/tickets/{ticketId}/origins/{channel}/{channelItemId}/split}) from the
     * ticket page. Admins only, as the API allows only admin clients: a split changes what the case system
     * holds. What the split refuses (the ticket's own report, an origin it does not hold) comes back as the
     * page's message.
     */
    @PostMapping("/console/tickets/{ticketId}/split")
    String split(@PathVariable String ticketId, @RequestParam String channel, @RequestParam String channelItemId,
                 @RequestParam(required = false) String client, Authentication auth, RedirectAttributes redirect) {
        if (!Viewer.of(auth).isAdmin()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "splitting a ticket needs the admin login");
        }
        try {
            Map<String, Object> done = split.split(ticketId, channel, channelItemId, client == null || client.isBlank() ? null : client,
                    "console:" + auth.getName());
            redirect.addFlashAttribute("message", "已拆分为新工单 " + done.get("newTicketId") + " (" + channel + " item " + channelItemId
                    + " split out into ticket " + done.get("newTicketId") + "; the case system is told)");
        } catch (ResponseStatusException e) {
            redirect.addFlashAttribute("message", "无法拆分 (not split: " + e.getReason() + ")");
        }
        return "redirect:/console/tickets/" + ticketId;
    }
}
