package city.hotline.hub.routing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import org.springframework.core.io.DefaultResourceLoader;

/**
 * A linear classifier (one-versus-rest linear SVM) suggesting a ticket's top-level category from its
 * title and content. Without a Chinese word segmenter, the features are characters and character
 * bigrams, the usual strong baseline for short Chinese texts:
 * <ul>
 * <li>two feature spaces, the title (first line) and the content, so 路灯 in a title weighs apart from
 * 路灯 in a long body;</li>
 * <li>sublinear term frequency (1 + ln tf), each space L2-normalised (long posts do not outvote short
 * ones), the title space then scaled by {@link Params#titleWeight()};</li>
 * <li>taxonomy keywords: a level-2 or level-3 name of the taxonomy (公共汽车, 医患纠纷, 教育收费 …)
 * that belongs to one top-level class only adds {@link Params#keywordWeight()} to the feature
 * {@code kw:<class>}. The taxonomy knows that buses are 城乡建设 even where the training posts do not.</li>
 * </ul>
 * It replaced a multinomial naive Bayes over the same grams: in repeated 5-fold cross-validation on the
 * training posts the SVM scores about three points higher (docs/routing.md has the figures and how the
 * parameters were chosen).
 * <p>
 * Cheap on the hot path: a suggestion packs each character or bigram into a long (no String per gram),
 * counts them in a small hash table, finds each distinct one in a hash table of the vocabulary and adds
 * its row of 7 weights. The model file is plain text, gzipped, written by {@link CategoryModelTrainer}.
 */
public final class CategoryModel {

    /** 1 + ln tf for small tf: most grams occur once or twice in a post, and a log each costs more than the rest. */
    private static final double[] SUBLINEAR = new double[32];

    static {
        for (int tf = 1; tf < SUBLINEAR.length; tf++) {
            SUBLINEAR[tf] = 1 + Math.log(tf);
        }
    }

    /** Feature spaces, the top bits of a feature key. */
    static final long TITLE = 0, CONTENT = 1L << 40, KEYWORD = 2L << 40;

    /**
     * Training parameters, chosen by cross-validation on the training posts only.
     *
     * @param lambda        L2 regularisation of the SVM
     * @param epochs        passes of stochastic gradient descent over the training posts
     * @param titleWeight   scale of the (L2-normalised) title space against the content space
     * @param keywordWeight value of a taxonomy keyword feature per name found
     */
    public record Params(double lambda, int epochs, double titleWeight, double keywordWeight) {
    }

    public record Suggestion(String label, double score) {
    }

    private final Params params;
    private final String[] labels;
    /** Taxonomy level-2/3 names that belong to one top-level class only: name to class index. */
    private final Map<String, Integer> keywords;
    private final KeywordIndex keywordIndex;
    /** Sorted feature keys; the weights of feature {@code i} are {@code weights[i * labels.length ..]}. */
    private final long[] features;
    private final float[] weights;
    private final float[] bias;
    /**
     * Open-addressing hash table from feature key to its index in {@link #features}: one or two probes a
     * gram where a binary search over ~60,000 keys took 16 scattered reads. Written here (15 lines)
     * because the primitive-collection libraries are not dependencies of the hub.
     */
    private final long[] slotKeys;
    private final int[] slotRows;

