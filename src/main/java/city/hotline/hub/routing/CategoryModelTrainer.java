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
import java.util.Random;
import java.util.Collections;

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
 * The taxonomy ({@code mappings/category/taxonomy.csv}, fourth argument) gives the keywords: level-2 and
 * level-3 names (not 其他) that belong to one of the labelled top-level classes only. The trainer prints
 * the 5-fold cross-validated accuracy on the training posts (fold = row index mod 5, then three more
 * times with the posts shuffled, seeds 1001-1003: one post in 396 is 0.0025, so single runs are noisy).
 * That is what the parameters were chosen on. After writing the model it prints the same figure on all
 * labelled posts, as a report (nothing is chosen on it); {@code -Dcategory.cv-only=true} prints it for other
 * parameters ({@code -Dcategory.lambda=, .epochs=, .title-weight=, .keyword-weight=}) without writing
 * anything.
 * <p>
 * The SVM is trained by stochastic gradient descent (Pegasos, Shalev-Shwartz et al. 2007), written here in
 * about 40 lines: liblinear is not among the artifacts served to this build and smile is GPL.
 */
public final class CategoryModelTrainer {

    /** The shipped parameters: chosen by the repeated cross-validation on the training posts (docs/routing.md). */
    static final CategoryModel.Params PARAMS = new CategoryModel.Params(3e-3, 20, 1.5, 0.5);

    public record Post(String text, String label) {
    }

    public static void main(String[] args) throws IOException {
        Path labelled = Path.of(args.length > 0 ? args[0] : "/work/shared/fixtures/boards/messages-labeled.csv");
        Path model = Path.of(args.length > 1 ? args[1] : "mappings/category/model.tsv.gz");
        Path holdout = Path.of(args.length > 2 ? args[2] : "src/test/resources/routing/category-holdout.csv");
        Path taxonomy = Path.of(args.length > 3 ? args[3] : "mappings/category/taxonomy.csv");
        CategoryModel.Params params = new CategoryModel.Params(
                Double.parseDouble(System.getProperty("category.lambda", String.valueOf(PARAMS.lambda()))),
                Integer.parseInt(System.getProperty("category.epochs", String.valueOf(PARAMS.epochs()))),
                Double.parseDouble(System.getProperty("category.title-weight", String.valueOf(PARAMS.titleWeight()))),
                Double.parseDouble(System.getProperty("category.keyword-weight", String.valueOf(PARAMS.keywordWeight()))));
        List<Post> posts = read(labelled.toFile(), "留言主题", "留言详情", "一级分类");
        Map<String, String> keywords = keywords(taxonomy, posts.stream().map(Post::label).collect(java.util.stream.Collectors.toSet()));
        List<Post> held = new ArrayList<>();
        List<Post> training = new ArrayList<>();
        for (int i = 0; i < posts.size(); i++) {
            (i % 5 == 4 ? held : training).add(posts.get(i));
        }
        double[] cv = repeatedCrossValidation(training, keywords, params);
        System.out.printf("%s: 5-fold cross-validation on the %d training posts: %.3f (runs %s)%n",
                params, training.size(), java.util.Arrays.stream(cv).average().orElse(0), java.util.Arrays.toString(cv));
        if (Boolean.getBoolean("category.cv-only")) {
            return;
        }
        CategoryModel m = train(training, keywords, params);
        Files.createDirectories(model.getParent());
        try (Writer out = new java.io.OutputStreamWriter(model.toString().endsWith(".gz")
                ? new java.util.zip.GZIPOutputStream(Files.newOutputStream(model)) : Files.newOutputStream(model), StandardCharsets.UTF_8)) {
            m.write(out);
        }
        Files.createDirectories(holdout.getParent());
        CsvMapper csv = new CsvMapper();
        CsvSchema schema = CsvSchema.builder().addColumn("text").addColumn("label").build().withHeader();
        csv.writer(schema).writeValue(holdout.toFile(), held.stream().map(p -> Map.of("text", p.text(), "label", p.label())).toList());
        System.out.printf("trained on %d posts, held out %d, wrote %s (%d bytes); measure it: mvn -B -o test -Dtest=CategoryAccuracyTest%n",
                training.size(), held.size(), model, Files.size(model));
        // a report only, after the parameters were fixed: 495 posts give a steadier figure than 99
        double[] all = repeatedCrossValidation(posts, keywords, params);
        System.out.printf("5-fold cross-validation on all %d labelled posts (report only, nothing chosen on it): %.3f (runs %s)%n",
                posts.size(), java.util.Arrays.stream(all).average().orElse(0), java.util.Arrays.toString(all));
    }

