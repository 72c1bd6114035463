package city.hotline.hub.dedup;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the dedup decision compares of one citizen report: its normalised content, the normalised
 * text that says where it is (title and location fields), when the citizen wrote it, and who wrote
 * it where that is known. Shingles and places are worked out once, on first use.
 *
 * <p>{@code reportedAt} is the origin's {@code receivedAt}: the mappings put the report's own time
 * there (the web form's {@code submittedAt}, the board's {@code dateline}, WeChat's {@code CreateTime},
 * Weibo's {@code created_at}) and fall back to the arrival at the hub only when the channel has none.
 */
public final class Report {

    /** How much of the content's start counts as saying where the report is about. */
    static final int PRIMARY_CHARS = 60;

    private final String normText;
    private final String normTextWithBreaks;
    private final String placeText;
    private final String placeTextWithBreaks;
    private final String title;
    private final String fingerprint;
    private final Instant reportedAt;
    private final Set<String> identities;
    // worked out when first asked for; volatile because a stored report is shared between the inbox
    // workers (DedupIndex keeps them): a second thread sees the finished value or computes the same one
    private volatile long[] shingles;
    private volatile List<Places.Place> places;
    private volatile List<Places.Place> primaryPlaces;
    private volatile long[] titleBigrams;
    private volatile long[] signature;
    private volatile byte[] sketch;
    private volatile long[] buckets;
    private volatile Set<String> keys;
    private final String allText;

    /**
     * @param content normalised content, with or without {@link TextNormaliser#BREAK}s
     * @param place   normalised title and location fields, the same way
     */
    public Report(String content, String place, String fingerprint, Instant reportedAt, Set<String> identities) {
        this(content, place, "", fingerprint, reportedAt, identities);
    }

    /**
     * @param title the report's own heading, normalised ({@link TextNormaliser#normalise}); "" when the channel
     *              gives none (the title is also part of {@code place}, where places are looked for)
     */
    public Report(String content, String place, String title, String fingerprint, Instant reportedAt, Set<String> identities) {
        this.title = title == null ? "" : TextNormaliser.withoutBreaks(title);
        this.normTextWithBreaks = content;
        this.normText = TextNormaliser.withoutBreaks(content);
        this.placeTextWithBreaks = place;
        this.placeText = TextNormaliser.withoutBreaks(place);
        this.fingerprint = fingerprint == null ? TextNormaliser.fingerprint(normText) : fingerprint;
        this.reportedAt = reportedAt;
        this.identities = identities;
        this.allText = placeText + "|" + normText;
    }

    /**
     * Takes the places an index entry stored with the report ({@link Places#decode}), so a candidate read
     * back costs no second search of its text; a null (not stored, or under older rules) leaves them to be
     * worked out on first use.
     */
    void useStoredPlaces(List<Places.Place> all, List<Places.Place> primary) {
        if (all != null) {
            this.places = all;
        }
        if (primary != null) {
            this.primaryPlaces = primary;
        }
    }

    /** Takes the sketch an index entry stored ({@link #sketch}); a null (stored before V123) leaves it to be worked out. */
    void useStoredSketch(byte[] stored) {
        if (stored != null) {
            this.sketch = stored;
        }
    }

    /**
     * Every place the report names if a decision has needed them already, else null: the index stores them
     * only then, because searching a whole letter costs more than most decisions ever need (they read the
     * places of the title and the start only, {@link #primaryPlaces}).
     */
    List<Places.Place> placesIfFound() {
        return places;
    }

    /** From a complete ticket (one origin: a fresh draft). */
    public static Report of(JsonNode ticket) {
        String norm = TextNormaliser.withBreaks(ticket.path("content").asText(""));
        JsonNode loc = ticket.path("location");
        String place = TextNormaliser.withBreaks(String.join(" ", ticket.path("title").asText(""),
                loc.path("district").asText(""), loc.path("street").asText(""), loc.path("address").asText("")));
        JsonNode origin = ticket.path("origins").path(0);
        return new Report(norm, place, TextNormaliser.normalise(ticket.path("title").asText("")), null,
                Instant.parse(origin.path("receivedAt").asText()), identities(ticket));
    }

    /**
     * The requester's identities as keys: the phone, the channel user id of the origin (WeChat openid,
     * Weibo uid) and any identities the mapping listed. Scoped by channel, so ids of two channels never meet.
     */
    static Set<String> identities(JsonNode ticket) {
        Set<String> out = new TreeSet<>();
        JsonNode requester = ticket.path("requester");
        if (requester.hasNonNull("phone")) {
            out.add("phone:" + requester.get("phone").asText());
        }
        for (JsonNode id : requester.path("identities")) {
            out.add("user:" + id.path("channel").asText() + ":" + id.path("id").asText());
        }
        for (JsonNode origin : ticket.path("origins")) {
            if (origin.hasNonNull("channelUserId") && !origin.get("channelUserId").asText().isBlank()) {
                out.add("user:" + origin.path("channel").asText() + ":" + origin.get("channelUserId").asText());
            }
        }
        return out;
    }

    public String normText() {
        return normText;
    }

    public String placeText() {
        return placeText;
    }

    /** What the index stores: the texts with their breaks, so places can be found again. */
    public String storedContent() {
        return normTextWithBreaks;
    }

    public String storedPlace() {
        return placeTextWithBreaks;
    }

    /** Everything the report says: where places are looked for and looked up. */
    public String allText() {
        return allText;
    }

    /** The normalised title, "" when the report has none. */
    public String title() {
        return title;
    }

    /**
     * The distinct character bigrams of the title, packed and sorted like {@link MinHash#shingles}: titles
     * are a dozen characters or so, too short for 3-grams to survive one changed word.
     */
    public long[] titleBigrams() {
        if (titleBigrams == null) {
            titleBigrams = java.util.stream.IntStream.range(0, Math.max(0, title.length() - 1))
                    .mapToLong(i -> (long) title.charAt(i) << 16 | title.charAt(i + 1)).sorted().distinct().toArray();
        }
        return titleBigrams;
    }

    public String fingerprint() {
        return fingerprint;
    }

    public Instant reportedAt() {
        return reportedAt;
    }

    public Set<String> identities() {
        return identities;
    }

    /** Its 3-gram set if something built it already, else null (then {@link ShingleCounter} counts from the text). */
    long[] shinglesIfBuilt() {
        return shingles;
    }

    public long[] shingles() {
        if (shingles == null) {
            shingles = MinHash.shingles(normText);
        }
        return shingles;
    }

    public List<Places.Place> places() {
        if (places == null) {
            places = Places.extract(placeTextWithBreaks + TextNormaliser.BREAK + normTextWithBreaks);
        }
        return places;
    }

    /**
     * The places the report is <em>about</em>: those in its title and location fields and at the start of
     * its content. A long letter mentions other places in passing ("we live near the A4区 market"); those
     * are looked up but never make two reports conflict.
     */
    public List<Places.Place> primaryPlaces() {
        if (primaryPlaces == null) {
            primaryPlaces = Places.extract(placeTextWithBreaks + TextNormaliser.BREAK
                    + normTextWithBreaks.substring(0, Math.min(normTextWithBreaks.length(), PRIMARY_CHARS)));
        }
        return primaryPlaces;
    }

    /** The prefix of the index keys of specific places (the others are the requester's: "phone:", "user:"). */
    static final String PLACE_KEY = "place:";

    static boolean isPlaceKey(String key) {
        return key.startsWith(PLACE_KEY);
    }

    /** Index keys besides the text: the requester's identities and the specific places the report is about. */
    public Set<String> keys() {
        if (keys == null) {
            Set<String> all = new TreeSet<>(identities);
            for (Places.Place p : primaryPlaces()) {
                if (p.kind().specific()) {
                    all.add(PLACE_KEY + p.core());
                }
            }
            keys = Collections.unmodifiableSet(all);
        }
        return keys;
    }

    /** Its LSH buckets: kept, because a stored report is matched against the items of every batch stored after it. */
    public long[] buckets() {
        if (buckets == null) {
            buckets = MinHash.buckets(signature());
        }
        return buckets;
    }

    /** Its signature in 16-bit values ({@link MinHash#sketch}), stored with its index entry. */
    public byte[] sketch() {
        if (sketch == null) {
            sketch = MinHash.sketch(signature());
        }
        return sketch;
    }

    private long[] signature() {
        if (signature == null) {
            signature = MinHash.signature(normText);
        }
        return signature;
    }
}
