package city.hotline.hub.routing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.core.io.DefaultResourceLoader;

/**
 * The three-level category taxonomy ({@code mappings/category/taxonomy.csv}: 一级分类, 二级分类, 三级分类).
 * Codes are positional: two digits per level in the file's order of first appearance (城乡建设 = 01,
 * 城乡建设/安全生产 = 0101, 城乡建设/安全生产/事故处理 = 010101), so a code is stable while the file
 * only grows at the end of each level.
 */
public final class Taxonomy {

    public record Node(String code, List<String> path) {
    }

    private final Map<String, Node> byPath = new LinkedHashMap<>();
    private final Map<String, Map<String, Node>> children = new LinkedHashMap<>();

    public static Taxonomy load(String location) {
        Taxonomy t = new Taxonomy();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new DefaultResourceLoader().getResource(location).getInputStream(), StandardCharsets.UTF_8))) {
            String line = in.readLine(); // header
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cols = line.split(",", -1);
                t.add(List.of(cols).stream().map(String::trim).filter(s -> !s.isEmpty()).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + location, e);
        }
        return t;
    }

    private void add(List<String> path) {
        String parentKey = "";
        for (int i = 0; i < path.size(); i++) {
            String key = String.join("/", path.subList(0, i + 1));
            Map<String, Node> siblings = children.computeIfAbsent(parentKey, k -> new LinkedHashMap<>());
            String parentCode = i == 0 ? "" : byPath.get(parentKey).code();
            Node node = siblings.get(path.get(i));
            if (node == null) {
                node = new Node(parentCode + String.format("%02d", siblings.size() + 1), List.copyOf(path.subList(0, i + 1)));
                siblings.put(path.get(i), node);
            }
            byPath.put(key, node);
            parentKey = key;
        }
    }

    public Node top(String name) {
        return byPath.get(name);
    }

    public List<String> topLevels() {
        return List.copyOf(children.getOrDefault("", Map.of()).keySet());
    }

    /**
     * The deepest node under {@code top} whose own name appears in {@code text} (third level before
     * second), or the top level itself: a name in the text is evidence, anything deeper would be a guess.
     */
    public Node refine(String top, String text) {
        Node best = byPath.get(top);
        if (best == null) {
            return null;
        }
        for (Node second : children.getOrDefault(top, Map.of()).values()) {
            String secondKey = String.join("/", second.path());
            for (Node third : children.getOrDefault(secondKey, Map.of()).values()) {
                if (text.contains(last(third)) && (best.path().size() < 3 || last(third).length() > last(best).length())) {
                    best = third;
                }
            }
            if (best.path().size() < 2 && text.contains(last(second))) {
                best = second;
            }
        }
        return best;
    }

    private static String last(Node n) {
        return n.path().get(n.path().size() - 1);
    }

    public List<Node> all() {
        return new ArrayList<>(byPath.values());
    }
}