    /** A one-versus-rest linear SVM over the posts' features (CategoryModel), by SGD with a fixed seed: the same posts give the same model. */
    static CategoryModel train(List<Post> posts, Map<String, String> keywordClasses, CategoryModel.Params params) {
        String[] labels = posts.stream().map(Post::label).distinct().sorted().toArray(String[]::new);
        List<String> labelList = List.of(labels);
        int k = labels.length;
        Map<String, Integer> keywords = new java.util.HashMap<>();
        keywordClasses.forEach((name, label) -> {
            if (labelList.contains(label)) {
                keywords.put(name, labelList.indexOf(label));
            }
        });
        CategoryModel.KeywordIndex index = new CategoryModel.KeywordIndex(keywords);
        List<CategoryModel.Vector> x = posts.stream().map(p -> CategoryModel.vector(p.text(), params, k, index)).toList();
        long[] features = x.stream().flatMapToLong(v -> java.util.Arrays.stream(v.keys())).distinct().sorted().toArray();
        int[][] rows = x.stream().map(v -> java.util.Arrays.stream(v.keys()).mapToInt(key -> java.util.Arrays.binarySearch(features, key)).toArray())
                .toArray(int[][]::new);
        double[] w = new double[features.length * k];
        double[] bias = new double[k];
        // w is kept as scale * w, so the regularisation's shrinking of all weights is one multiplication
        double scale = 1;
        long t = 0;
        Random random = new Random(42);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < posts.size(); i++) {
            order.add(i);
        }
        double lambda = params.lambda();
        for (int epoch = 0; epoch < params.epochs(); epoch++) {
            Collections.shuffle(order, random);
            for (int i : order) {
                t++;
                double eta = 1 / (lambda * (t + 100));
                int[] f = rows[i];
                double[] v = x.get(i).values();
                int y = labelList.indexOf(posts.get(i).label());
                double[] s = bias.clone();
                for (int j = 0; j < f.length; j++) {
                    for (int c = 0; c < k; c++) {
                        s[c] += scale * w[f[j] * k + c] * v[j];
                    }
                }
                scale *= 1 - eta * lambda;
                for (int c = 0; c < k; c++) {
                    double yc = c == y ? 1 : -1;
                    if (yc * s[c] < 1) {
                        for (int j = 0; j < f.length; j++) {
                            w[f[j] * k + c] += eta * yc * v[j] / scale;
                        }
                        // the bias is not regularised and learns at a tenth of the rate, so it cannot swing with every post
                        bias[c] += eta * yc * 0.1;
                    }
                }
                if (scale < 1e-6) {
                    for (int j = 0; j < w.length; j++) {
                        w[j] *= scale;
                    }
                    scale = 1;
                }
            }
        }
        float[] weights = new float[w.length];
        for (int j = 0; j < w.length; j++) {
            weights[j] = fourDigits(w[j] * scale);
        }
        float[] b = new float[k];
        for (int c = 0; c < k; c++) {
            b[c] = (float) bias[c];
        }
        return new CategoryModel(params, labels, keywords, features, weights, b);
    }

    /**
     * A weight to 4 significant digits: the model file halves (Float.toString then writes 0.001234, not
     * 0.0012340001) and the cross-validation measures the same rounded weights the file holds.
     */
    static float fourDigits(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return (float) v;
        }
        double m = Math.pow(10, 3 - Math.floor(Math.log10(Math.abs(v))));
        return (float) (Math.round(v * m) / m);
    }

    /**
     * Top-level accuracy over 5 folds, each fold predicted by a model trained on the other four: folds by
     * row index mod 5, then again for each of three shuffles of the posts (seeds 1001-1003).
     */
    static double[] repeatedCrossValidation(List<Post> posts, Map<String, String> keywords, CategoryModel.Params params) {
        double[] out = new double[4];
        out[0] = crossValidate(posts, keywords, params);
        for (int s = 1; s < out.length; s++) {
            List<Post> shuffled = new ArrayList<>(posts);
            Collections.shuffle(shuffled, new Random(1000 + s));
            out[s] = crossValidate(shuffled, keywords, params);
        }
        return out;
    }

    /** Top-level accuracy over 5 folds (row index mod 5), each fold predicted by a model trained on the other four. */
    static double crossValidate(List<Post> posts, Map<String, String> keywords, CategoryModel.Params params) {
        long right = 0;
        for (int fold = 0; fold < 5; fold++) {
            List<Post> in = new ArrayList<>();
            List<Post> out = new ArrayList<>();
            for (int i = 0; i < posts.size(); i++) {
                (i % 5 == fold ? out : in).add(posts.get(i));
            }
            CategoryModel m = train(in, keywords, params);
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
