package city.hotline.hub.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import city.hotline.hub.calendar.WorkingCalendar;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * The routing step of the inbox-to-ticket split (routes/pipeline.yaml, after the mapping and before
 * the schema check): adds what dispatch needs to a new ticket.
 * <ul>
 *   <li>{@code location}: province, city, district and street of the hub's city, with the most precise
 *   division code, or {@code resolved: false} and the reason (never a guess);</li>
 *   <li>{@code category}: suggested by the category model unless the channel brought one;</li>
 *   <li>{@code urgency}: by the urgency rules unless the channel set it; {@code dueAt} from the level's deadline.</li>
 * </ul>
 */
@Component("routingEnrichment")
@EnableConfigurationProperties(RoutingProperties.class)
public class RoutingEnrichment {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingEnrichment.class);

    private final PlaceResolver places;
    private final UrgencyRules urgency;
    private final Deadlines deadlines;
    private final Taxonomy taxonomy;
    private final CategoryModel categories;

    public RoutingEnrichment(RoutingProperties props, WorkingCalendar calendar) {
        this.places = new PlaceResolver(Divisions.load(props.divisions(), props.city()));
        this.urgency = UrgencyRules.load(props.urgencyRules());
        this.deadlines = new Deadlines(props.deadlines(), calendar);
        this.taxonomy = Taxonomy.load(props.taxonomy());
        this.categories = CategoryModel.load(props.categoryModel());
        LOG.info("Routing within {} ({} districts, {} streets); {} top-level categories", places.divisions().cityName(),
                places.divisions().areas().size(), places.divisions().streets().size(), taxonomy.topLevels().size());
    }

    /** On the split's exchange: the ticket tree kept by exactDedup.complete (also the body), enriched in place. */
    public void enrich(Exchange exchange) {
        enrich(exchange.getProperty("hubTicket", ObjectNode.class));
    }

    public void enrich(ObjectNode ticket) {
        String text = ticket.path("title").asText("") + "\n" + ticket.path("content").asText("");
        locate(ticket, text);
        List<String> path = categorise(ticket, text);
        if (!ticket.hasNonNull("urgency")) {
            ticket.put("urgency", urgency.decide(text, path).level());
        }
        if (!ticket.hasNonNull("dueAt")) {
            Instant received = receivedAt(ticket);
            ticket.put("dueAt", deadlines.dueAt(ticket.get("urgency").asText(), received).toString());
        }
    }

    private void locate(ObjectNode ticket, String text) {
        ObjectNode location = ticket.has("location") && ticket.get("location").isObject()
                ? (ObjectNode) ticket.get("location") : ticket.putObject("location");
        String given = String.join(" ", location.path("district").asText(""), location.path("street").asText(""),
                location.path("address").asText("")).trim();
        PlaceResolver.Place place = places.resolve(given, text);
        if (!place.resolved()) {
            location.put("resolved", false);
            location.put("unresolvedReason", place.reason());
            return;
        }
        location.put("resolved", true);
        location.remove("unresolvedReason");
        location.put("province", place.province());
        location.put("city", place.city());
        location.put("district", place.district().name());
        location.put("districtCode", place.district().code());
        if (place.street() != null) {
            location.put("street", place.street().name());
            location.put("streetCode", place.street().code());
        }
        location.put("divisionCode", place.divisionCode());
    }

    /** The ticket's category path: the channel's own, or the model's suggestion refined by names in the text. */
    private List<String> categorise(ObjectNode ticket, String text) {
        JsonNode given = ticket.get("category");
        if (given != null && given.isObject()) {
            List<String> path = new ArrayList<>();
            given.path("path").forEach(n -> path.add(n.asText()));
            return path;
        }
        if (categories.isEmpty()) {
            return List.of();
        }
        CategoryModel.Suggestion s = categories.suggest(text);
        Taxonomy.Node node = s == null ? null : taxonomy.refine(s.label(), text);
        if (node == null) {
            return List.of();
        }
        ObjectNode category = ticket.putObject("category");
        category.put("code", node.code());
        category.putArray("path").addAll(node.path().stream().map(com.fasterxml.jackson.databind.node.TextNode::valueOf).toList());
        category.put("suggested", true);
        return node.path();
    }

    private static Instant receivedAt(ObjectNode ticket) {
        JsonNode r = ticket.path("origins").path(0).path("receivedAt");
        try {
            return r.isTextual() ? Instant.parse(r.asText()) : Instant.now();
        } catch (RuntimeException e) {
            return Instant.now();
        }
    }

    public PlaceResolver places() {
        return places;
    }
}
