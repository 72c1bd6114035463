package city.hotline.hub.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import city.hotline.hub.store.TicketStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The look-up reads at most {@code rows-per-key} rows per LSH bucket and per requester key, and {@code rows-per-place}
 * per place key (docs/dedup.md, "The candidate index"): a busy place cannot make it unbounded, and a near
 * duplicate is still found through its buckets when its place has more reports than the bound. Runs on the
 * dedup tests' database. Most tests here read the place key as deeply as the others ({@link #BOUNDS}), so
 * what they check does not hang on the place's own bound.
 */
class BoundedLookupTest extends DedupIntegrationTest {

    private static final int ROWS = 32;
    private static final LookupBounds BOUNDS = new LookupBounds(20, ROWS, ROWS);
    private static final Duration WINDOW = Duration.ofDays(7);
    private static final String HAN = "东西南北新华文明光人民建设解放和平长青松柏桂花梅溪岳麓星沙芙蓉雨花天心开福望金星银盆枫林韶山劳动万丽湘江";
    private static final String COMPLAINT = "榕荫小区3栋楼下的垃圾站每天早上五点开始清运，噪音很大，垃圾车漏出的污水流满路面，气味难闻，多次向物业反映无果，请相关部门督促整改。";

    @Autowired
    DedupIndex index;

    @Test
    void aNearDuplicateIsFoundThroughItsBucketsWhenItsPlaceHasMoreReportsThanTheBound() {
        Fixture f = fixture();
        Report probe = report(COMPLAINT + "已经反映过一次了，请尽快处理。", f.base.plus(Duration.ofHours(101)));

        List<DedupIndex.Candidate> found = index.candidates(probe, probe.buckets(), WINDOW, BOUNDS);

        // the original is the oldest of 101 reports naming 榕荫小区: outside the place key's newest 32
        assertThat(found).extracting(DedupIndex.Candidate::ticketId).first().isEqualTo(f.original);
    }

    @Test
    void aLookUpReadsOnlyTheNewestRowsOfAPopularKey() {
        Fixture f = fixture();
        Report probe = report("榕荫小区" + noise(new Random(-1)), f.base.plus(Duration.ofHours(101)));
        assertThat(probe.keys()).contains("place:榕荫小区");

        List<DedupIndex.Candidate> found = index.candidates(probe, probe.buckets(), WINDOW, new LookupBounds(1000, ROWS, ROWS));

        assertThat(found).hasSize(ROWS);
        assertThat(found).extracting(DedupIndex.Candidate::ticketId).allMatch(f.newest::contains);
    }

    @Test
    void aPlaceKeyIsReadOnlyToItsOwnBoundAndARequesterKeyToTheWiderOne() {
        Fixture f = fixture();
        LookupBounds defaults = DedupProperties.defaults().lookupBounds();
        assertThat(defaults.rowsPerPlace()).isLessThan(defaults.rowsPerKey());
        // 40 reports by one requester, about places of their own: only the requester key finds them
        Instant at = f.base.plus(Duration.ofHours(101));
        List<DedupIndex.Entry> byRequester = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byRequester.add(entry(f.original + "-requester-" + i, new Report(TextNormaliser.withBreaks(noise(new Random(100 + i))), "", null,
                    at.minus(Duration.ofMinutes(40 - i)), Set.of("phone:+8613900000001"))));
        }
        index.addAll(byRequester);
        Report place = report("榕荫小区" + noise(new Random(-6)), at);
        Report requester = new Report(TextNormaliser.withBreaks(noise(new Random(-7))), "", null, at, Set.of("phone:+8613900000001"));

        List<List<DedupIndex.Candidate>> found = index.candidatesOfEach(List.of(place, requester), List.of(place.buckets(), requester.buckets()),
                WINDOW, new LookupBounds(1000, defaults.rowsPerKey(), defaults.rowsPerPlace()));

