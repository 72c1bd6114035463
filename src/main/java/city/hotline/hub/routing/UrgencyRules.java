package city.hotline.hub.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.nodes.Node;

/**
 * The urgency levels and the rules that set them ({@code mappings/urgency-rules.yaml}): the first
 * rule whose keywords appear in the text, or whose category is on the ticket's category path, gives
 * the level; otherwise the file's {@code default}. Read once at start-up; a wrong file stops it with
 * the file, the line and the problem.
 */
public final class UrgencyRules {

    /** The four levels of the ticket schema, most urgent first (docs/routing.md). */
    public static final List<String> LEVELS = List.of("CRITICAL", "URGENT", "NORMAL", "COMPLEX");

    public record Rule(String level, List<String> keywords, List<String> categories, int line) {
        boolean matches(String text, List<String> categoryPath) {
            return keywords.stream().anyMatch(text::contains) || categories.stream().anyMatch(categoryPath::contains);
        }
    }

    public record Decision(String level, String reason) {
    }

    private final List<Rule> rules;
    private final String defaultLevel;

    private UrgencyRules(List<Rule> rules, String defaultLevel) {
        this.rules = rules;
        this.defaultLevel = defaultLevel;
    }

    public static UrgencyRules load(String location) {
        Node root = RulesFile.read(location);
        Map<String, Node> top = RulesFile.mapping(location, root, "the file", Set.of("default", "rules"));
        if (!top.containsKey("default")) {
            throw RulesFile.problem(location, root, "'default' (the level when no rule matches) is missing");
        }
        String def = level(location, top.get("default"));
        List<Rule> rules = new ArrayList<>();
        if (top.containsKey("rules")) {
            for (Node r : RulesFile.sequence(location, top.get("rules"), "rules")) {
                Map<String, Node> m = RulesFile.mapping(location, r, "a rule", Set.of("level", "keywords", "categories"));
                if (!m.containsKey("level")) {
                    throw RulesFile.problem(location, r, "a rule needs a 'level' (one of " + LEVELS + ")");
                }
                List<String> keywords = m.containsKey("keywords") ? RulesFile.texts(location, m.get("keywords"), "keywords") : List.of();
                List<String> categories = m.containsKey("categories") ? RulesFile.texts(location, m.get("categories"), "categories") : List.of();
                if (keywords.isEmpty() && categories.isEmpty()) {
                    throw RulesFile.problem(location, r, "a rule needs 'keywords' or 'categories'");
                }
                rules.add(new Rule(level(location, m.get("level")), keywords, categories, RulesFile.line(r)));
            }
        }
        return new UrgencyRules(List.copyOf(rules), def);
    }

    private static String level(String location, Node node) {
        String v = RulesFile.scalar(location, node, "a level");
        if (!LEVELS.contains(v)) {
            throw RulesFile.problem(location, node, "unknown level '" + v + "'; one of " + LEVELS);
        }
        return v;
    }

    public Decision decide(String text, List<String> categoryPath) {
        for (Rule r : rules) {
            if (r.matches(text, categoryPath)) {
                return new Decision(r.level(), "urgency rule at line " + r.line());
            }
        }
        return new Decision(defaultLevel, "default");
    }
}
