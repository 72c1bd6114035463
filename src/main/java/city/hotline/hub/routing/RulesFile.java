package city.hotline.hub.routing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reading a rules file (dispatch rules, urgency rules) so that every problem names the file and the
 * line: SnakeYAML's node tree keeps each value's position, which a plain {@code Map} loses. Rules
 * classes walk the tree with these helpers and throw {@link Invalid} at the node that is wrong.
 */
public final class RulesFile {

    private RulesFile() {
    }

    /** A problem in a rules file; the message is "file, line N: problem". */
    public static class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** The file's root node; a syntax error is reported with its line. */
    public static Node read(String location) {
        Resource r = new DefaultResourceLoader().getResource(location);
        try (InputStream in = r.getInputStream()) {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            Node root = new Yaml(options).compose(new InputStreamReader(in, StandardCharsets.UTF_8));
            if (root == null) {
                throw new Invalid(location + ", line 1: the file is empty");
            }
            return root;
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new Invalid(location + ", line " + line + ": not valid YAML: " + e.getProblem());
        } catch (IOException e) {
            throw new Invalid(location + ": cannot read the file: " + e.getMessage());
        }
    }

    public static Invalid problem(String location, Node at, String problem) {
        return new Invalid(location + ", line " + line(at) + ": " + problem);
    }

    public static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    /** A mapping's entries by key, refusing keys outside {@code allowed}. */
    public static Map<String, Node> mapping(String location, Node node, String what, Set<String> allowed) {
        if (!(node instanceof MappingNode m)) {
            throw problem(location, node, what + " must be a mapping (key: value lines)");
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = scalar(location, t.getKeyNode(), "a key");
            if (!allowed.contains(key)) {
                throw problem(location, t.getKeyNode(), "unknown key '" + key + "' in " + what + "; allowed: " + allowed);
            }
            out.put(key, t.getValueNode());
        }
        return out;
    }

    public static List<Node> sequence(String location, Node node, String what) {
        if (!(node instanceof SequenceNode s)) {
            throw problem(location, node, what + " must be a list");
        }
        return s.getValue();
    }

    public static String scalar(String location, Node node, String what) {
        if (!(node instanceof ScalarNode s) || s.getValue().isBlank()) {
            throw problem(location, node, what + " must be a non-empty text");
        }
        return s.getValue().trim();
    }

    /** A single text or a list of texts, as a list. */
    public static List<String> texts(String location, Node node, String what) {
        if (node instanceof ScalarNode) {
            return List.of(scalar(location, node, what));
        }
        List<String> out = new ArrayList<>();
        for (Node n : sequence(location, node, what)) {
            out.add(scalar(location, n, "each entry of " + what));
        }
        if (out.isEmpty()) {
            throw problem(location, node, what + " must not be empty");
        }
        return List.copyOf(out);
    }
}