        String run = f.original.substring(0, f.original.length() - "-original".length());
        assertThat(found.get(0)).as("the newest reports naming the 小区").extracting(DedupIndex.Candidate::ticketId)
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(101 - defaults.rowsPerPlace(), 100)
                        .mapToObj(i -> run + "-" + i).toList());
        assertThat(found.get(1)).as("the newest reports of the requester").hasSize(defaults.rowsPerKey())
                .extracting(DedupIndex.Candidate::ticketId).allMatch(t -> t.startsWith(f.original + "-requester-"));
    }

    @Test
    void aBatchLookUpGivesEachReportWhatItsOwnLookUpGives() {
        Fixture f = fixture();
        Report near = report(COMPLAINT + "已经反映过一次了，请尽快处理。", f.base.plus(Duration.ofHours(101)));
        Report place = report("榕荫小区" + noise(new Random(-2)), f.base.plus(Duration.ofHours(101)));
        Report elsewhere = report("这是一段与任何已存报告都无关的文字" + UUID.randomUUID(), f.base.plus(Duration.ofHours(101)));

        List<List<DedupIndex.Candidate>> batch = index.candidatesOfEach(List.of(near, place, elsewhere),
                List.of(near.buckets(), place.buckets(), elsewhere.buckets()), WINDOW, BOUNDS);

        assertThat(batch).hasSize(3);
        assertThat(batch.get(0)).extracting(DedupIndex.Candidate::ticketId).first().isEqualTo(f.original);
        assertThat(batch.get(1)).extracting(DedupIndex.Candidate::entryId)
                .containsExactlyElementsOf(index.candidates(place, place.buckets(), WINDOW, BOUNDS).stream()
                        .map(DedupIndex.Candidate::entryId).toList());
        assertThat(batch.get(1)).hasSize(20).extracting(DedupIndex.Candidate::ticketId).allMatch(f.newest::contains);
        assertThat(batch.get(2)).as("no fingerprint, bucket or key in common").isEmpty();
    }

    @Test
    void onlyCandidatesSomeRuleCouldMergeAreReadWholeAndChecked() {
        Fixture f = fixture();
        int minAgreement = NearDuplicates.minAgreement(DedupProperties.defaults());
        Report near = report(COMPLAINT + "已经反映过一次了，请尽快处理。", f.base.plus(Duration.ofHours(101)));
        Report place = report("榕荫小区" + noise(new Random(-2)), f.base.plus(Duration.ofHours(101)));
        // one requester: the 100 reports naming the 小区 are by strangers, but a report by this requester is always checked
        Report requester = new Report(TextNormaliser.withBreaks("榕荫小区" + noise(new Random(-3))), "", null, f.base.plus(Duration.ofHours(101)),
                Set.of("phone:+8613800000000"));
        index.addAll(List.of(entry(f.original + "-by-requester", new Report(TextNormaliser.withBreaks("榕荫小区" + noise(new Random(-4))), "", null,
                f.base.plus(Duration.ofHours(100)), Set.of("phone:+8613800000000")))));

        // shorter than SKETCH_MIN_CHARS: its sketch is too sparse to judge by, so every candidate is checked
        Report shortPlace = report("榕荫小区" + noise(new Random(-5)).substring(0, MinHash.SKETCH_MIN_CHARS - 10), f.base.plus(Duration.ofHours(101)));

        List<List<DedupIndex.Candidate>> all = index.candidatesOfEach(List.of(near, place, requester, shortPlace),
                List.of(near.buckets(), place.buckets(), requester.buckets(), shortPlace.buckets()), WINDOW, BOUNDS);
        List<List<DedupIndex.Candidate>> worth = index.candidatesWorthChecking(List.of(near, place, requester, shortPlace),
                List.of(near.buckets(), place.buckets(), requester.buckets(), shortPlace.buckets()), WINDOW, BOUNDS, minAgreement);

        assertThat(all.get(1)).as("20 reports share only the 小区 with it").hasSize(20);
        assertThat(worth.get(0)).extracting(DedupIndex.Candidate::ticketId).first().isEqualTo(f.original);
        assertThat(worth.get(0).get(0).report().normText()).isEqualTo(TextNormaliser.normalise(COMPLAINT));
        assertThat(worth.get(1)).as("texts of random characters: no rule merges them with it").isEmpty();
        assertThat(worth.get(2)).extracting(DedupIndex.Candidate::ticketId).containsExactly(f.original + "-by-requester");
        assertThat(worth.get(3)).hasSize(20).extracting(DedupIndex.Candidate::entryId)
                .containsExactlyElementsOf(all.get(3).stream().map(DedupIndex.Candidate::entryId).toList());
        assertThat(new MergeDecision(DedupProperties.defaults()).decide(place, all.get(1).get(0).report()).merge()).isFalse();
    }

    @Test
    void aCandidateComesBackWithThePlacesItsEntryStoredUnlessTheyWereFoundUnderOtherRules(@Autowired org.springframework.jdbc.core.JdbcTemplate jdbc) {
        Instant at = Instant.parse("2031-01-01T00:00:00Z").plus(Duration.ofDays(30L * new Random().nextInt(10_000)));
        String stored = UUID.randomUUID().toString();
        String older = UUID.randomUUID().toString();
        Report searched = report(COMPLAINT + "二次", at);
        assertThat(searched.places()).as("a decision searched its whole text").isNotEmpty();
        index.addAll(List.of(entry(stored, report(COMPLAINT, at)), entry(older, searched)));
        assertThat(Places.decode(jdbc.queryForObject("SELECT primary_places FROM dedup_entry WHERE ticket_id = ?", String.class, stored)))
                .isEqualTo(report(COMPLAINT, at).primaryPlaces());
        assertThat(jdbc.queryForObject("SELECT places FROM dedup_entry WHERE ticket_id = ?", String.class, stored))
                .as("never searched: not searched for the index either").isNull();
        assertThat(Places.decode(jdbc.queryForObject("SELECT places FROM dedup_entry WHERE ticket_id = ?", String.class, older)))
                .isEqualTo(searched.places());
        // what the entries hold is what a candidate gets: one marked, one stored under rules of another version
        List<Places.Place> marked = List.of(new Places.Place(Places.Kind.ESTATE, "存储小区"));
        jdbc.update("UPDATE dedup_entry SET places = ?, primary_places = ? WHERE ticket_id = ?",
                Places.encode(marked), Places.encode(marked), stored);
        jdbc.update("UPDATE dedup_entry SET places = '0' || substr(places, 2), primary_places = '0' || substr(primary_places, 2) WHERE ticket_id = ?", older);

        // a second index: the first keeps the reports it added
        Report probe = report(COMPLAINT, at.plus(Duration.ofHours(1)));
        List<DedupIndex.Candidate> found = new DedupIndex(jdbc).candidates(probe, probe.buckets(), WINDOW, BOUNDS);

        assertThat(found).filteredOn(c -> c.ticketId().equals(stored)).singleElement()
                .satisfies(c -> assertThat(c.report().places()).isEqualTo(marked))
                .satisfies(c -> assertThat(c.report().primaryPlaces()).isEqualTo(marked));
        assertThat(found).filteredOn(c -> c.ticketId().equals(older)).singleElement()
                .satisfies(c -> assertThat(c.report().places()).contains(new Places.Place(Places.Kind.ESTATE, "榕荫小区")));
    }

    private record Fixture(Instant base, String original, Set<String> newest) {
    }

    /** The original complaint, then 100 newer reports about the same 小区 with other texts, one an hour. */
    private Fixture fixture() {
        // a period of its own, far from the other tests' reports and from this test's earlier runs
        Instant base = Instant.parse("2031-01-01T00:00:00Z").plus(Duration.ofDays(30L * new Random().nextInt(10_000)));
        String run = UUID.randomUUID().toString();
        List<DedupIndex.Entry> entries = new ArrayList<>();
        Report original = report(COMPLAINT, base);
        assertThat(original.keys()).contains("place:榕荫小区");
        entries.add(entry(run + "-original", original));
        Random r = new Random(7);
        List<String> newest = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            String ticket = run + "-" + i;
            entries.add(entry(ticket, report("榕荫小区" + noise(r), base.plus(Duration.ofHours(i)))));
            if (i > 100 - ROWS) {
                newest.add(ticket);
            }
        }
        index.addAll(entries);
        return new Fixture(base, run + "-original", Set.copyOf(newest));
    }

    private static String noise(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 80; k++) {
            sb.append(HAN.charAt(r.nextInt(HAN.length())));
        }
        return sb.toString();
    }

    private static Report report(String text, Instant at) {
        return new Report(TextNormaliser.withBreaks(text), "", null, at, Set.of());
    }

    private static DedupIndex.Entry entry(String ticketId, Report report) {
        return new DedupIndex.Entry(ticketId, new TicketStore.OriginKey("webform", "default", ticketId), report, report.buckets(), null);
    }
}
