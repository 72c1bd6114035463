package city.hotline.hub.routing;

import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * Builds {@code mappings/category/model.tsv.gz} from the labelled board posts and measures it:
 * <pre>
 * mvn -B -o -Pcategory-model compile exec:java -Dexec.args="/work/shared/fixtures/boards/messages-labeled.csv"
 * </pre>
 * Every fifth post (row index 4, 9, 14 ...) is held out: the model never sees it, and the held-out
 * posts are written to {@code src/test/resources/routing/category-holdout.csv}, where
 * CategoryAccuracyTest measures the shipped model on them. Nothing is tuned on the held-out posts.
 * <p>
 * The taxonomy ({@code mappings/category/taxonomy.csv}, third argument) gives the keywords: level-2 and
 * level-3 names (not 其他) that belong to one of the labelled top-level classes only. The trainer also
 * prints two 5-fold cross-validated figures (fold = row index mod 5): on the training posts only (what
 * the weights were chosen on) and on all labelled posts (a steadier figure than 99 held-out posts).
 */
public final class CategoryModelTrainer {

    public record Post(String text, String label) {
    }

    public static void main(String[] args) throws IOException {
        Path labelled = Path.of(args.length > 0 ? args[0] : "/work/shared/fixtures/boards/messages-labeled.csv");
        Path model = Path.of(args.length > 1 ? args[1] : "mappings/category/model.tsv.gz");
        Path holdout = Path.of(args.length > 2 ? args[2] : "src/test/resources/routing/category-holdout.csv");
        Path taxonomy = Path.of(args.length > 3 ? args[3] : "mappings/category/taxonomy.csv");
        List<Post> posts = read(labelled.toFile(), "留言主题", "留言详情", "一级分类");
        Map<String, String> keywords = keywords(taxonomy, posts.stream().map(Post::label).collect(java.util.stream.Collectors.toSet()));
        List<Post> held = new ArrayList<>();
        List<Post> training = new ArrayList<>();
        for (int i = 0; i < posts.size(); i++) {
            (i % 5 == 4 ? held : training).add(posts.get(i));
        }
        CategoryModel m = train(training, keywords);
        Files.createDirectories(model.getParent());
        try (Writer out = new java.io.OutputStreamWriter(model.toString().endsWith(".gz")
                ? new java.util.zip.GZIPOutputStream(Files.newOutputStream(model)) : Files.newOutputStream(model), StandardCharsets.UTF_8)) {
            m.write(out);
        }
        Files.createDirectories(holdout.getParent());
        CsvMapper csv = new CsvMapper();
        CsvSchema schema = CsvSchema.builder().addColumn("text").addColumn("label").build().withHeader();
        csv.writer(schema).writeValue(holdout.toFile(), held.stream().map(p -> Map.of("text", p.text(), "label", p.label())).toList());
        System.out.printf("trained on %d posts, held out %d; top-level accuracy on the held-out posts: %.3f%n",
                posts.size() - held.size(), held.size(), accuracy(m, held));
        System.out.printf("5-fold cross-validation on the %d training posts: %.3f; on all %d labelled posts: %.3f%n",
                training.size(), crossValidate(training, keywords), posts.size(), crossValidate(posts, keywords));
    }

    static CategoryModel train(List<Post> posts, Map<String, String> keywords) {
        CategoryModel m = new CategoryModel();
        keywords.forEach(m::keyword);
        posts.forEach(p -> m.learn(p.label(), p.text()));
        return m;
    }

    /** Top-level accuracy over 5 folds (row index mod 5), each fold predicted by a model trained on the other four. */
    static double crossValidate(List<Post> posts, Map<String, String> keywords) {
        long right = 0;
        for (int fold = 0; fold < 5; fold++) {
            List<Post> in = new ArrayList<>();
            List<Post> out = new ArrayList<>();
            for (int i = 0; i < posts.size(); i++) {
                (i % 5 == fold ? out : in).add(posts.get(i));
            }
            CategoryModel m = train(in, keywords);
            right += out.stream().filter(p -> p.label().equals(m.suggest(p.text()).label())).count();
        }
        return (double) right / posts.size();
    }

    /** Level-2/3 names of the taxonomy (not 其他, at least two characters) that belong to exactly one of {@code classes}. */
    static Map<String, String> keywords(Path taxonomy, java.util.Set<String> classes) throws IOException {
        Map<String, java.util.Set<String>> owners = new java.util.TreeMap<>();
        List<String> lines = Files.readAllLines(taxonomy, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f.length < 3 || !classes.contains(f[0].trim())) {
                continue;
            }
            for (String name : List.of(f[1].trim(), f[2].trim())) {
                if (name.length() >= 2 && !name.equals("其他")) {
                    owners.computeIfAbsent(name, k -> new java.util.TreeSet<>()).add(f[0].trim());
                }
            }
        }
        Map<String, String> out = new java.util.TreeMap<>();
        owners.forEach((name, cls) -> {
            if (cls.size() == 1) {
                out.put(name, cls.iterator().next());
            }
        });
        return out;
    }

    public static double accuracy(CategoryModel m, List<Post> posts) {
        long right = posts.stream().filter(p -> p.label().equals(m.suggest(p.text()).label())).count();
        return (double) right / posts.size();
    }

    /** Posts from a CSV file: the text is the given text columns joined with a newline. */
    public static List<Post> read(File file, String... columns) throws IOException {
        CsvMapper csv = new CsvMapper();
        List<Post> out = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = csv.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file)) {
            while (it.hasNext()) {
                Map<String, String> row = it.next();
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < columns.length - 1; i++) {
                    text.append(row.getOrDefault(columns[i], "")).append('\n');
                }
                out.add(new Post(text.toString().strip(), row.get(columns[columns.length - 1])));
            }
        }
        return out;
    }
}
