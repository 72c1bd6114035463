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
 * Builds {@code mappings/category/model.tsv} from the labelled board posts and measures it:
 * <pre>
 * mvn -B -o -Pcategory-model compile exec:java -Dexec.args="/work/shared/fixtures/boards/messages-labeled.csv"
 * </pre>
 * Every fifth post (row index 4, 9, 14 ...) is held out: the model never sees it, and the held-out
 * posts are written to {@code src/test/resources/routing/category-holdout.csv}, where
 * CategoryAccuracyTest measures the shipped model on them. Nothing is tuned on the held-out posts.
 */
public final class CategoryModelTrainer {

    public record Post(String text, String label) {
    }

    public static void main(String[] args) throws IOException {
        Path labelled = Path.of(args.length > 0 ? args[0] : "/work/shared/fixtures/boards/messages-labeled.csv");
        Path model = Path.of(args.length > 1 ? args[1] : "mappings/category/model.tsv");
        Path holdout = Path.of(args.length > 2 ? args[2] : "src/test/resources/routing/category-holdout.csv");
        List<Post> posts = read(labelled.toFile(), "留言主题", "留言详情", "一级分类");
        CategoryModel m = new CategoryModel();
        List<Post> held = new ArrayList<>();
        for (int i = 0; i < posts.size(); i++) {
            if (i % 5 == 4) {
                held.add(posts.get(i));
            } else {
                m.learn(posts.get(i).label(), posts.get(i).text());
            }
        }
        Files.createDirectories(model.getParent());
        try (Writer out = Files.newBufferedWriter(model, StandardCharsets.UTF_8)) {
            m.write(out);
        }
        Files.createDirectories(holdout.getParent());
        CsvMapper csv = new CsvMapper();
        CsvSchema schema = CsvSchema.builder().addColumn("text").addColumn("label").build().withHeader();
        csv.writer(schema).writeValue(holdout.toFile(), held.stream().map(p -> Map.of("text", p.text(), "label", p.label())).toList());
        System.out.printf("trained on %d posts, held out %d; top-level accuracy on the held-out posts: %.3f%n",
                posts.size() - held.size(), held.size(), accuracy(m, held));
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