    CategoryModel(Params params, String[] labels, Map<String, Integer> keywords, long[] features, float[] weights, float[] bias) {
        this.params = params;
        this.labels = labels;
        this.keywords = keywords;
        this.features = features;
        this.weights = weights;
        this.bias = bias;
        keywordIndex = new KeywordIndex(keywords);
        int size = Integer.highestOneBit(Math.max(features.length, 1) * 2 - 1) << 1;
        slotKeys = new long[size];
        slotRows = new int[size];
        Arrays.fill(slotKeys, -1L);
        for (int f = 0; f < features.length; f++) {
            int i = slot(features[f], size - 1);
            while (slotKeys[i] != -1L) {
                i = (i + 1) & (size - 1);
            }
            slotKeys[i] = features[f];
            slotRows[i] = f;
        }
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    /** The index of a feature key in {@link #features}, or -1 if the training posts never had it. */
    private int row(long key) {
        int mask = slotKeys.length - 1;
        for (int i = slot(key, mask); slotKeys[i] != -1L; i = (i + 1) & mask) {
            if (slotKeys[i] == key) {
                return slotRows[i];
            }
        }
        return -1;
    }

    /**
     * The keyword names by their first character (a table indexed by the char itself: one array read per
     * character of the text, no boxing, no search).
     */
    static final class KeywordIndex {
        final Map<String, Integer> classOf;
        /** For each char, 1 + the index in {@link #names} of the names starting with it, or 0. */
        private final short[] first = new short[Character.MAX_VALUE + 1];
        private final String[][] names;

        KeywordIndex(Map<String, Integer> classOf) {
            this.classOf = classOf;
            TreeMap<Character, List<String>> by = new TreeMap<>();
            new TreeMap<>(classOf).keySet().forEach(k -> by.computeIfAbsent(k.charAt(0), c -> new ArrayList<>()).add(k));
            names = new String[by.size()][];
            int i = 0;
            for (Map.Entry<Character, List<String>> e : by.entrySet()) {
                first[e.getKey()] = (short) (i + 1);
                names[i++] = e.getValue().toArray(String[]::new);
            }
        }

        /** Per class, {@code weight} for each name found in the text (once however often it appears); null if none. */
        double[] hits(String title, String content, int classes, double weight) {
            if (weight <= 0 || classOf.isEmpty()) {
                return null;
            }
            String all = title + content;
            List<String> found = null;
            for (int i = 0; i < all.length(); i++) {
                int n = first[all.charAt(i)];
                if (n == 0) {
                    continue;
                }
                for (String k : names[n - 1]) {
                    if (all.startsWith(k, i) && (found == null || !found.contains(k))) {
                        if (found == null) {
                            found = new ArrayList<>(4);
                        }
                        found.add(k);
                    }
                }
            }
            if (found == null) {
                return null;
            }
            double[] hits = new double[classes];
            for (String k : found) {
                hits[classOf.get(k)] += weight;
            }
            return hits;
        }
    }

    /** An empty model: suggests nothing. */
    public static CategoryModel empty() {
        return new CategoryModel(new Params(0, 0, 1, 0), new String[0], Map.of(), new long[0], new float[0], new float[0]);
    }

    public boolean isEmpty() {
        return labels.length == 0;
    }

    public Params params() {
        return params;
    }

    /** The text's sparse feature vector: sorted keys and their values. */
    record Vector(long[] keys, double[] values) {
    }

    /**
     * Features of "title\ncontent" (the first line is the title), as training sees them: sorted, distinct.
     * {@link #suggest(String)} computes the same values without sorting (a test holds the two together).
     */
    static Vector vector(String text, Params params, int classes, KeywordIndex keywords) {
        int eol = text.indexOf('\n');
        String title = normalise(eol < 0 ? text : text.substring(0, eol));
        String content = normalise(eol < 0 ? "" : text.substring(eol + 1));
        long[] keys = new long[2 * (title.length() + content.length()) + 4];
        int n = grams(title, TITLE, keys, 0);
        n = grams(content, CONTENT, keys, n);
        Arrays.sort(keys, 0, n);
        // distinct keys with their sublinear term frequency, then L2 norm per space
        long[] distinct = new long[n + classes];
        double[] values = new double[distinct.length];
        int d = 0;
        double titleNorm = 0, contentNorm = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && keys[j] == keys[i]) {
                j++;
            }
            double v = j - i < SUBLINEAR.length ? SUBLINEAR[j - i] : 1 + Math.log(j - i);
            distinct[d] = keys[i];
            values[d++] = v;
            if (keys[i] < CONTENT) {
                titleNorm += v * v;
            } else {
                contentNorm += v * v;
            }
            i = j;
        }
        double titleScale = titleNorm > 0 ? params.titleWeight() / Math.sqrt(titleNorm) : 0;
        double contentScale = contentNorm > 0 ? 1 / Math.sqrt(contentNorm) : 0;
        for (int i = 0; i < d; i++) {
            values[i] *= distinct[i] < CONTENT ? titleScale : contentScale;
        }
        double[] hits = keywords.hits(title, content, classes, params.keywordWeight());
        if (hits != null) {
            for (int c = 0; c < classes; c++) {
                if (hits[c] > 0) {
                    distinct[d] = KEYWORD | c;
                    values[d++] = hits[c];
                }
            }
        }
        return new Vector(Arrays.copyOf(distinct, d), Arrays.copyOf(values, d));
    }

    /** Characters and character bigrams of {@code t}, each packed into a long: space | first char << 16 | second char. */
    private static int grams(String t, long space, long[] out, int n) {
        for (int i = 0; i < t.length(); i++) {
            long c = t.charAt(i);
            out[n++] = space | c;
            if (i + 1 < t.length()) {
                out[n++] = space | 1L << 32 | c << 16 | t.charAt(i + 1);
            }
        }
        return n;
    }

    /** Letters and digits only: punctuation, tabs and blank lines say nothing about the category. */
    static String normalise(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (Character.isLetterOrDigit(c)) {
                b.appendCodePoint(c);
            }
            i += Character.charCount(c);
        }
        return b.toString();
    }

    Vector vector(String text) {
        return vector(text, params, labels.length, keywordIndex);
    }

    /** Scores of each class for a vector: bias plus the weights of its known features. */
    double[] scores(Vector v) {
        int k = labels.length;
        double[] s = new double[k];
        for (int c = 0; c < k; c++) {
            s[c] = bias[c];
        }
        long[] keys = v.keys();
        double[] values = v.values();
        for (int i = 0; i < keys.length; i++) {
            int f = row(keys[i]);
            if (f >= 0) {
                for (int c = 0; c < k; c++) {
                    s[c] += values[i] * weights[f * k + c];
                }
            }
        }
        return s;
    }

    /**
     * The best class for "title\ncontent". The same features and values as {@link #vector(String)} (which
     * training uses), computed without sorting: grams are counted in a small hash table per space, then each
     * distinct gram adds its weights. Half the time of sorting the keys (the sort was a third of a suggestion).
     */
    public Suggestion suggest(String text) {
        if (isEmpty()) {
            return null;
        }
        int eol = text.indexOf('\n');
        String title = normalise(eol < 0 ? text : text.substring(0, eol));
        String content = normalise(eol < 0 ? "" : text.substring(eol + 1));
        int k = labels.length;
        double[] s = new double[k];
        for (int c = 0; c < k; c++) {
            s[c] = bias[c];
        }
        // a table of at least twice the distinct grams a text can have (2 per character), shared by both spaces
        int size = Integer.highestOneBit(Math.max(title.length(), content.length()) * 4 + 1) << 1;
        long[] keys = new long[size];
        Arrays.fill(keys, -1L);
        int[] counts = new int[size];
        int[] used = new int[Math.max(title.length(), content.length()) * 2];
        addSpace(title, TITLE, params.titleWeight(), keys, counts, used, s);
        addSpace(content, CONTENT, 1, keys, counts, used, s);
        double[] hits = keywordIndex.hits(title, content, k, params.keywordWeight());
        if (hits != null) {
            for (int c = 0; c < k; c++) {
                int f = hits[c] > 0 ? row(KEYWORD | c) : -1;
                if (f >= 0) {
                    for (int j = 0; j < k; j++) {
                        s[j] += hits[c] * weights[f * k + j];
                    }
                }
            }
        }
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (s[c] > s[best]) {
                best = c;
            }
        }
        return new Suggestion(labels[best], s[best]);
    }

    /**
     * Adds to {@code s} the weights of one space's grams: sublinear tf, L2-normalised over the space, times
     * {@code scale}. Only the slots this text filled are visited ({@code used}) and then cleared for the
     * next space: walking the whole table twice per space was most of a suggestion's time on long posts.
     */
    private void addSpace(String t, long space, double scale, long[] keys, int[] counts, int[] used, double[] s) {
        if (t.isEmpty()) {
            return;
        }
        int mask = keys.length - 1;
        int distinct = 0;
        for (int i = 0; i < t.length(); i++) {
            long c = t.charAt(i);
            distinct = count(space | c, keys, counts, mask, used, distinct);
            if (i + 1 < t.length()) {
                distinct = count(space | 1L << 32 | c << 16 | t.charAt(i + 1), keys, counts, mask, used, distinct);
            }
        }
        double norm = 0;
        for (int u = 0; u < distinct; u++) {
            int n = counts[used[u]];
            double v = n < SUBLINEAR.length ? SUBLINEAR[n] : 1 + Math.log(n);
            norm += v * v;
        }
        double factor = scale / Math.sqrt(norm);
        int k = labels.length;
        for (int u = 0; u < distinct; u++) {
            int i = used[u];
            int f = row(keys[i]);
            if (f >= 0) {
                int n = counts[i];
                double v = (n < SUBLINEAR.length ? SUBLINEAR[n] : 1 + Math.log(n)) * factor;
                for (int c = 0; c < k; c++) {
                    s[c] += v * weights[f * k + c];
                }
            }
            keys[i] = -1L;
        }
    }

    /** Counts one gram; a gram seen for the first time takes a slot, recorded in {@code used}. @return the distinct grams so far */
    private static int count(long key, long[] keys, int[] counts, int mask, int[] used, int distinct) {
        int i = slot(key, mask);
        while (keys[i] != -1L && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (keys[i] == -1L) {
            keys[i] = key;
            counts[i] = 1;
            used[distinct] = i;
            return distinct + 1;
        }
        counts[i]++;
        return distinct;
    }

    /**
     * The model file: {@code params}, {@code class<TAB>label<TAB>bias}, {@code keyword<TAB>name<TAB>label}
     * and {@code w<TAB>space<TAB>gram<TAB>weight per class} lines (space {@code t} title, {@code c} content,
     * {@code kw} keyword class).
     */
    public void write(Writer out) throws IOException {
        out.write("params\t" + params.lambda() + "\t" + params.epochs() + "\t" + params.titleWeight() + "\t" + params.keywordWeight() + "\n");
        for (int c = 0; c < labels.length; c++) {
            out.write("class\t" + labels[c] + "\t" + bias[c] + "\n");
        }
        for (Map.Entry<String, Integer> k : new TreeMap<>(keywords).entrySet()) {
            out.write("keyword\t" + k.getKey() + "\t" + labels[k.getValue()] + "\n");
        }
        StringBuilder line = new StringBuilder();
        for (int f = 0; f < features.length; f++) {
            line.setLength(0);
            long key = features[f];
            long space = key & (3L << 40);
            if (space == KEYWORD) {
                line.append("w\tkw\t").append(labels[(int) (key & 0xffff)]);
            } else {
                line.append(space == TITLE ? "w\tt\t" : "w\tc\t");
                if ((key & 1L << 32) != 0) {
                    line.append((char) (key >>> 16 & 0xffff));
                }
                line.append((char) (key & 0xffff));
            }
            for (int c = 0; c < labels.length; c++) {
                line.append(c == 0 ? '\t' : ' ').append(weights[f * labels.length + c]);
            }
            out.write(line.append('\n').toString());
        }
    }

    public static CategoryModel load(String location) {
        Params params = null;
        List<String> labels = new ArrayList<>();
        List<Float> bias = new ArrayList<>();
        Map<String, String> keywordNames = new TreeMap<>();
        Map<Long, float[]> rows = new TreeMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(open(location), StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                String[] f = line.split("\t", -1);
                if (f.length == 5 && f[0].equals("params")) {
                    params = new Params(Double.parseDouble(f[1]), Integer.parseInt(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]));
                } else if (f.length == 3 && f[0].equals("class")) {
                    labels.add(f[1]);
                    bias.add(Float.parseFloat(f[2]));
                } else if (f.length == 3 && f[0].equals("keyword")) {
                    keywordNames.put(f[1], f[2]);
                } else if (f.length == 4 && f[0].equals("w") && params != null) {
                    String[] w = f[3].split(" ");
                    if (w.length != labels.size()) {
                        throw new IllegalArgumentException(location + ", line " + n + ": " + w.length + " weights for " + labels.size() + " classes");
                    }
                    float[] row = new float[w.length];
                    for (int c = 0; c < w.length; c++) {
                        row[c] = Float.parseFloat(w[c]);
                    }
                    rows.put(key(f[1], f[2], labels, location, n), row);
                } else if (!line.isBlank()) {
                    throw new IllegalArgumentException(location + ", line " + n + ": expected params, class, keyword or w line");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + location, e);
        }
        if (params == null || labels.isEmpty()) {
            return empty();
        }
        Map<String, Integer> keywords = new HashMap<>();
        keywordNames.forEach((name, label) -> keywords.put(name, labels.indexOf(label)));
        long[] features = new long[rows.size()];
        float[] weights = new float[rows.size() * labels.size()];
        int i = 0;
        for (Map.Entry<Long, float[]> r : rows.entrySet()) {
            features[i] = r.getKey();
            System.arraycopy(r.getValue(), 0, weights, i * labels.size(), labels.size());
            i++;
        }
        float[] b = new float[bias.size()];
        for (int c = 0; c < b.length; c++) {
            b[c] = bias.get(c);
        }
        return new CategoryModel(params, labels.toArray(String[]::new), keywords, features, weights, b);
    }

    private static long key(String space, String gram, List<String> labels, String location, int line) {
        switch (space) {
            case "kw" -> {
                int c = labels.indexOf(gram);
                if (c < 0) {
                    throw new IllegalArgumentException(location + ", line " + line + ": unknown class " + gram);
                }
                return KEYWORD | c;
            }
            case "t", "c" -> {
                long s = space.equals("t") ? TITLE : CONTENT;
                if (gram.length() == 1) {
                    return s | gram.charAt(0);
                }
                if (gram.length() == 2) {
                    return s | 1L << 32 | (long) gram.charAt(0) << 16 | gram.charAt(1);
                }
            }
            default -> {
            }
        }
        throw new IllegalArgumentException(location + ", line " + line + ": bad feature " + space + " " + gram);
    }

    /** The model file, gzipped when its name ends in .gz. */
    private static InputStream open(String location) throws IOException {
        InputStream in = new DefaultResourceLoader().getResource(location).getInputStream();
        return location.endsWith(".gz") ? new GZIPInputStream(in) : in;
    }
}
