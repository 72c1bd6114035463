package city.hotline.hub.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import city.hotline.hub.routing.RulesFile;
import city.hotline.hub.routing.UrgencyRules;
import com.fasterxml.jackson.databind.JsonNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The dispatch rules ({@code mappings/dispatch-rules.yaml}, format in docs/routing.md): which
 * back-end or back-ends get a ticket, by its category, district, street, keywords and urgency. The
 * first rule whose conditions all hold decides; a rule naming two back-ends is a joint dispatch
 * (双派); a ticket no rule takes goes to the {@code default}. Checked as a whole when read: each
 * problem names the file, the line and what is wrong, and a file with a problem is never used.
 */
public final class DispatchRules {

    public record Rule(String name, int line, List<String> categories, List<String> districts, List<String> streets,
                       List<String> keywords, List<String> urgency, List<String> to) {

        boolean matches(JsonNode ticket) {
            return (categories.isEmpty() || anyCategory(ticket))
                    && (districts.isEmpty() || districts.contains(ticket.at("/location/district").asText(""))
                        || districts.contains(ticket.at("/location/districtCode").asText("")))
                    && (streets.isEmpty() || streets.contains(ticket.at("/location/street").asText(""))
                        || streets.contains(ticket.at("/location/streetCode").asText("")))
                    && (keywords.isEmpty() || anyKeyword(ticket.path("title").asText("") + "\n" + ticket.path("content").asText("")))
                    && (urgency.isEmpty() || urgency.contains(ticket.path("urgency").asText("")));
        }

        private boolean anyKeyword(String text) {
            return keywords.stream().anyMatch(text::contains);
        }

        /** A category condition names a level of the path (城乡建设) or a code prefix (01, 0101). */
        private boolean anyCategory(JsonNode ticket) {
            String code = ticket.at("/category/code").asText("");
            List<String> path = new ArrayList<>();
            ticket.at("/category/path").forEach(n -> path.add(n.asText()));
            return categories.stream().anyMatch(c -> path.contains(c) || (!code.isEmpty() && code.startsWith(c)));
        }
    }

    private static final Set<String> TOP = Set.of("default", "rules");
    private static final Set<String> RULE = Set.of("name", "when", "to");
    private static final Set<String> WHEN = Set.of("category", "district", "street", "keywords", "urgency");

    private final String location;
    private final List<String> defaults;
    private final List<Rule> rules;

    private DispatchRules(String location, List<String> defaults, List<Rule> rules) {
        this.location = location;
        this.defaults = defaults;
        this.rules = rules;
    }

    /**
     * @param backends   the configured back-end names; a rule naming another is refused
     * @param knownPlace whether a district or street name (or code) exists in the hub's city
     * @throws RulesFile.Invalid naming the file, the line and the problem
     */
    public static DispatchRules read(String location, Set<String> backends, Predicate<String> knownPlace) {
        Node root = RulesFile.read(location);
        Map<String, Node> top = RulesFile.mapping(location, root, "the file", TOP);
        if (!top.containsKey("default")) {
            throw RulesFile.problem(location, root, "'default' (the back-end or back-ends for tickets no rule takes) is missing");
        }
        List<String> defaults = backends(location, top.get("default"), "default", backends);
        List<Rule> rules = new ArrayList<>();
        if (top.containsKey("rules")) {
            for (Node r : RulesFile.sequence(location, top.get("rules"), "rules")) {
                Map<String, Node> m = RulesFile.mapping(location, r, "a rule", RULE);
                if (!m.containsKey("to")) {
                    throw RulesFile.problem(location, r, "a rule needs 'to': the back-end or back-ends it dispatches to");
                }
                if (!m.containsKey("when")) {
                    throw RulesFile.problem(location, r, "a rule needs 'when' (use 'default' for tickets no rule takes)");
                }
                String name = m.containsKey("name") ? RulesFile.scalar(location, m.get("name"), "name") : "rule at line " + RulesFile.line(r);
                Map<String, Node> when = RulesFile.mapping(location, m.get("when"), "'when'", WHEN);
                if (when.isEmpty()) {
                    throw RulesFile.problem(location, m.get("when"), "'when' needs at least one of " + WHEN);
                }
                List<String> urgency = list(location, when, "urgency");
                for (String u : urgency) {
                    if (!UrgencyRules.LEVELS.contains(u)) {
                        throw RulesFile.problem(location, when.get("urgency"), "unknown urgency '" + u + "'; one of " + UrgencyRules.LEVELS);
                    }
                }
                List<String> districts = places(location, when, "district", knownPlace);
                List<String> streets = places(location, when, "street", knownPlace);
                rules.add(new Rule(name, RulesFile.line(r), list(location, when, "category"), districts, streets,
                        list(location, when, "keywords"), urgency, backends(location, m.get("to"), "to", backends)));
            }
        }
        return new DispatchRules(location, defaults, List.copyOf(rules));
    }

    private static List<String> list(String location, Map<String, Node> when, String key) {
        return when.containsKey(key) ? RulesFile.texts(location, when.get(key), key) : List.of();
    }

    private static List<String> places(String location, Map<String, Node> when, String key, Predicate<String> knownPlace) {
        List<String> names = list(location, when, key);
        for (String n : names) {
            if (!knownPlace.test(n)) {
                throw RulesFile.problem(location, when.get(key), "unknown " + key + " '" + n + "': not a " + key
                        + " of the hub's city (hub.routing.city) by name or code");
            }
        }
        return names;
    }

    private static List<String> backends(String location, Node node, String key, Set<String> configured) {
        List<String> names = RulesFile.texts(location, node, key);
        for (String n : names) {
            if (!configured.contains(n)) {
                throw RulesFile.problem(location, node, "unknown back-end '" + n + "' in '" + key + "'; configured (hub.backends): "
                        + new java.util.TreeSet<>(configured));
            }
        }
        if (Set.copyOf(names).size() != names.size()) {
            throw RulesFile.problem(location, node, "'" + key + "' names a back-end twice: " + names);
        }
        return names;
    }

    /** The back-ends for this ticket, and the rule that chose them (null: the default). */
    public record Decision(List<String> backends, Rule rule) {
    }

    public Decision decide(JsonNode ticket) {
        for (Rule r : rules) {
            if (r.matches(ticket)) {
                return new Decision(r.to(), r);
            }
        }
        return new Decision(defaults, null);
    }

    public String location() {
        return location;
    }

    public int size() {
        return rules.size();
    }
}
