package city.hotline.hub.dispatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import city.hotline.hub.routing.Divisions;
import city.hotline.hub.routing.RoutingEnrichment;
import city.hotline.hub.routing.RulesFile;
import city.hotline.hub.store.ForwardOutboxStore;
import city.hotline.hub.store.TicketBackendStore;
import city.hotline.hub.ticket.Hashing;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.PreDestroy;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.stereotype.Component;

/**
 * Decides which back-ends get a new ticket (the dispatch rules) and writes one CREATE row per
 * back-end into the forward outbox, each claimed by that back-end's own lane. The rules file is read
 * at start-up (a problem stops it, naming the file and the line) and checked again every
 * {@code hub.dispatch.rules-check-interval}: a changed file that reads well replaces the rules, one
 * with a problem is refused and logged, and the rules in force stay.
 */
@Component("dispatcher")
@EnableConfigurationProperties(BackendsProperties.class)
public class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    /** The outcome of the last reload, for health and tests. */
    public record Reload(boolean applied, String problem) {
    }

    private final BackendsProperties props;
    private final ForwardOutboxStore outbox;
    private final TicketBackendStore holders;
    private final Predicate<String> knownPlace;
    private final AtomicReference<DispatchRules> rules = new AtomicReference<>();
    private final AtomicReference<String> loadedHash = new AtomicReference<>();
    private final AtomicReference<String> lastProblem = new AtomicReference<>();
    private final ScheduledExecutorService watcher;

    public Dispatcher(BackendsProperties props, ForwardOutboxStore outbox, TicketBackendStore holders, RoutingEnrichment routing) {
        this.props = props;
        this.outbox = outbox;
        this.holders = holders;
        this.knownPlace = knownPlaces(routing.places().divisions());
        String location = props.dispatch().rules();
        String hash = hash(location);
        DispatchRules first = DispatchRules.read(location, props.backends().keySet(), knownPlace);
        rules.set(first);
        loadedHash.set(hash);
        LOG.info("Dispatch rules from {}: {} rules; back-ends {}", location, first.size(), props.backends().keySet());
        long every = props.dispatch().rulesCheckInterval().toMillis();
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dispatch-rules-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
    }

    private static Predicate<String> knownPlaces(Divisions d) {
        Set<String> names = new java.util.HashSet<>();
        d.areas().forEach(a -> {
            names.add(a.name());
            names.add(a.code());
        });
        d.streets().forEach(s -> {
            names.add(s.name());
            names.add(s.code());
        });
        return names::contains;
    }

    @PreDestroy
    void stop() {
        watcher.shutdownNow();
    }

    /** Reads the rules file again if its content changed; see {@link #reload()}. */
    public void reloadIfChanged() {
        try {
            String hash = hash(props.dispatch().rules());
            if (!hash.equals(loadedHash.get())) {
                reload();
            }
        } catch (RuntimeException e) {
            LOG.error("Dispatch rules {} could not be checked ({}); the rules in force stay", props.dispatch().rules(), e.getMessage());
        }
    }

    /** Reads the rules file now: a file that reads well replaces the rules; one with a problem is refused. */
    public synchronized Reload reload() {
        String location = props.dispatch().rules();
        String hash = hash(location);
        try {
            DispatchRules next = DispatchRules.read(location, props.backends().keySet(), knownPlace);
            rules.set(next);
            lastProblem.set(null);
            LOG.info("Dispatch rules reloaded from {}: {} rules", location, next.size());
            return new Reload(true, null);
        } catch (RulesFile.Invalid e) {
            lastProblem.set(e.getMessage());
            LOG.error("Dispatch rules refused, the rules in force stay: {}", e.getMessage());
            return new Reload(false, e.getMessage());
        } finally {
            // a refused file is not read again until it changes
            loadedHash.set(hash);
        }
    }

    /** The problem of the last refused rules file, or null. */
    public String lastProblem() {
        return lastProblem.get();
    }

    public DispatchRules rules() {
        return rules.get();
    }

    /** Pipeline step: the back-ends for the new ticket, written on it as {@code dispatch[]}. */
    public void plan(Exchange exchange) {
        // the tree kept by exactDedup.complete (also the body), changed in place
        plan(exchange.getProperty("hubTicket", ObjectNode.class));
    }

    public void plan(ObjectNode ticket) {
        DispatchRules.Decision d = rules.get().decide(ticket);
        ArrayNode dispatch = ticket.putArray("dispatch");
        d.backends().forEach(b -> dispatch.addObject().put("backend", b));
    }

    /**
     * Inside the ticket's transaction: one CREATE row per back-end of each new ticket, batched per
     * back-end, and the ticket's holders. A ticket not yet planned (no {@code dispatch}) is planned now.
     */
    public void enqueueCreations(List<ObjectNode> created) {
        Map<String, List<ObjectNode>> byBackend = new LinkedHashMap<>();
        List<TicketBackendStore.Holder> all = new ArrayList<>();
        for (ObjectNode t : created) {
            if (!t.has("dispatch") || t.get("dispatch").isEmpty()) {
                plan(t);
            }
            int position = 0;
            for (JsonNode d : t.get("dispatch")) {
                String backend = d.get("backend").asText();
                byBackend.computeIfAbsent(backend, k -> new ArrayList<>()).add(t);
                all.add(new TicketBackendStore.Holder(t.get("ticketId").asText(), backend, position++));
            }
        }
        byBackend.forEach((backend, tickets) -> outbox.enqueueCreations(tickets, backend));
        holders.insertAll(all);
    }

    private static String hash(String location) {
        try (var in = new DefaultResourceLoader().getResource(location).getInputStream()) {
            return Hashing.sha256Hex(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (java.io.IOException e) {
            throw new RulesFile.Invalid(location + ": cannot read the file: " + e.getMessage());
        }
    }
}
